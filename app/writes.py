"""Which tables the session's open transaction has written, for whoever acts when it ends.

SQLAlchemy hooks note every table written through the session: ORM flushes (new, changed and
deleted objects) and INSERT / UPDATE / DELETE statements sent with `session.execute` (lifecycle
transitions are). At COMMIT the set goes to the callbacks registered with `on_commit`
(app/page_cache.py drops what was computed from those tables); at ROLLBACK it is forgotten.
`wrote_nothing` says whether the open transaction has written anything (app/request_end.py).
"""
from sqlalchemy import event

from app.extensions import db

KEY = "tables_written"
_callbacks = []
_installed = False


def install():
    """Listen on the session, once for every app built."""
    global _installed
    if _installed:
        return
    _installed = True
    event.listen(db.session, "after_flush", _after_flush)
    event.listen(db.session, "do_orm_execute", _on_execute)
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", _after_rollback)


def on_commit(callback):
    """Call `callback(tables)` after each real COMMIT that wrote something (not a SAVEPOINT's release)."""
    if callback not in _callbacks:
        _callbacks.append(callback)


def wrote_nothing(session):
    """True while the session's open transaction has written no row through it."""
    return not session.info.get(KEY) and not (session.new or session.dirty or session.deleted)


def _after_flush(session, _context):
    tables = {getattr(o, "__tablename__", None) for o in (*session.new, *session.dirty, *session.deleted)}
    if tables:
        session.info.setdefault(KEY, set()).update(tables)


def _on_execute(state):
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        # A statement without a single table still counts as a write (None: no cache entry reads it).
        state.session.info.setdefault(KEY, set()).add(table.name if table is not None else None)


def _after_commit(session):
    if session.in_nested_transaction():
        return  # a SAVEPOINT released; the real commit is still to come
    tables = session.info.pop(KEY, None)
    if tables:
        for callback in _callbacks:
            callback(tables)


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(KEY, None)
