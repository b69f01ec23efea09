"""In-process cost of each main page on the load data set, against the floor page, in one run.

No gunicorn, no wrk: the Flask test client drives the same app `make load` serves
(tests/benchmarks/load_wsgi.py) on the database `load_seed` filled, logged in through the real
login form. Pages are requested round-robin (every page once per round, many rounds) so a busy
machine slows them all alike; each page's figure is the median of its rounds. For each page:
median time per request, SQL statements and ORM objects loaded per request, and the floor's
median divided by the page's, which is the share of the floor's requests per second that page
would serve on the same CPU (the issue-14 goal is >= 40%).

    DATABASE_URL=postgresql+psycopg://.../barnstorm_load \
        python -m tests.benchmarks.load_profile --info load.json [--rounds 40] [--profile '/teams/5']

--profile PATH prints a pyinstrument call tree of that page (pyinstrument must be importable).
"""
import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

GOAL_RATIO = 0.40


def login(app, email, password):
    client = app.test_client()
    html = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    data = {"email": email, "password": password}
    if token:
        data["csrf_token"] = token.group(1)
    resp = client.post("/auth/login", data=data)
    if resp.status_code != 302 or "/auth/login" in resp.headers.get("Location", ""):
        raise SystemExit(f"login failed for {email}")
    return client


class Counter:
    """SQL statements and ORM objects loaded while `on` is set."""

    def __init__(self, engine, model_base):
        self.on, self.queries, self.objects = False, 0, 0
        event.listen(engine, "before_cursor_execute", self._query)
        event.listen(model_base, "load", self._load, propagate=True)

    def _query(self, *args):
        if self.on:
            self.queries += 1

    def _load(self, *args):
        if self.on:
            self.objects += 1


def measure(pages, clients, counter, rounds):
    times = {path: [] for _, path, _ in pages}
    cpu = {path: [] for _, path, _ in pages}
    counts = {}
    for name, path, role in pages:  # warm-up, and the per-request counts (the same every request)
        for _ in range(3):
            resp = clients[role].get(path)
            assert resp.status_code == 200, (path, resp.status_code)
        counter.queries = counter.objects = 0
        counter.on = True
        body = clients[role].get(path).get_data()
        counter.on = False
        counts[path] = (counter.queries, counter.objects, len(body))
    for _ in range(rounds):
        for _name, path, role in pages:
            client = clients[role]
            t, c = time.perf_counter(), time.process_time()
            client.get(path)
            times[path].append(time.perf_counter() - t)
            cpu[path].append(time.process_time() - c)
    return ({path: statistics.median(v) for path, v in times.items()},
            {path: statistics.median(v) for path, v in cpu.items()}, counts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--info", required=True)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--profile", help="a page path to profile with pyinstrument")
    args = parser.parse_args()
    info = json.loads(Path(args.info).read_text())
    from app.extensions import db
    from tests.benchmarks.load_wsgi import make_app

    app = make_app()
    app.config["RATELIMIT_ENABLED"] = False
    pages = [("empty logged-in page (floor)", "/_floor", "volunteer")] + [tuple(p) for p in info["pages"]]
    with app.app_context():
        counter = Counter(db.engine, db.Model)
    clients = {role: login(app, email, info["password"]) for role, email in info["accounts"].items()}
    if args.profile:
        from pyinstrument import Profiler

        role = next(r for _, p, r in pages if p == args.profile)
        clients[role].get(args.profile)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.rounds):
            clients[role].get(args.profile)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    medians, cpu, counts = measure(pages, clients, counter, args.rounds)
    floor = medians["/_floor"]
    print(f"{'page':30s} {'ms':>7s} {'% floor':>8s} {'CPU ms':>7s} {'% floor':>8s} {'SQL':>4s} {'ORM obj':>8s} "
          f"{'bytes':>8s}")
    for name, path, _role in pages:
        q, o, size = counts[path]
        print(f"{name:30s} {medians[path] * 1000:7.2f} {floor / medians[path]:8.0%} {cpu[path] * 1000:7.2f} "
              f"{cpu['/_floor'] / cpu[path]:8.0%} {q:4d} {o:8d} {size:8,d}"
              f"{'' if path == '/_floor' or floor / medians[path] >= GOAL_RATIO else '  < goal'}")


if __name__ == "__main__":
    main()
