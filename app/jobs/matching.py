"""Matching jobs: thin wrappers that open an app context and call the recruiting service."""
from app.jobs.context import job_context


def run_match_job(run_id):
    """Rank volunteers for one match run; running it again rewrites the same candidates."""
    from app.recruiting.runs import run_match

    with job_context():
        run = run_match(run_id)
        return run.status if run else "missing"


def run_batch_job(run_id):
    """Assign volunteers across every project awaiting them."""
    from app.recruiting.runs import run_batch

    with job_context():
        run = run_batch(run_id)
        return run.status if run else "missing"


def sweep_match_runs_job(older_than_seconds=120):
    """Re-queue match runs that no job holds (Redis refused or lost them); returns how many."""
    from app.recruiting.runs import requeue_stranded_runs

    with job_context():
        return requeue_stranded_runs(older_than_seconds)
