"""SQLite behaviour for the default, nothing-installed setup.

pysqlite's own transaction handling ignores SAVEPOINT and begins transactions lazily, which
leaves locks held after a commit. We take over: the driver is put in autocommit mode and we
emit BEGIN ourselves (SQLAlchemy's documented recipe). WAL lets readers and a writer coexist,
foreign keys are enforced as on PostgreSQL, and a transaction that is about to fight over a
row can ask for the write lock up front (`write_transaction`).

Every transaction of a request that may write (POST, PUT, PATCH, DELETE) takes the write lock up
front too. In WAL mode a transaction that read first and then writes fails at once with "database
is locked" when another writer went first (SQLite cannot wait there without risking a deadlock,
so the busy timeout never applies); BEGIN IMMEDIATE waits its turn instead. A handful of people
saving at once are served one after the other in milliseconds, instead of getting 503 pages.
"""
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
from flask import has_request_context, request
from sqlalchemy import event

from app.extensions import db

IMMEDIATE = "sqlite_begin_immediate"


def configure_sqlite(engine):
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        immediate = conn.get_execution_options().get(IMMEDIATE) or (
            has_request_context() and request.method not in SAFE_METHODS)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def write_transaction():
    """End the current transaction and start one that holds the write lock from its first
    statement (SQLite); elsewhere just a fresh transaction. Use before read-then-write
    sequences that concurrent users contend for, so SQLite waits instead of failing."""
    db.session.commit()
    db.session.connection(execution_options={IMMEDIATE: True})
