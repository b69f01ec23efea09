"""Health of the database and Redis, for load balancers and operators."""
from sqlalchemy import text

from app.extensions import db
from app.jobs.queue import redis_connection


def health_report():
    """({component: status}, all_ok). Redis is optional when jobs run in-process."""
    report = {}
    ok = True
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as err:  # any failure means unhealthy; say which
        db.session.rollback()
        report["database"] = f"error: {type(err).__name__}"
        ok = False
    conn = redis_connection()
    if conn is None:
        report["redis"] = "not configured (jobs run in-process)"
    else:
        try:
            conn.ping()
            report["redis"] = "ok"
        except Exception as err:
            report["redis"] = f"error: {type(err).__name__}"
            ok = False
        else:
            report.update(process_report(conn))
    return report, ok


def process_report(conn):
    """Which background process kinds are alive, from the heartbeats they keep in Redis:
    `rq worker`s (RQ's worker registry), the scheduler of `--with-scheduler` (its lock on the
    email queue, which holds the delayed retries) and `rq cron` (RQ's cron scheduler registry).
    Reported, not counted against the web's own health: a load balancer must not take the site
    out because a worker is missing; `/healthz?processes=required` does, for the operator's monitor."""
    from rq import Worker
    from rq.cron import CronScheduler
    from rq.scheduler import RQScheduler

    try:
        workers = Worker.all(connection=conn)
        scheduler = conn.exists(RQScheduler.get_locking_key("email"))
        crons = CronScheduler.all(connection=conn)
    except Exception as err:
        return {"processes": f"error: {type(err).__name__}"}
    report = {
        "workers": f"ok: {len(workers)}" if workers else "missing: no rq worker is running",
        "scheduler": "ok" if scheduler else "missing: no rq worker runs --with-scheduler",
        "cron": f"ok: {len(crons)}" if crons else "missing: rq cron is not running",
    }
    return report


def processes_missing(report):
    """The process kinds the report says are missing."""
    return [kind for kind in ("workers", "scheduler", "cron") if str(report.get(kind, "")).startswith("missing")]
