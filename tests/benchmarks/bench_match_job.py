"""The matching job end to end (load features, rank, store the top 50) on SQLite and PostgreSQL.

Compared, in the same run, with the cheapest possible read of the same data: one raw DBAPI
fetch of the volunteer table's matching columns (what any loader must at least do).
Run through `make bench` (which starts PostgreSQL); prints a table and updates docs/BENCHMARKS.md.
"""
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

N = int(os.environ.get("BENCH_VOLUNTEERS", "100000"))
REPEATS = 3


def _app(url, instance):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    os.environ["BARNSTORM_INSTANCE"] = instance
    return create_app(Config)


def _setup(app):
    from app.models import Campaign, Project, ProjectSkill, Skill
    from app.places import find_city
    from app.seed.menu import load_menu
    from app.seed.synthetic import create_synthetic_volunteers

    db.drop_all()
    db.create_all()
    load_menu()
    place = find_city("Richmond", "VA")
    campaign = Campaign(
        name="Bench campaign", candidate_name="A. Candidate", office="State House", office_level="state",
        state="VA", city=place.name, city_key=place.key, lat=place.lat, lon=place.lon,
        election_date=date.today() + timedelta(days=300),
    )
    db.session.add(campaign)
    start = date.today() + timedelta(days=7)
    project = Project(campaign=campaign, title="Bench project", status="approved", hours_per_week=6, weeks=6,
                      start_date=start, end_date=start + timedelta(weeks=6))
    db.session.add(project)
    skills = db.session.scalars(sa.select(Skill).order_by(Skill.id).limit(4)).all()
    for i, s in enumerate(skills):
        project.skills.append(ProjectSkill(skill_id=s.id, level=2 + i % 2, weight=1.0 + i))
    db.session.commit()
    t0 = time.perf_counter()
    create_synthetic_volunteers(N, seed=1)
    return project.id, time.perf_counter() - t0


def _raw_fetch():
    conn = db.engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(
            "SELECT id, home_city_key, current_city_key, home_lat, home_lon, current_lat, current_lon, "
            "hours_per_week, available_from, available_until, lead_trained, paused FROM volunteer_profiles"
        )
        rows = cur.fetchall()
        cur.execute("SELECT volunteer_id, skill_id, level FROM volunteer_skills")
        rows += cur.fetchall()
        return len(rows)
    finally:
        conn.close()


def measure(url, label):
    from app.models import MatchRun
    from app.recruiting.features import load_volunteer_features
    from app.recruiting.runs import run_match

    with tempfile.TemporaryDirectory() as instance:
        app = _app(url, instance)
        with app.app_context():
            project_id, seed_s = _setup(app)
            base, job, load = [], [], []
            for _ in range(REPEATS):
                t0 = time.perf_counter()
                _raw_fetch()
                base.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                load_volunteer_features()
                load.append(time.perf_counter() - t0)
                run = MatchRun(project_id=project_id, status="queued")
                db.session.add(run)
                db.session.commit()
                t0 = time.perf_counter()
                run = run_match(run.id)
                job.append(time.perf_counter() - t0)
                assert run.status == "done", run.error
                assert len(run.candidates) == 50
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    b, j, l = statistics.median(base), statistics.median(job), statistics.median(load)
    return {"db": label, "volunteers": N, "seed_s": seed_s, "raw_fetch_s": b, "load_s": l, "job_s": j, "ratio": j / b}


def _pg_database(admin_url):
    name = f"bench_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name, name


def main():
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(measure(f"sqlite:///{tmp}/bench.db", "SQLite"))
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
    lines = [
        f"Matching job end to end ({N:,} volunteers; load features, rank, store top 50; median of {REPEATS}). "
        "Baseline: one raw DBAPI fetch of the volunteer and skill rows, same run. Goal: job under 2 s.",
        "",
        "| database | seed (s) | raw fetch (s) | load features (s) | whole job (s) | job / raw fetch | goal met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['db']} | {r['seed_s']:.1f} | {r['raw_fetch_s']:.3f} | {r['load_s']:.3f} | {r['job_s']:.3f} "
            f"| {r['ratio']:.1f}x | {'yes' if r['job_s'] < 2 else 'no'} |"
        )
    text = "\n".join(lines)
    print(text)
    from tests.benchmarks.report import write_section

    write_section("matching-job", text)


if __name__ == "__main__":
    main()
