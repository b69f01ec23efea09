"""Scale-out: several `rq worker` processes on the same queues, the Procfile, the health endpoint.

Two real workers (app.jobs.worker.AppWorker, as the Procfile runs them) share 100 jobs - 80 emails
and 20 match runs - against PostgreSQL (a database of its own on the suite's server). RQ's own
records and our rows show every job ran exactly once, and both workers took part: SendGrid holds the
first email it gets until the other worker has finished a job (RQ promises no fair split, so without
the hold one worker could legitimately take every job).

The jobs are queued before the workers start: `start_match_run` commits, enqueues, then writes the
job id in a second transaction, which on SQLite fails when a worker has already written the run
(a stale snapshot); on PostgreSQL it is harmless. Reported to recruiting's owner.
"""
import os
import re
import time

import pytest
from redis import Redis
from rq import Queue
from rq.job import Job

from app.extensions import db as _db
from app.jobs.queue import QUEUES
from app.mail.outbox import queue_email
from app.models import MatchRun, OutboxEmail
from app.recruiting.runs import start_match_run
from tests import factories
from tests.integration.fault_tools import FakeSendGrid, Worker, app_with_schema, free_port, record_figures, wait_for
from tests.services import ROOT, flush_redis, require_env

EMAILS, RUNS = 80, 20


def _done(db):
    db.session.rollback()
    sent = db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail).where(OutboxEmail.status == "sent"))
    runs = db.session.scalar(db.select(db.func.count()).select_from(MatchRun).where(MatchRun.status == "done"))
    return sent == EMAILS and runs == RUNS


def _finished(conn):
    return sum(Queue(name, connection=conn).finished_job_registry.count for name in ("matching", "email"))


@pytest.fixture
def pg_app(tmp_path):
    """An app on a database of its own on the suite's PostgreSQL server, whatever TEST_DATABASE_URL says
    (so it runs once, in make test's first pass): SQLite has one writer at a time, so several workers are
    a PostgreSQL set-up."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(require_env("TEST_PG_URL"))
    name = f"scale_out_{os.getpid()}"
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    with app_with_schema(server.set(database=name).render_as_string(hide_password=False), tmp_path / "instance") as app:
        yield app
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_two_workers_share_one_queue_and_do_each_job_once(pg_app, tmp_path):
    app, db, make = pg_app, _db, factories
    redis_url = require_env("TEST_REDIS_URL")
    app.config["REDIS_URL"] = redis_url
    flush_redis(redis_url)
    conn = Redis.from_url(redis_url)
    staff = make.user("staff")
    skill = make.skill("React")
    campaign = make.campaign(make.user("campaign"))
    projects = [make.project(campaign, skills=[(skill, 2)], status="approved", title=f"Site {i}") for i in range(RUNS)]
    for _ in range(10):
        make.volunteer(skills=[(skill, 3)], hours=20)

    # All 100 jobs are queued first, then both workers start together and race for them.
    for i in range(EMAILS):
        queue_email(f"scale:{i}", f"v{i}@example.org", "Hello", "Body")
    db.session.commit()  # 80 email jobs
    for project in projects:
        start_match_run(staff, project)  # 20 matching jobs
    assert sum(Queue(n, connection=conn).count for n in ("matching", "email")) == EMAILS + RUNS

    with FakeSendGrid(delay=0.05) as sendgrid:
        # A timeout longer than the hold below, so the held send is not cut off and tried again.
        env = {"SENDGRID_API_KEY": "SG.fake", "SENDGRID_HOST": sendgrid.url, "MAIL_TIMEOUT_SECONDS": "60"}
        sendgrid.hold_at = 1  # the first email waits at SendGrid, its worker with it
        started = time.monotonic()
        workers = [Worker(app, redis_url, tmp_path / f"w{i}", queues=("matching", "email"), extra_env=env,
                          name=f"scale-{i}") for i in (1, 2)]
        try:
            # While one worker waits on SendGrid it can finish nothing: a job finished meanwhile is the other's.
            wait_for(sendgrid.held.is_set, 300, what="the first email to reach SendGrid")
            finished_before = _finished(conn)
            wait_for(lambda: _finished(conn) > finished_before, 300, what="the other worker to finish a job")
            sendgrid.release.set()
            wait_for(lambda: _done(db), 600, interval=0.5, what="all 100 jobs")
            elapsed = time.monotonic() - started
        finally:
            for w in workers:
                w.stop()
        receipts = list(sendgrid.receipts)

    # Our rows: each email handed to SendGrid once and claimed once; each run done.
    assert sorted(receipts) == sorted(f"scale:{i}" for i in range(EMAILS))
    assert set(db.session.scalars(db.select(OutboxEmail.attempts))) == {1}
    assert {r.status for r in db.session.scalars(db.select(MatchRun))} == {"done"}
    # RQ's records: 100 finished jobs, one execution each, none failed, shared by both workers.
    finished = {name: Queue(name, connection=conn).finished_job_registry.get_job_ids() for name in ("matching", "email")}
    assert len(finished["email"]) == EMAILS and len(finished["matching"]) == RUNS
    assert all(Queue(n, connection=conn).failed_job_registry.count == 0 for n in ("matching", "email"))
    per_worker = {}
    for job_id in finished["email"] + finished["matching"]:
        job = Job.fetch(job_id, connection=conn)
        results = job.results()
        assert len(results) == 1, (job_id, results)
        per_worker[job.worker_name] = per_worker.get(job.worker_name, 0) + 1
    assert set(per_worker) == {"scale-1", "scale-2"}, per_worker
    record_figures("scale_out[postgresql]", {
        "workers": 2, "jobs": EMAILS + RUNS, "jobs_per_worker": per_worker,
        "executions_per_job": 1, "seconds_for_all_jobs": round(elapsed, 1),
    })


# --- The Procfile runs what the README describes ---


def test_procfile_runs_gunicorn_and_workers_on_every_queue():
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if ":" in line
                 and not line.startswith("#"))
    assert "gunicorn" in lines["web"] and "wsgi:app" in lines["web"]
    worker = lines["worker"].split()
    assert worker[0] == "deploy/keep-running"  # restarted when it exits (docs/RELIABILITY.md)
    worker = worker[1:]
    # The pool (app/jobs/pool.py: AppWorkers with RQ's scheduler, tests/integration/test_worker_pool.py).
    assert worker[:3] == ["python", "-m", "app.jobs.pool"] and "-n" in worker
    assert worker[-len(QUEUES):] == list(QUEUES)
    assert re.search(r"outbox sweep", lines.get("sweeper", "") + (ROOT / "README.md").read_text())


# --- The health endpoint: 200 with both up, 503 naming what is down ---


@pytest.mark.parametrize("app_config", [{"REDIS_URL": "set below"}])
def test_health_is_ok_with_database_and_redis_up(app, client, app_config):
    app.config["REDIS_URL"] = require_env("TEST_REDIS_URL")
    resp = client.get("/healthz")
    body = resp.get_json()
    assert resp.status_code == 200 and body["database"] == "ok" and body["redis"] == "ok"
    assert {"workers", "scheduler", "cron"} <= set(body)  # each "ok: n" or "missing: ..." (test_hardening_processes.py)


@pytest.mark.parametrize("app_config", [{"REDIS_URL": "set below"}])
def test_health_is_503_when_redis_is_down(app, client, app_config):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    resp = client.get("/healthz")
    body = resp.get_json()
    assert resp.status_code == 503 and body["database"] == "ok" and body["redis"].startswith("error")


def test_health_without_redis_configured_runs_jobs_in_process(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json()["redis"].startswith("not configured")
