"""The lead pipeline: applications to lead, training sessions and their seats, the lead-trained
record (how and when someone became lead-trained, or lost it), and trainers.

`VolunteerProfile.lead_trained` / `lead_trained_on` stay the one flag matching and team formation
read; the services here keep them in step with these records.
"""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.lifecycle import LeadApplicationStatus, TrainingSeatStatus, TrainingSessionStatus
from app.models.base import choice_check, utcnow
from app.models.users import User
from app.models.volunteers import VolunteerProfile, VolunteerSkill

APPLICATION_STATUSES = tuple(LeadApplicationStatus)
SESSION_STATUSES = tuple(TrainingSessionStatus)
SEAT_STATUSES = tuple(TrainingSeatStatus)


class LeadApplication(db.Model):
    """A volunteer asking to lead (one per volunteer; asking again reopens it)."""

    __tablename__ = "lead_applications"
    __table_args__ = (choice_check("status", APPLICATION_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), unique=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default=LeadApplicationStatus.WAITING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    volunteer = relationship("VolunteerProfile")


class TrainingSession(db.Model):
    """A lead training session: when (stored in UTC, shown in its zone), how many, where, who trains."""

    __tablename__ = "lead_training_sessions"
    __table_args__ = (
        choice_check("status", SESSION_STATUSES, "status"),
        sa.CheckConstraint("capacity BETWEEN 1 AND 100", name="capacity"),
        sa.CheckConstraint("duration_minutes BETWEEN 15 AND 480", name="duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)  # UTC
    timezone: Mapped[str] = mapped_column(sa.String(64))
    duration_minutes: Mapped[int] = mapped_column(sa.SmallInteger, default=90)
    capacity: Mapped[int] = mapped_column(sa.SmallInteger)
    meeting_link: Mapped[str] = mapped_column(sa.String(500))
    trainer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(sa.String(10), default=TrainingSessionStatus.SCHEDULED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainer = relationship("User", foreign_keys=[trainer_id])
    seats = relationship("TrainingSeat", back_populates="session", order_by="TrainingSeat.id")


class TrainingSeat(db.Model):
    """One volunteer invited to one session, and whether they attended."""

    __tablename__ = "lead_training_seats"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "volunteer_id", name="uq_lead_training_seats_session_volunteer"),
        choice_check("status", SEAT_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("lead_training_sessions.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=TrainingSeatStatus.INVITED)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None]

    session = relationship("TrainingSession", back_populates="seats")
    volunteer = relationship("VolunteerProfile")


class LeadTraining(db.Model):
    """How a volunteer became lead-trained: a session attended, or training elsewhere (a note).
    Withdrawing the status fills the withdrawn_* columns; the row stays as history."""

    __tablename__ = "lead_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    trained_on: Mapped[date]
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lead_training_sessions.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    withdrawn_reason: Mapped[str] = mapped_column(sa.Text, default="")

    session = relationship("TrainingSession")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])


class LeadTrainer(db.Model):
    """An experienced lead who may run training sessions (no staff rights)."""

    __tablename__ = "lead_trainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    appointed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    appointed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id])


# Indexes for the staff directory of volunteers (app/pool): filters on place, lead status, pause,
# skill and level, and last activity. Declared here so the existing models' modules stay untouched.
sa.Index("ix_volunteer_profiles_place", VolunteerProfile.current_state, VolunteerProfile.current_city)
sa.Index("ix_volunteer_profiles_lead_trained", VolunteerProfile.lead_trained, VolunteerProfile.id)
sa.Index("ix_volunteer_skills_skill_level", VolunteerSkill.skill_id, VolunteerSkill.level)
sa.Index("ix_users_last_login_at", User.last_login_at)
