"""An app context for job functions, whether run by `rq worker` or in-process."""
from contextlib import contextmanager

from flask import has_app_context

_worker_app = None


@contextmanager
def job_context():
    """Reuse the caller's app context; in a worker, build the app once per process."""
    global _worker_app
    if has_app_context():
        yield
        return
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        yield
