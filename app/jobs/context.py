"""An app context for job functions, whether run by `rq worker` or in-process."""
import os
from contextlib import contextmanager

from flask import has_app_context

_worker_app = None
_built_in_pid = None


def worker_app():
    """The Flask app of this worker process, built once.

    A forking `rq worker` runs each job in a fresh child (the work horse). When the parent built
    the app first (see app/jobs/worker.py), every horse inherits it instead of paying ~1 s to
    import and build it again; the child only drops the database connections it inherited,
    which belong to the parent (SQLAlchemy's advice for pools across fork).
    """
    global _worker_app, _built_in_pid
    if _worker_app is None:
        from app import create_app

        _worker_app = create_app()
        _built_in_pid = os.getpid()
    elif _built_in_pid != os.getpid():
        from app.extensions import db

        with _worker_app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
        _built_in_pid = os.getpid()
    return _worker_app


@contextmanager
def job_context():
    """Reuse the caller's app context; in a worker, use the process's app (built once)."""
    if has_app_context():
        yield
        return
    with worker_app().app_context():
        yield
