"""Sending one outbox email exactly once (as far as we can tell), marking it sent."""
import logging
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app

from app.extensions import db
from app.mail.backends.console import ConsoleBackend
from app.mail.backends.sendgrid_backend import PermanentSendError, SendGridBackend, TemporarySendError
from app.models import OutboxEmail
from app.models.base import utcnow

log = logging.getLogger("barnstorm.mail")
CLAIM_SECONDS = 120  # default for MAIL_CLAIM_SECONDS
_SENT_FIELDS = ("id", "idempotency_key", "to_email", "subject", "text_body", "html_body", "attempts")


def claim_seconds(app=None):
    return (app or current_app).config.get("MAIL_CLAIM_SECONDS", CLAIM_SECONDS)


def get_backend(app=None):
    """The configured backend: SendGrid when an API key is set, else the console."""
    app = app or current_app
    key = app.config.get("SENDGRID_API_KEY")
    if key:
        # Every retry of one send must end well inside the claim, or the sweeper could hand
        # the same row to a second sender while the first still waits on SendGrid.
        return SendGridBackend(
            key,
            host=app.config.get("SENDGRID_HOST"),
            timeout=app.config["MAIL_TIMEOUT_SECONDS"],
            budget=claim_seconds(app) * 0.75,
        )
    return ConsoleBackend(f"{app.instance_path}/mail")


def _claim(outbox_id):
    """Take the row for this sender; False if it is sent or another sender holds it."""
    now = utcnow()
    result = db.session.execute(
        db.update(OutboxEmail)
        .where(
            OutboxEmail.id == outbox_id,
            OutboxEmail.status == "pending",
            db.or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=claim_seconds()), attempts=OutboxEmail.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def send_outbox_email(outbox_id, backend=None):
    """Send the outbox row `outbox_id` if still pending. Returns its status afterwards.

    The claim (committed before SendGrid is called) makes every other sender - a second job for
    the same row, a sweep, a second worker - leave the row alone while this one works on it. What
    no claim can close: a sender killed after SendGrid accepted the email and before the "sent"
    commit. Its claim lapses, the sweeper re-enqueues the row and the email goes a second time.
    That window is one HTTP request per worker killed (see docs/RELIABILITY.md).
    """
    if not _claim(outbox_id):
        row = db.session.get(OutboxEmail, outbox_id)
        return row.status if row else "missing"
    row = db.session.get(OutboxEmail, outbox_id)
    email = SimpleNamespace(**{f: getattr(row, f) for f in _SENT_FIELDS})
    # No transaction stays open during the HTTP call: PostgreSQL is not left "idle in transaction",
    # and SQLite does not keep a snapshot that another worker's commit would make stale.
    db.session.commit()
    backend = backend or get_backend()
    try:
        message_id = backend.send(email, current_app.config["MAIL_FROM"])
    except PermanentSendError as err:
        _finish(outbox_id, status="failed", last_error=str(err)[:2000])
        log.error("email %s refused: %s", email.idempotency_key, err)
        return "failed"
    except TemporarySendError as err:
        gave_up = email.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
        _finish(outbox_id, last_error=str(err)[:2000], **({"status": "failed"} if gave_up else {}))
        raise
    _finish(outbox_id, status="sent", sent_at=utcnow(), provider_message_id=message_id or "", last_error="")
    return "sent"


def _finish(outbox_id, **values):
    """Record the outcome and release the claim, in a fresh transaction."""
    db.session.execute(db.update(OutboxEmail).where(OutboxEmail.id == outbox_id).values(claimed_until=None, **values))
    db.session.commit()


def pending_ids(older_than_seconds=60, limit=500, after_id=0):
    """Outbox rows still pending after `older_than_seconds`: what the sweeper re-enqueues.

    Rows a sender holds (claim not lapsed) are left alone; rows swept less than
    `older_than_seconds` ago are too, so a backlog is not re-enqueued at every sweep.
    """
    now = utcnow()
    cutoff = now - timedelta(seconds=older_than_seconds)
    return list(
        db.session.scalars(
            db.select(OutboxEmail.id)
            .where(
                OutboxEmail.status == "pending",
                OutboxEmail.id > after_id,
                OutboxEmail.created_at <= cutoff,
                db.or_(OutboxEmail.enqueued_at.is_(None), OutboxEmail.enqueued_at <= cutoff),
                db.or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now),
            )
            .order_by(OutboxEmail.id)
            .limit(limit)
        )
    )


def mark_enqueued(ids):
    """Record when the sweeper last queued these rows."""
    if ids:
        db.session.execute(db.update(OutboxEmail).where(OutboxEmail.id.in_(ids)).values(enqueued_at=utcnow()))
    db.session.commit()
