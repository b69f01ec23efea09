"""Campaigns, the people who staff them, and their requests for help."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.lifecycle import RequestStatus
from app.models.base import choice_check, utcnow

OFFICE_LEVELS = ("federal", "state", "county", "municipal", "school_board", "judicial", "other")
REQUEST_STATUSES = tuple(RequestStatus)
MEMBER_ROLES = ("owner", "member")  # owners also manage the campaign's people; a campaign keeps >= 1 owner

campaign_causes = sa.Table(
    "campaign_causes",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cause_id", sa.ForeignKey("causes.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(db.Model):
    __tablename__ = "campaigns"
    __table_args__ = (choice_check("office_level", OFFICE_LEVELS, "office_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    candidate_name: Mapped[str] = mapped_column(sa.String(120))
    office: Mapped[str] = mapped_column(sa.String(120))
    office_level: Mapped[str] = mapped_column(sa.String(20))
    state: Mapped[str] = mapped_column(sa.String(2))
    district: Mapped[str] = mapped_column(sa.String(60), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="")
    city_key: Mapped[int | None] = mapped_column(sa.Integer)  # geonames id
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/New_York")
    election_date: Mapped[date]
    website: Mapped[str] = mapped_column(sa.String(255), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members = relationship("CampaignMember", back_populates="campaign", cascade="all, delete-orphan")
    requests = relationship("HelpRequest", back_populates="campaign", order_by="HelpRequest.created_at.desc()")
    projects = relationship("Project", back_populates="campaign", order_by="Project.start_date")
    causes = relationship("Cause", secondary=campaign_causes, order_by="Cause.name")


class CampaignMember(db.Model):
    __tablename__ = "campaign_members"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "user_id", name="uq_campaign_members_campaign_user"),
        choice_check("role", MEMBER_ROLES, "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(80), default="")
    # Rows written before campaign teams existed (and seeds) are owners: whoever registered it.
    role: Mapped[str] = mapped_column(sa.String(10), default="owner", server_default="owner")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign = relationship("Campaign", back_populates="members")
    user = relationship("User", back_populates="campaign_memberships")


class HelpRequest(db.Model):
    __tablename__ = "help_requests"
    __table_args__ = (choice_check("status", REQUEST_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    goals: Mapped[str] = mapped_column(sa.Text)
    categories: Mapped[list] = mapped_column(sa.JSON, default=list)  # menu categories asked for
    timing: Mapped[str] = mapped_column(sa.Text, default="")
    desired_start: Mapped[date | None]
    constraints: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=RequestStatus.NEW, index=True)
    staff_notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    campaign = relationship("Campaign", back_populates="requests")
    submitted_by = relationship("User")
    projects = relationship("Project", back_populates="help_request")
