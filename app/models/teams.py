"""Invitations, team memberships, weekly sprints, check-ins, reports and ratings."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.lifecycle import CheckInHealth, CheckInReview, InvitationStatus, MembershipStatus
from app.models.base import choice_check, utcnow

INVITATION_STATUSES = tuple(InvitationStatus)
MEMBERSHIP_STATUSES = tuple(MembershipStatus)
CHECKIN_STATUSES = tuple(CheckInHealth)
CHECKIN_REVIEWS = tuple(CheckInReview)
RATING_KINDS = ("campaign", "volunteer")


class Invitation(db.Model):
    __tablename__ = "invitations"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "volunteer_id", name="uq_invitations_project_volunteer"),
        choice_check("status", INVITATION_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    match_run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("match_runs.id"))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default=InvitationStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    responded_at: Mapped[datetime | None]
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # "time" / "skills" / "dates" / "" (none given): feeds the volunteer's next match runs
    decline_category: Mapped[str] = mapped_column(sa.String(10), default="", server_default="")

    project = relationship("Project")
    volunteer = relationship("VolunteerProfile")


class TeamMembership(db.Model):
    __tablename__ = "team_memberships"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "volunteer_id", name="uq_team_memberships_project_volunteer"),
        choice_check("status", MEMBERSHIP_STATUSES, "status"),
        # Exactly one lead per project: a partial unique index, honoured by SQLite and PostgreSQL.
        sa.Index(
            "uq_team_memberships_one_lead",
            "project_id",
            unique=True,
            sqlite_where=sa.text("is_lead"),
            postgresql_where=sa.text("is_lead"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id"))
    is_lead: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(10), default=MembershipStatus.ACTIVE)
    hours_per_week: Mapped[int] = mapped_column(sa.SmallInteger)  # the commitment made on accepting
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # Why the membership ended early, in the words of whoever recorded it (kept for the history).
    end_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    project = relationship("Project", back_populates="memberships")
    volunteer = relationship("VolunteerProfile")


class Sprint(db.Model):
    __tablename__ = "sprints"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "number", name="uq_sprints_project_number"),
        sa.CheckConstraint("number BETWEEN 1 AND 8", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    number: Mapped[int] = mapped_column(sa.SmallInteger)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    due_on: Mapped[date]  # the check-in for this sprint is due on this day

    project = relationship("Project", back_populates="sprints")
    checkin = relationship("CheckIn", back_populates="sprint", uselist=False)


class CheckIn(db.Model):
    __tablename__ = "checkins"
    __table_args__ = (
        sa.UniqueConstraint("sprint_id", name="uq_checkins_sprint_id"),
        choice_check("status", CHECKIN_STATUSES, "status"),
        choice_check("review", CHECKIN_REVIEWS, "review"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(sa.ForeignKey("sprints.id"))
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(10))
    done: Mapped[str] = mapped_column(sa.Text, default="")
    next_steps: Mapped[str] = mapped_column(sa.Text, default="")
    blockers: Mapped[str] = mapped_column(sa.Text, default="")
    on_time: Mapped[bool] = mapped_column(default=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    review: Mapped[str] = mapped_column(sa.String(12), default=CheckInReview.LOGGED, server_default="logged")
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    campaign_comment: Mapped[str] = mapped_column(sa.Text, default="")

    sprint = relationship("Sprint", back_populates="checkin")
    hours = relationship("CheckInHours", cascade="all, delete-orphan")
    deliverable_progress = relationship("DeliverableProgress", cascade="all, delete-orphan")
    metric_values = relationship("MetricValue", cascade="all, delete-orphan")
    notes = relationship("CheckInNote", order_by="CheckInNote.created_at", cascade="all, delete-orphan")


class CheckInHours(db.Model):
    __tablename__ = "checkin_hours"
    __table_args__ = (sa.CheckConstraint("hours >= 0 AND hours <= 80", name="hours"),)

    checkin_id: Mapped[int] = mapped_column(sa.ForeignKey("checkins.id", ondelete="CASCADE"), primary_key=True)
    # indexed on its own: a volunteer's hours total looks rows up by membership alone
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("team_memberships.id"), primary_key=True, index=True)
    hours: Mapped[float]


class DeliverableProgress(db.Model):
    __tablename__ = "deliverable_progress"
    __table_args__ = (sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),)

    checkin_id: Mapped[int] = mapped_column(sa.ForeignKey("checkins.id", ondelete="CASCADE"), primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(sa.ForeignKey("deliverables.id"), primary_key=True)
    progress: Mapped[int] = mapped_column(sa.SmallInteger)


class MetricValue(db.Model):
    __tablename__ = "metric_values"

    checkin_id: Mapped[int] = mapped_column(sa.ForeignKey("checkins.id", ondelete="CASCADE"), primary_key=True)
    metric_id: Mapped[int] = mapped_column(sa.ForeignKey("metrics.id"), primary_key=True)
    value: Mapped[float]


class CheckInNote(db.Model):
    __tablename__ = "checkin_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(sa.ForeignKey("checkins.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")


class FinalReport(db.Model):
    __tablename__ = "final_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), unique=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    deliverables_done: Mapped[str] = mapped_column(sa.Text, default="")
    metrics_reached: Mapped[str] = mapped_column(sa.Text, default="")
    handover_notes: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Rating(db.Model):
    """The campaign rates the project; each volunteer rates the experience."""

    __tablename__ = "ratings"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "rater_id", "kind", name="uq_ratings_project_rater_kind"),
        choice_check("kind", RATING_KINDS, "kind"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    rater_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    score: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
