"""The email outbox: written in the same transaction as the change that causes the email."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import choice_check, utcnow

OUTBOX_STATUSES = ("pending", "sent", "failed")


class OutboxEmail(db.Model):
    __tablename__ = "outbox_emails"
    __table_args__ = (choice_check("status", OUTBOX_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "invite:42"; a second email for the same cause is refused by the database.
    idempotency_key: Mapped[str] = mapped_column(sa.String(160), unique=True)
    to_email: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(255))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str] = mapped_column(sa.String(40), default="")
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    provider_message_id: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime | None]
    # A sender holds the row until then; a crashed sender's claim lapses and the sweeper retries.
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
