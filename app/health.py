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
    return report, ok
