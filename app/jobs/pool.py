"""`python -m app.jobs.pool -n 2 matching email default`: RQ workers forked from one process that built the app.

The RQ side of `gunicorn --preload`. A fresh `rq worker` imports Flask, SQLAlchemy, rq and the app
and builds it before it takes a job (most of a CPU second, several seconds on a busy machine), and
so does every worker a supervisor restarts. Here one process builds the app, then RQ's own
`WorkerPool` starts the workers as forks of it (multiprocessing's "fork" start method) and replaces
any that dies, again by a fork: a worker is ready in milliseconds (docs/BENCHMARKS.md, "Worker
start"). Each worker is an `AppWorker` running with the scheduler (RQ's pool always asks for it;
one worker wins the scheduler's lock), and forks a work horse per job as before.

What the forks must not share with this process: database connections (it closes its own after
building the app, and each worker drops any inherited one in `worker_app()`) and Redis connections
(this process never talks to Redis; each worker opens its own connection pool).
"""
import argparse
import ctypes
import gc
import logging
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import time

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq.worker_pool import WorkerPool, run_worker

from app.jobs.queue import QUEUES
from app.jobs.worker import AppWorker

log = logging.getLogger("app.jobs.pool")


def preload():
    """Build what every worker needs, once, in the process the workers are forked from."""
    from sqlalchemy.orm import configure_mappers

    from app.extensions import db
    from app.jobs.context import worker_app

    flask_app = worker_app()
    import app.jobs.email  # noqa: F401  (the job modules, inherited by each worker and work horse)
    import app.jobs.matching  # noqa: F401

    # The first relationship a query touches configures all 46 mappers (~0.1 s); do it here, once.
    configure_mappers()
    with flask_app.app_context():
        for engine in db.engines.values():
            engine.dispose()  # this process never queries: no connection for a fork to inherit
    gc.freeze()  # as wsgi.py: what was built lives as long as the workers, out of the collector's full passes
    return flask_app


def _die_with_parent(_=None):
    """In a child started by multiprocessing: receive SIGTERM when the parent dies (Linux only).

    Registered with multiprocessing's after-fork hooks in the pool, so it applies to each worker the
    pool forks and to the scheduler process RQ forks from a worker (both use multiprocessing), not
    to work horses (plain os.fork: a horse left by a killed worker still finishes and records its
    job). SIGTERM is a warm shutdown for both. Without it, a pool killed outright (SIGKILL) leaves
    its workers running beside the new ones its restart forks; and a worker killed outright leaves
    its scheduler running, holding the scheduler's lock and a copy of the worker's Redis socket, on
    which Redis keeps the dead worker's blocking dequeue open: the next job goes to nobody.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: children stop when asked, as before
        return
    if os.getppid() != multiprocessing.parent_process().pid:  # the parent died before prctl took effect
        os._exit(0)


def _signals_from_the_pool_only():
    """Give this worker a process group of its own, so that it hears about stopping from the pool alone.

    RQ's worker takes a first SIGINT or SIGTERM as "finish the job, then stop" and a second one as
    "kill the job now". A terminal's Ctrl-C or a supervisor signalling the whole process group would
    reach the worker once directly and once more through the pool (which sends SIGINT to each).
    """
    os.setpgrp()


def _run_worker(*args, **kwargs):
    """RQ's worker body, with a Redis outage at start-up reported in one line instead of a traceback.

    The worker then waits RESTART_DELAY seconds (5, as deploy/keep-running) before exiting, so that
    while Redis is down the pool retries each worker every few seconds rather than every second.
    """
    _signals_from_the_pool_only()
    try:
        run_worker(*args, **kwargs)
    except RedisConnectionError as exc:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # the pool stopping now ends the wait at once
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        log.error("rq worker %d: Redis unreachable (%s); exiting, the pool starts another", os.getpid(), exc)
        time.sleep(float(os.environ.get("RESTART_DELAY", "5")))
        sys.exit(1)


class AppWorkerPool(WorkerPool):
    """RQ's WorkerPool, building the app before it forks its first worker."""

    def __init__(self, queues, connection, num_workers=2, **kwargs):
        kwargs.setdefault("worker_class", AppWorker)
        super().__init__(queues, connection, num_workers=num_workers, **kwargs)
        self._logging_level = "INFO"

    def start(self, burst=False, logging_level="INFO"):
        self._logging_level = logging_level
        preload()
        multiprocessing.util.register_after_fork(_die_with_parent, _die_with_parent)
        super().start(burst=burst, logging_level=logging_level)

    def start_worker(self, count=None, burst=True, _sleep=0, logging_level=None):
        # RQ's pool starts a replacement with its default level (INFO), not the one it was given.
        super().start_worker(count, burst=burst, _sleep=_sleep,
                             logging_level=logging_level or self._logging_level)

    def get_worker_process(self, name, burst, _sleep=0, logging_level="INFO"):
        process = super().get_worker_process(name, burst, _sleep=_sleep, logging_level=logging_level)
        process._target = _run_worker  # same arguments as RQ's run_worker (multiprocessing's Process API)
        return process


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m app.jobs.pool", description=__doc__.splitlines()[0])
    parser.add_argument("--url", "-u", default=os.environ.get("REDIS_URL"), help="Redis URL (default: $REDIS_URL)")
    parser.add_argument("--num-workers", "-n", type=int, default=int(os.environ.get("RQ_WORKERS", "2")),
                        help="workers to keep running (default: $RQ_WORKERS or 2)")
    parser.add_argument("--burst", "-b", action="store_true", help="each worker quits when the queues are empty")
    parser.add_argument("--logging-level", "-l", default="INFO")
    parser.add_argument("queues", nargs="*", default=list(QUEUES))
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("set REDIS_URL or pass --url")
    pool = AppWorkerPool(args.queues, Redis.from_url(args.url), num_workers=args.num_workers)
    pool.start(burst=args.burst, logging_level=args.logging_level)


if __name__ == "__main__":
    main()
