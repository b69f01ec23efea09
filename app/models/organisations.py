"""Partner organisations, their portfolios, contact consent, API keys and webhooks.

An "organisation" is a campaign or a partner. API keys and webhook endpoints belong to exactly one
of the two (a CHECK holds that), so a key can never read past its own organisation.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.lifecycle import PortfolioStatus
from app.models.base import choice_check, utcnow
from app.models.campaigns import MEMBER_ROLES

PARTNER_KINDS = ("caucus", "party", "pac", "union", "other")
PORTFOLIO_STATUSES = tuple(PortfolioStatus)
PRIORITY_TIERS = (1, 2, 3)  # 1 = top priority; 2 = normal (the default); 3 = low
API_SCOPES = ("read", "read_write")
WEBHOOK_EVENTS = (
    "request.received", "scope.approved", "team.formed", "checkin.logged", "member.left",
    "project.completed", "project.cancelled",
)
DELIVERY_STATUSES = ("pending", "delivered", "failed")
_ONE_ORG = "(campaign_id IS NULL) <> (partner_id IS NULL)"


class Partner(db.Model):
    """A state caucus, party, PAC or union that refers campaigns and watches its portfolio."""

    __tablename__ = "partners"
    __table_args__ = (choice_check("kind", PARTNER_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    kind: Mapped[str] = mapped_column(sa.String(10), default="caucus")
    state: Mapped[str] = mapped_column(sa.String(2), default="")
    # The referral link's code: a campaign registered through it joins the portfolio.
    referral_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members = relationship("PartnerMember", back_populates="partner", cascade="all, delete-orphan")


class PartnerMember(db.Model):
    __tablename__ = "partner_members"
    __table_args__ = (
        sa.UniqueConstraint("partner_id", "user_id", name="uq_partner_members_partner_user"),
        choice_check("role", MEMBER_ROLES, "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(10), default="member")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    partner = relationship("Partner", back_populates="members")
    user = relationship("User")


class PartnerCampaign(db.Model):
    """A campaign in a partner's portfolio, with the priority tier staff and the partner agreed."""

    __tablename__ = "partner_campaigns"
    __table_args__ = (
        sa.UniqueConstraint("partner_id", "campaign_id", name="uq_partner_campaigns_partner_campaign"),
        choice_check("status", PORTFOLIO_STATUSES, "status"),
        sa.CheckConstraint("priority_tier BETWEEN 1 AND 3", name="priority_tier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=PortfolioStatus.INVITED)
    priority_tier: Mapped[int] = mapped_column(sa.SmallInteger, default=2)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    partner = relationship("Partner")
    campaign = relationship("Campaign")


class ContactConsent(db.Model):
    """A volunteer's choice, when a project ends, whether its campaign (and partners) may keep their contact."""

    __tablename__ = "contact_consents"
    __table_args__ = (sa.UniqueConstraint("volunteer_id", "project_id", name="uq_contact_consents_volunteer_project"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    granted: Mapped[bool] = mapped_column(default=False)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ApiKey(db.Model):
    """An organisation's API key. Only its hash is stored; the key itself is shown once."""

    __tablename__ = "api_keys"
    __table_args__ = (
        choice_check("scope", API_SCOPES, "scope"),
        sa.CheckConstraint(_ONE_ORG, name="one_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    prefix: Mapped[str] = mapped_column(sa.String(16), unique=True)  # shown in lists; finds the row
    key_hash: Mapped[str] = mapped_column(sa.String(64))  # sha256 of the whole key (it has 256 random bits)
    scope: Mapped[str] = mapped_column(sa.String(10), default="read")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (sa.CheckConstraint(_ONE_ORG, name="one_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    events: Mapped[list] = mapped_column(sa.JSON, default=list)  # event types it wants
    secret: Mapped[str] = mapped_column(sa.String(80))  # whsec_<base64>, Standard Webhooks
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(db.Model):
    """One event for one endpoint: written in the transaction that caused it, sent by a job, like the outbox."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        choice_check("status", DELIVERY_STATUSES, "status"),
        sa.UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(sa.String(64))  # the webhook-id header: receivers dedupe on it
    event_type: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    last_status_code: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    endpoint = relationship("WebhookEndpoint")
