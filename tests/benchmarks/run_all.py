"""Run every benchmark in turn (`make bench`)."""
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

for name in ("bench_matching_pure", "bench_match_job", "bench_directory", "bench_worker_start"):
    path = HERE / f"{name}.py"
    if path.exists():
        print(f"\n== {name} ==", flush=True)
        runpy.run_path(str(path), run_name="__main__")
