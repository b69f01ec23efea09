"""Sending one outbox email exactly once (as far as we can tell), marking it sent."""
import logging
from datetime import timedelta

from flask import current_app

from app.extensions import db
from app.mail.backends.console import ConsoleBackend
from app.mail.backends.sendgrid_backend import PermanentSendError, SendGridBackend, TemporarySendError
from app.models import OutboxEmail
from app.models.base import utcnow

log = logging.getLogger("barnstorm.mail")
CLAIM_SECONDS = 120


def get_backend(app=None):
    """The configured backend: SendGrid when an API key is set, else the console."""
    app = app or current_app
    key = app.config.get("SENDGRID_API_KEY")
    if key:
        return SendGridBackend(
            key,
            host=app.config.get("SENDGRID_HOST"),
            timeout=app.config["MAIL_TIMEOUT_SECONDS"],
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
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=OutboxEmail.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def send_outbox_email(outbox_id, backend=None):
    """Send the outbox row `outbox_id` if still pending. Returns its status afterwards."""
    if not _claim(outbox_id):
        row = db.session.get(OutboxEmail, outbox_id)
        return row.status if row else "missing"
    row = db.session.get(OutboxEmail, outbox_id)
    backend = backend or get_backend()
    try:
        message_id = backend.send(row, current_app.config["MAIL_FROM"])
    except PermanentSendError as err:
        row.status = "failed"
        row.last_error = str(err)[:2000]
        row.claimed_until = None
        db.session.commit()
        log.error("email %s refused: %s", row.idempotency_key, err)
        return row.status
    except TemporarySendError as err:
        row.last_error = str(err)[:2000]
        row.claimed_until = None
        if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            row.status = "failed"
        db.session.commit()
        raise
    row.status = "sent"
    row.sent_at = utcnow()
    row.provider_message_id = message_id or ""
    row.claimed_until = None
    row.last_error = ""
    db.session.commit()
    return row.status


def pending_ids(older_than_seconds=60, limit=500):
    """Outbox rows still pending after `older_than_seconds`: what the sweeper re-enqueues."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    return list(
        db.session.scalars(
            db.select(OutboxEmail.id)
            .where(
                OutboxEmail.status == "pending",
                OutboxEmail.created_at < cutoff,
                db.or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < utcnow()),
            )
            .order_by(OutboxEmail.id)
            .limit(limit)
        )
    )
