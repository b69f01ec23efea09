"""Fault: an `rq worker` is SIGKILLed in the middle of a batch of emails.

Real processes: Redis (from make test), an `rq worker` sending through the real `sendgrid` client to
a fake SendGrid that holds one request open until we have killed the worker and its work horse.
Every email must still go out; the one SendGrid had taken but we had not marked sent goes twice
(counted, and explained in docs/RELIABILITY.md); no other email does.
"""
import os
import signal
import time

import pytest

from app.mail.outbox import queue_email
from app.models import OutboxEmail
from app.models.base import utcnow
from tests.integration.fault_tools import FakeSendGrid, Worker, flask_command, record_figures, wait_for
from tests.services import flush_redis, require_env

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): faults: outbox claims (conditional UPDATEs) raced
# by rq workers (figures per dialect).
pytestmark = pytest.mark.postgres

EMAILS = 200
KILL_AT = 60  # SendGrid holds the 60th email it receives; the kill lands while it waits
CLAIM = 10


def _claim_lapsed(db, key):
    """Whether the dead sender's claim on the row has run out (so one sweep is enough: each sweep is a
    `flask` process, seconds of CPU, and polling with them is what made this test slow)."""
    db.session.rollback()
    row = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == key))
    return row.claimed_until is None or row.claimed_until < utcnow()


def _status_counts(db):
    db.session.rollback()  # a fresh snapshot: the worker writes from another process
    rows = db.session.execute(db.select(OutboxEmail.status, db.func.count()).group_by(OutboxEmail.status))
    return dict(rows.all())


@pytest.mark.parametrize("app_config", [{"REDIS_URL": "set below"}])
def test_worker_killed_mid_batch_every_email_still_goes_out(app, db, tmp_path, app_config):
    redis_url = require_env("TEST_REDIS_URL")
    app.config["REDIS_URL"] = redis_url
    flush_redis(redis_url)
    with FakeSendGrid(delay=0.01) as sendgrid:
        mail_env = {"SENDGRID_API_KEY": "SG.fake", "SENDGRID_HOST": sendgrid.url,
                    "MAIL_CLAIM_SECONDS": str(CLAIM), "MAIL_TIMEOUT_SECONDS": "5"}
        for i in range(EMAILS):
            queue_email(f"kill:{i}", f"volunteer{i}@example.org", "Your opportunity", f"Hello {i}")
        db.session.commit()  # after commit: 200 jobs on the email queue
        sendgrid.hold_at = KILL_AT

        first = Worker(app, redis_url, tmp_path / "w1", extra_env=mail_env, name="doomed")
        second = None
        try:
            wait_for(lambda: sendgrid.held.is_set(), 300, what=f"SendGrid to receive email {KILL_AT}")
            killed_at = time.monotonic()
            horses = first.kill()
            sendgrid.release.set()
            assert horses, "the worker had a work horse sending the held email"
            handed_before_restart = sendgrid.count()
            in_flight = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == sendgrid.held_key))
            db.session.refresh(in_flight)
            # SendGrid has it, we never heard back: still pending, claimed by the dead sender.
            assert in_flight.status == "pending" and in_flight.claimed_until is not None
            assert _status_counts(db)["sent"] == KILL_AT - 1

            # A new worker takes the rest of the queue.
            restarted_at = time.monotonic()
            second = Worker(app, redis_url, tmp_path / "w2", extra_env=mail_env, name="replacement")
            wait_for(lambda: _status_counts(db).get("sent") == EMAILS - 1, 600, what="the queue to drain")
            queue_drained_at = time.monotonic()
            db.session.refresh(in_flight)
            assert in_flight.status == "pending"  # its job died with the worker; only the sweeper knows

            # The sweeper (cron: `flask outbox sweep`) re-enqueues it once the dead sender's claim lapses.
            sweeps = []
            wait_for(lambda: _claim_lapsed(db, sendgrid.held_key), 120, what="the dead sender's claim to lapse")

            def swept():
                done = flask_command(app, redis_url, tmp_path / "cron", "outbox", "sweep", "--older-than", "0",
                                     extra_env=mail_env)
                assert done.returncode == 0, done.stderr[-2000:]
                sweeps.append(done.stdout.strip())
                return "re-enqueued 1 email" in done.stdout

            wait_for(swept, 300, interval=1, what="the sweeper to re-enqueue the in-flight email")
            wait_for(lambda: _status_counts(db) == {"sent": EMAILS}, 300, what="every email to be sent")
            all_sent_at = time.monotonic()
        finally:
            sendgrid.release.set()
            first.stop()
            if second:
                second.stop()

        receipts = list(sendgrid.receipts)
    keys = [f"kill:{i}" for i in range(EMAILS)]
    duplicates = sorted({k for k in receipts if receipts.count(k) > 1})
    # Every email went out; only the one SendGrid took as the worker died went twice.
    assert set(receipts) == set(keys), second.output() if second else ""
    assert duplicates == [sendgrid.held_key]
    assert len(receipts) == EMAILS + 1
    db.session.refresh(in_flight)
    assert in_flight.attempts == 2
    attempts = dict(db.session.execute(db.select(OutboxEmail.idempotency_key, OutboxEmail.attempts)).all())
    assert {k: n for k, n in attempts.items() if n != 1} == {sendgrid.held_key: 2}
    record_figures(f"worker_kill[{db.engine.dialect.name}]", {
        "emails": EMAILS,
        "handed_to_sendgrid_before_kill": handed_before_restart,
        "handed_to_sendgrid_total": len(receipts),
        "duplicates": len(receipts) - EMAILS,
        "claim_seconds": CLAIM,
        "sweeps_until_reenqueued": len(sweeps),
        "seconds_restart_to_queue_drained": round(queue_drained_at - restarted_at, 1),
        "seconds_kill_to_all_sent": round(all_sent_at - killed_at, 1),
    })


