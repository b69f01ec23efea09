"""Invitations for colleagues to join a campaign's staff on Barnstorm."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import choice_check, utcnow
from app.models.campaigns import MEMBER_ROLES


class CampaignInvitation(db.Model):
    """An owner's invitation to an email address. Used once; expires; an owner may withdraw it."""

    __tablename__ = "campaign_invitations"
    __table_args__ = (choice_check("role", MEMBER_ROLES, "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="member")
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None]

    campaign = relationship("Campaign")
    invited_by = relationship("User", foreign_keys=[invited_by_id])

    def is_open(self, now=None):
        now = now or utcnow()
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > now
