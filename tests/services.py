"""Helpers for tests that need the real services started by tests/run.sh."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def require_env(name):
    """The value of `name`; under CI its absence is a failure, by hand a skip."""
    value = os.environ.get(name)
    if not value:
        message = f"{name} is not set: run the suite through `make test`, which starts the service"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return value


def worker_env(app, redis_url, instance):
    """Environment for an `rq worker` that builds the same app against the same database."""
    env = dict(os.environ)
    env.update(
        BARNSTORM_ENV="development",
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=redis_url,
        BARNSTORM_INSTANCE=str(instance),
        PUBLIC_URL=app.config["PUBLIC_URL"],
        SECRET_KEY=app.config["SECRET_KEY"],
        PYTHONPATH=str(ROOT),
    )
    env.pop("SENDGRID_API_KEY", None)
    return env


def run_burst_worker(app, redis_url, instance, queues=("matching", "email", "default"), timeout=120,
                     worker_class="app.jobs.worker.AppWorker"):
    """Run `rq worker --burst` as a real subprocess until the queues are empty.

    By default with our worker class, as the Procfile runs it (the app is built once, not in every
    work horse: a plain worker spends seconds per job importing and building it on a busy machine);
    `worker_class=None` runs a plain `rq worker`.
    """
    rq = str(Path(sys.executable).parent / "rq")
    return subprocess.run(
        [rq, "worker", "--burst", "--url", redis_url, *(["-w", worker_class] if worker_class else []), *queues],
        env=worker_env(app, redis_url, instance),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def flush_redis(redis_url):
    from redis import Redis

    Redis.from_url(redis_url).flushdb()


# --- One set of data per pytest-xdist worker ---


def _worker_index(worker):
    """0 for "gw0" (and for a plain run, worker ""), 1 for "gw1", ..."""
    return int(worker[2:]) if worker.startswith("gw") else 0


def worker_redis_url(url, worker):
    """The Redis URL with its database number offset by the worker's index (redis has 16 by default)."""
    from urllib.parse import urlsplit, urlunsplit

    if not worker:
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + _worker_index(worker)
    return urlunsplit(parts._replace(path=f"/{number}"))


def worker_database_url(url, worker):
    """The PostgreSQL URL with the worker's own database: app_test -> app_test_gw1."""
    from sqlalchemy.engine import make_url

    if not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def create_database(url):
    """(Re)create the empty PostgreSQL database `url` names, through the server's `postgres` database."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')