@pytest.mark.parametrize("app_config", [{"REDIS_URL": "set below"}])
def test_work_horse_killed_the_worker_lives_on_and_the_sweeper_sends_the_email(app, db, tmp_path, app_config):
    """The OOM killer's case: only the work horse dies. The worker sees it, fails that job (email jobs
    have no RQ `Retry`: the outbox is the one retry layer) and goes on with the queue; once the dead
    sender's claim lapses, the sweeper queues the email again and it is sent."""
    redis_url = require_env("TEST_REDIS_URL")
    app.config["REDIS_URL"] = redis_url
    flush_redis(redis_url)
    emails, hold_at = 30, 10
    with FakeSendGrid(delay=0.01) as sendgrid:
        mail_env = {"SENDGRID_API_KEY": "SG.fake", "SENDGRID_HOST": sendgrid.url,
                    "MAIL_CLAIM_SECONDS": "5", "MAIL_TIMEOUT_SECONDS": "2"}
        for i in range(emails):
            queue_email(f"horse:{i}", f"volunteer{i}@example.org", "Your opportunity", f"Hello {i}")
        db.session.commit()
        sendgrid.hold_at = hold_at
        worker = Worker(app, redis_url, tmp_path / "w", extra_env=mail_env, name="survivor")
        try:
            wait_for(lambda: sendgrid.held.is_set(), 300, what=f"SendGrid to receive email {hold_at}")
            killed_at = time.monotonic()
            horses = worker.horse_pids()
            assert horses
            for pid in horses:
                os.kill(pid, signal.SIGKILL)
            sendgrid.release.set()
            # The worker goes on with the rest of the queue; the held email's job died with its horse.
            wait_for(lambda: _status_counts(db) == {"sent": emails - 1, "pending": 1}, 300, what="the queue to drain")
            assert worker.proc.poll() is None  # the worker itself lived on
            wait_for(lambda: _claim_lapsed(db, sendgrid.held_key), 120, what="the dead sender's claim to lapse")

            def swept():
                done = flask_command(app, redis_url, tmp_path / "cron", "outbox", "sweep", "--older-than", "0",
                                     extra_env=mail_env)
                assert done.returncode == 0, done.stderr[-2000:]
                return "re-enqueued 1 email" in done.stdout

            wait_for(swept, 120, interval=1, what="the sweeper to re-enqueue the held email")
            wait_for(lambda: _status_counts(db) == {"sent": emails}, 300, what="the swept email to be sent")
            all_sent_at = time.monotonic()
        finally:
            sendgrid.release.set()
            worker.stop()
        receipts = list(sendgrid.receipts)
    assert set(receipts) == {f"horse:{i}" for i in range(emails)}
    duplicates = sorted({k for k in receipts if receipts.count(k) > 1})
    assert duplicates == [sendgrid.held_key]
    assert "Work-horse terminated unexpectedly" in worker.log.read_text()
    record_figures(f"horse_kill[{db.engine.dialect.name}]", {
        "emails": emails, "handed_to_sendgrid_total": len(receipts), "duplicates": len(receipts) - emails,
        "claim_seconds": 5, "seconds_kill_to_all_sent": round(all_sent_at - killed_at, 1),
    })
