"""Invitations for colleagues to join an organisation's own people on Barnstorm: a campaign's staff,
or a partner's members. One shape for both (InvitationMixin); the rules are in app/orgs/teams.py."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.extensions import db
from app.models.base import choice_check, utcnow
from app.models.campaigns import MEMBER_ROLES


class InvitationMixin:
    """An owner's invitation to an email address. Used once; expires; an owner may withdraw it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="member")
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None]

    @declared_attr
    def invited_by(cls):
        return relationship("User", foreign_keys=[cls.invited_by_id])

    def is_open(self, now=None):
        now = now or utcnow()
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > now


class CampaignInvitation(InvitationMixin, db.Model):
    __tablename__ = "campaign_invitations"
    __table_args__ = (choice_check("role", MEMBER_ROLES, "role"),)

    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    campaign = relationship("Campaign")


class PartnerInvitation(InvitationMixin, db.Model):
    __tablename__ = "partner_invitations"
    __table_args__ = (choice_check("role", MEMBER_ROLES, "role"),)

    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    partner = relationship("Partner")
