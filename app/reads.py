"""Read-only page queries without the ORM layer.

A page that only displays columns gains nothing from ORM entities or from the Session's execute
path: for a small SELECT of columns, `Session.execute` (ORM compile state, result adaptation) costs
about twice the round trip itself, and building the statement anew costs as much again
(docs/BENCHMARKS.md, "Load": 0.44 ms built and run through the session, 0.11 ms prebuilt and run on
the connection). So the main pages' reads are built once per process (`statement`, values passed
as bind parameters) and run with `rows` on the session's own connection: same transaction, so a
request still sees what it wrote, but no autoflush; flush first if the request has pending objects.
"""
import functools

from app.extensions import db


def statement(build):
    """Decorator: `build()` returns a SELECT with `db.bindparam`s; it runs once per process."""
    return functools.cache(build)


def rows(stmt, **params):
    """The Rows of a column SELECT, run on the session's connection."""
    return db.session.connection().execute(stmt, params).all()


def first(stmt, **params):
    """The first Row, or None."""
    return db.session.connection().execute(stmt, params).first()
