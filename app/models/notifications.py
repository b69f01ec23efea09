"""In-app notifications and each person's choice of how to be told, per kind."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import choice_check, utcnow

DELIVERIES = ("immediate", "digest")


class Notification(db.Model):
    """One thing a person was told; listed in the app whether or not an email went out."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "key", name="uq_notifications_user_key"),
        # The header's unread count and the list read by (user, unread) only.
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # What caused it, e.g. "project-cancelled:12": the same event never tells a person twice.
    key: Mapped[str] = mapped_column(sa.String(160))
    kind: Mapped[str] = mapped_column(sa.String(40))
    subject: Mapped[str] = mapped_column(sa.String(255))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # Set when an email carried it (immediately, or in a digest); digests pick rows where it is null.
    emailed_at: Mapped[datetime | None]
    digest: Mapped[bool] = mapped_column(default=False)


class NotificationPreference(db.Model):
    """A person's choice for one kind; no row means the kind's default (immediate)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (choice_check("delivery", DELIVERIES, "delivery"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    delivery: Mapped[str] = mapped_column(sa.String(10), default="immediate")
