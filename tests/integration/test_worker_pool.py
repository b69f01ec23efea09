"""The worker pool (app/jobs/pool.py, the Procfile's `worker:`): real Redis, real forked `rq` workers.

The pool builds the app once and forks two workers; an email job queued by the app is sent; one
worker is SIGKILLed and the pool forks a replacement, registered with RQ; the next email is sent.
Polls with a deadline: nothing here depends on how fast the machine is.
"""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from rq.worker import Worker as RQWorker

from app.mail.outbox import queue_email
from app.models import OutboxEmail
from tests.integration.fault_tools import wait_for
from tests.services import ROOT, flush_redis, require_env, worker_env


def _children(pid):
    try:
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except FileNotFoundError:
        return set()


def _running(pid):
    """Alive and not a zombie (an orphan's exit may wait for a reaper that a container lacks)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in "ZX"
    except FileNotFoundError:
        return False


def _sent(db, row_id):
    db.session.rollback()
    return db.session.get(OutboxEmail, row_id).status == "sent"


def _registered(conn, pids):
    """The RQ worker records (heartbeats in Redis) of these processes, when all of them have one."""
    by_pid = {w.pid: w for w in RQWorker.all(connection=conn)}
    return pids <= set(by_pid) and [by_pid[p] for p in pids]


@pytest.fixture
def pool(app, tmp_path):
    """`python -m app.jobs.pool -n 2 email` in its own session; stopped (SIGTERM, a warm shutdown) after."""
    redis_url = require_env("TEST_REDIS_URL")
    log = tmp_path / "pool.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "app.jobs.pool", "--url", redis_url, "-n", "2", "email"],
                                env=worker_env(app, redis_url, tmp_path / "worker"), cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    seen = set()  # every worker it forked: each leads its own process group (with RQ's scheduler, if it has it)
    proc.seen = seen
    proc.log = log
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        for pid in seen:  # a SIGKILLed worker's scheduler would outlive it
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.mark.postgres
@pytest.mark.parametrize("app_config", [{"REDIS_URL": "set below"}])
def test_pool_forks_two_workers_and_replaces_a_killed_one(app, db, pool, app_config):
    redis_url = require_env("TEST_REDIS_URL")
    app.config["REDIS_URL"] = redis_url
    flush_redis(redis_url)
    conn = Redis.from_url(redis_url)

    def workers(n):
        pids = _children(pool.pid)
        assert pool.poll() is None, pool.log.read_text()[-3000:]
        pool.seen.update(pids)
        return len(pids) == n and _registered(conn, pids) and pids

    first = wait_for(lambda: workers(2), timeout=60, what="two pool workers registered with RQ")

    row = queue_email("pool:1", "a@example.org", "Hello", "Body")
    db.session.commit()
    wait_for(lambda: _sent(db, row.id), timeout=60, what="the first email sent by a pool worker")

    # The worker that runs RQ's scheduler (a process it forked): the harder case. Killed alone, its
    # scheduler used to live on with a copy of its Redis socket, and Redis kept the dead worker's
    # blocking dequeue open: the next email went to nobody. It now stops when its worker dies.
    victim, scheduler = wait_for(lambda: next(((w, min(_children(w))) for w in first if _children(w)), None),
                                 timeout=60, what="a pool worker to start RQ's scheduler")
    os.kill(victim, signal.SIGKILL)
    replaced = wait_for(lambda: victim not in _children(pool.pid) and workers(2), timeout=60,
                        what="the pool to fork a replacement for the killed worker")
    assert first - {victim} < replaced and victim not in replaced  # the survivor kept, one new worker
    assert pool.poll() is None  # the pool itself rode it out
    wait_for(lambda: not _running(scheduler), timeout=60, what="the killed worker's scheduler to stop")

    row = queue_email("pool:2", "b@example.org", "Hello again", "Body")
    db.session.commit()
    wait_for(lambda: _sent(db, row.id), timeout=60, what="the next email sent after the replacement")
    log = pool.log.read_text()
    assert f"pid {victim} is dead" in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
