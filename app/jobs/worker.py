"""The `rq worker` class for Barnstorm: `rq worker -w app.jobs.worker.AppWorker matching email default`.

RQ forks a work horse per job. A plain `rq worker` makes every horse import the app and build it
(about a second on a small machine, more than sending an email takes). This worker builds the app
once, before the first fork, so each job starts with it ready. Jobs behave the same either way.
The Procfile runs these in a pool (app/jobs/pool.py) whose process builds the app before forking
each worker, so a worker's own call to `worker_app()` finds it built.
"""
from rq.worker import Worker

from app.jobs.context import worker_app


class AppWorker(Worker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        worker_app()
        import app.jobs.email  # noqa: F401  (job modules imported once, inherited by each horse)
        import app.jobs.matching  # noqa: F401
