"""A request that wrote nothing ends its transaction with COMMIT, not ROLLBACK.

Flask-SQLAlchemy's teardown closes the session, which rolls back whatever is open. For reads the
two are the same to the database, but not to psycopg: a ROLLBACK makes it forget every statement
it had prepared on that connection (psycopg/_connection_base.py, `_rollback_gen`), so PostgreSQL
parsed and planned every statement of every page anew, each request. Ending reads with COMMIT
keeps them: psycopg prepares a statement from its 5th run on a connection, and a page then costs
PostgreSQL a bind and an execute (docs/BENCHMARKS.md, "Load").

Only when nothing was written (app/writes.py) and nothing failed: a request that wrote and did not
commit still has its writes rolled back, as before.
"""
import logging

from app import writes
from app.extensions import db

log = logging.getLogger(__name__)


def install(app):
    writes.install()

    # teardown_request runs before Flask-SQLAlchemy's teardown_appcontext removes the session.
    @app.teardown_request
    def _commit_reads(exc):
        if exc is not None or not db.session.registry.has():
            return
        session = db.session()
        if not session.in_transaction() or not writes.wrote_nothing(session):
            return
        try:
            session.commit()
        except Exception:  # the page was served; a lost connection only costs the prepared statements
            log.warning("ending a read-only request with COMMIT failed", exc_info=True)
            session.rollback()
