"""Writing emails to the outbox inside the caller's transaction."""
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import OutboxEmail

_PENDING_KEY = "outbox_new_ids"


def queue_email(key, to_email, subject, text_body, html_body="", category=""):
    """Add an email to the outbox under `key` unless one with that key exists; return the row.

    The row commits or rolls back with the caller's change. After commit a job sends it.
    """
    existing = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == key))
    if existing is not None:
        return existing
    row = OutboxEmail(
        idempotency_key=key,
        to_email=to_email,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        category=category,
    )
    try:
        # A savepoint: if another transaction wrote the same key first, only this insert is undone.
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == key))
    db.session.info.setdefault(_PENDING_KEY, []).append(row.id)
    return row


def take_new_ids(session):
    """Ids of outbox rows written in the transaction that just committed (and forget them)."""
    return session.info.pop(_PENDING_KEY, [])


def forget_new_ids(session):
    session.info.pop(_PENDING_KEY, None)
