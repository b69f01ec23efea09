"""Redis outages on real processes, run the way the production recipe runs them (deploy/keep-running).

Our own redis-server is killed while a worker is in the middle of a job and across `rq cron`'s
ticks, then started again (empty: no persistence). The worker (one, in the Procfile's worker pool)
and `rq cron` exit, as RQ does; the pool forks the worker again and the supervisor starts `rq cron`
again until Redis is back; the sweeps re-enqueue what Redis lost. Every
email is delivered exactly once and nobody does anything by hand. /healthz names the missing kind.
"""
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from app.mail.outbox import queue_email
from app.models import OutboxEmail
from tests.integration.fault_tools import BIN, FakeSendGrid, OwnRedis, flask_command, record_figures, wait_for
from tests.services import ROOT, worker_env

KEEP_RUNNING = str(ROOT / "deploy" / "keep-running")


@pytest.fixture
def redis(tmp_path):
    server = OwnRedis(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def app_config(redis):
    return {"REDIS_URL": redis.url}


class Supervised:
    """A command under deploy/keep-running, in its own session so we stop only what we started."""

    def __init__(self, name, args, env, folder):
        self.log = Path(folder) / f"{name}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._out = open(self.log, "w")
        self.proc = subprocess.Popen([KEEP_RUNNING, *args], env=env, cwd=ROOT, stdout=self._out,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def restarts(self):
        return self.log.read_text().count("keep-running: ") if self.log.exists() else 0

    def workers_replaced(self):
        """Workers of a pool (app/jobs/pool.py) that died and were forked again."""
        return self.log.read_text().count(" is dead") if self.log.exists() else 0

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self._out.close()


def _statuses(db):
    db.session.rollback()  # a fresh snapshot: the workers write from other processes
    return dict(db.session.execute(db.select(OutboxEmail.status, db.func.count()).group_by(OutboxEmail.status)).all())


def _health(app):
    with app.test_request_context():
        from app.health import health_report

        return health_report()[0]


def test_redis_killed_mid_job_and_across_cron_ticks_every_email_goes_once(app, db, redis, tmp_path):
    first_batch, second_batch, hold_at, sweep_every = 12, 8, 4, 2
    with FakeSendGrid(delay=0.05) as sendgrid:
        env = worker_env(app, redis.url, tmp_path / "proc")
        env.update(SENDGRID_API_KEY="SG.fake", SENDGRID_HOST=sendgrid.url, MAIL_CLAIM_SECONDS="5",
                   MAIL_TIMEOUT_SECONDS="5", RESTART_DELAY="1", BARNSTORM_SWEEP_SECONDS=str(sweep_every),
                   BARNSTORM_SWEEP_AFTER_SECONDS="3")
        rq = str(BIN / "rq")
        worker = Supervised("worker", [str(BIN / "python"), "-m", "app.jobs.pool", "--url", redis.url, "-n", "1",
                                       "email", "default"], env, tmp_path)
        cron = Supervised("cron", [rq, "cron", "app/jobs/rq_cron.py", "--url", redis.url], env, tmp_path)
        try:
            wait_for(lambda: all(str(_health(app).get(k, "")).startswith("ok") for k in ("workers", "scheduler",
                                                                                        "cron")),
                     120, what="worker, scheduler and cron to report in Redis")
            sendgrid.hold_at = hold_at
            for i in range(first_batch):
                queue_email(f"outage:{i}", f"v{i}@example.org", "Hello", f"Body {i}")
            db.session.commit()  # enqueued after commit
            wait_for(sendgrid.held.is_set, 120, what="the worker to be mid-send")

            redis.stop()  # mid-job, and it stays down across several cron ticks
            down_at = time.monotonic()
            for i in range(second_batch):  # people keep acting: these wait in the outbox
                queue_email(f"outage-late:{i}", f"w{i}@example.org", "Hello", f"Late {i}")
            db.session.commit()
            health_down = _health(app)
            sendgrid.release.set()
            wait_for(lambda: worker.workers_replaced() >= 1 and cron.restarts() >= 1, 180, interval=0.5,
                     what="the worker to exit and be forked again by the pool, rq cron started again")
            restarts_while_down = {"worker": worker.workers_replaced(), "cron": cron.restarts(),
                                   "worker_pool": worker.restarts()}

            redis.start()  # empty: every job it held is gone
            up_at = time.monotonic()
            total = first_batch + second_batch
            wait_for(lambda: _statuses(db) == {"sent": total}, 300, interval=0.5,
                     what="every email to be sent with no manual step")
            drained_at = time.monotonic()
            wait_for(lambda: all(str(_health(app).get(k, "")).startswith("ok")
                                 for k in ("workers", "scheduler", "cron")), 120, what="processes back in /healthz")
        finally:
            sendgrid.release.set()
            worker.stop()
            cron.stop()
        receipts = list(sendgrid.receipts)
    keys = [f"outage:{i}" for i in range(first_batch)] + [f"outage-late:{i}" for i in range(second_batch)]
    assert sorted(receipts) == sorted(keys), (worker.log.read_text()[-3000:], cron.log.read_text()[-3000:])
    assert health_down["redis"].startswith("error")
    record_figures(f"redis_outage_supervised[{db.engine.dialect.name}]", {
        "emails": total, "delivered": len(receipts), "duplicates": len(receipts) - len(set(receipts)),
        "seconds_redis_down": round(up_at - down_at, 1),
        "restarts_while_down": restarts_while_down,
        "seconds_redis_back_to_all_sent": round(drained_at - up_at, 1),
        "sweep_every_seconds": sweep_every,
    })


def test_healthz_names_each_missing_process_kind(app, client, redis):
    body = client.get("/healthz").get_json()
    assert body["workers"].startswith("missing") and "rq worker" in body["workers"]
    assert body["scheduler"].startswith("missing") and "--with-scheduler" in body["scheduler"]
    assert body["cron"].startswith("missing") and "rq cron" in body["cron"]
    assert client.get("/healthz").status_code == 200  # the web itself is fine: keep it in the balancer
    assert client.get("/healthz?processes=required").status_code == 503  # for the operator's monitor


def test_outbox_sweep_exits_1_while_redis_refuses_jobs_even_with_nothing_waiting(app, redis, tmp_path):
    redis.stop()
    done = flask_command(app, redis.url, tmp_path / "cron", "outbox", "sweep")
    assert done.returncode == 1 and "is Redis up?" in done.stderr, done.stdout + done.stderr
    redis.start()
    done = flask_command(app, redis.url, tmp_path / "cron", "outbox", "sweep")
    assert done.returncode == 0, done.stderr[-2000:]
