"""The staff directory of volunteers at 100,000 volunteers on PostgreSQL (and SQLite).

For each search: p50 of `app.pool.directory.search` (count + page + skills), the number of SELECTs
for a page of 20 and of 200 (must be equal), and PostgreSQL's plan of the page query.
Baseline, same run: one raw DBAPI fetch of an unfiltered 50-row page (users joined, newest first).
Run through `make bench`; prints a table and updates docs/BENCHMARKS.md.
"""
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

N = int(os.environ.get("BENCH_VOLUNTEERS", "100000"))
REPEATS = 21
GOAL_MS = 50


def _app(url, instance):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    os.environ["BARNSTORM_INSTANCE"] = instance
    return create_app(Config)


def _setup():
    from app.seed.menu import load_menu
    from app.seed.synthetic import create_synthetic_volunteers

    db.drop_all()
    db.create_all()
    load_menu()
    t0 = time.perf_counter()
    create_synthetic_volunteers(N, seed=3)
    # Spread last log-ins over a year and train 8% as leads, so those filters select something.
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("UPDATE users SET last_login_at = now() - (id % 365) * interval '1 day'"))
    else:
        db.session.execute(sa.text("UPDATE users SET last_login_at = datetime('now', '-' || (id % 365) || ' days')"))
    db.session.execute(sa.text("UPDATE volunteer_profiles SET lead_trained = (id % 12 = 0)"))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - t0


def _searches():
    from app.models import Skill, VolunteerProfile

    skill = db.session.scalar(sa.select(Skill.id).order_by(Skill.id))
    state, city = db.session.execute(
        sa.select(VolunteerProfile.current_state, VolunteerProfile.current_city)
        .group_by(VolunteerProfile.current_state, VolunteerProfile.current_city)
        .order_by(sa.func.count().desc()).limit(1)
    ).one()
    return [
        ("no filter, page 1", {}),
        ("no filter, last page (200)", {"page": "200"}),
        ("skill >= level 3 in a state", {"skill_id": str(skill), "min_level": "3", "state": state}),
        ("city, lead-trained", {"state": state, "city": city, "lead_trained": "yes"}),
        ("free >= 10 h, active 30 days, not paused", {"min_free_hours": "10", "active_within": "30", "paused": "no"}),
        ("name contains 'son'", {"q": "son"}),
    ]


def _baseline():
    conn = db.engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute("SELECT p.id, u.name, u.email, p.current_city, p.current_state, p.hours_per_week "
                    "FROM volunteer_profiles p JOIN users u ON u.id = p.user_id ORDER BY p.id DESC LIMIT 50")
        return len(cur.fetchall())
    finally:
        conn.close()


def _timed(fn, repeats=REPEATS):
    fn()  # warm
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def _captured(fn):
    statements = []

    def on(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", on)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", on)
    return [s for s in statements if s[0].lstrip().upper().startswith("SELECT")]


def _plan(statement, parameters):
    conn = db.engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + statement, parameters)
        return [row[0] for row in cur.fetchall()]
    finally:
        conn.close()


def measure(url, label):
    from app.pool import directory

    with tempfile.TemporaryDirectory() as instance:
        app = _app(url, instance)
        with app.app_context():
            seed_s = _setup()
            base_ms = _timed(_baseline)
            rows, plans = [], {}
            for name, args in _searches():
                f = directory.parse_filters(args)
                p50 = _timed(lambda f=f: directory.search(f))
                total = directory.search(f).total
                q20 = len(_captured(lambda a=args: directory.search(directory.parse_filters({**a, "per_page": "20"}))))
                q200 = len(_captured(lambda a=args: directory.search(directory.parse_filters({**a, "per_page": "200"}))))
                if db.engine.dialect.name == "postgresql":
                    count_stmt, page_stmt = _captured(lambda f=f: directory.search(f))[:2]
                    plans[name] = (_plan(*page_stmt), _plan(*count_stmt))
                rows.append({"search": name, "total": total, "p50": p50, "q20": q20, "q200": q200})
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    return {"db": label, "seed_s": seed_s, "base_ms": base_ms, "rows": rows, "plans": plans}


def _pg_database(admin_url):
    name = f"bench_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name, name


def main():
    results = []
    pg = os.environ.get("TEST_PG_URL")
    if pg:
        url, name = _pg_database(pg)
        try:
            results.append(measure(url, "PostgreSQL"))
        finally:
            engine = sa.create_engine(pg, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            engine.dispose()
    if os.environ.get("BENCH_DIRECTORY_SQLITE", "1") == "1":
        with tempfile.TemporaryDirectory() as tmp:
            results.append(measure(f"sqlite:///{tmp}/bench.db", "SQLite"))
    lines = [
        f"Staff directory of volunteers (`app/pool/directory.py`) at {N:,} volunteers; each search is the count, "
        f"one page of 50 and that page's skills; p50 of {REPEATS} after a warm-up. Baseline, same run: one raw "
        "DBAPI fetch of an unfiltered 50-row page (users joined, newest first). SELECTs counted for pages of 20 "
        f"and 200 rows: they must be equal. Goal: every search p50 < {GOAL_MS} ms.",
        "",
        "| database | search | matches | p50 (ms) | p50 / baseline | SELECTs (20 rows / 200 rows) | goal met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(f"| {r['db']} | baseline: raw 50-row page | — | {r['base_ms']:.2f} | 1.0x | — | — |")
        for row in r["rows"]:
            lines.append(
                f"| {r['db']} | {row['search']} | {row['total']:,} | {row['p50']:.1f} | "
                f"{row['p50'] / r['base_ms']:.0f}x | {row['q20']} / {row['q200']} | "
                f"{'yes' if row['p50'] < GOAL_MS else 'no'} |"
            )
    for r in results:
        if not r["plans"]:
            continue
        lines += ["", f"PostgreSQL plans ({r['db']}, `EXPLAIN ANALYZE`, costs and timing off):", ""]
        for name, (page_plan, count_plan) in r["plans"].items():
            lines += [f"<details><summary>{name}</summary>", "", "Page query:", "", "```"] + page_plan + \
                ["```", "", "Count query:", "", "```"] + count_plan + ["```", "", "</details>"]
    text = "\n".join(lines)
    print(text)
    from tests.benchmarks.report import write_section

    write_section("directory", text)


if __name__ == "__main__":
    main()
