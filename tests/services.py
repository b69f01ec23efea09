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


def run_burst_worker(app, redis_url, instance, queues=("matching", "email", "default"), timeout=120):
    """Run `rq worker --burst` as a real subprocess until the queues are empty."""
    rq = str(Path(sys.executable).parent / "rq")
    return subprocess.run(
        [rq, "worker", "--burst", "--url", redis_url, *queues],
        env=worker_env(app, redis_url, instance),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def flush_redis(redis_url):
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
