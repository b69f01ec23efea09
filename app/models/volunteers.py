"""Volunteer profiles: skills, places, availability, and track record."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models.base import utcnow

volunteer_causes = sa.Table(
    "volunteer_causes",
    db.metadata,
    sa.Column("volunteer_id", sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("cause_id", sa.ForeignKey("causes.id", ondelete="CASCADE"), primary_key=True),
)


class VolunteerProfile(db.Model):
    __tablename__ = "volunteer_profiles"
    __table_args__ = (
        sa.CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours_per_week"),
        sa.CheckConstraint(
            "available_until IS NULL OR available_until >= available_from", name="available_window"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    headline: Mapped[str] = mapped_column(sa.String(160), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    home_city: Mapped[str] = mapped_column(sa.String(100), default="")
    home_state: Mapped[str] = mapped_column(sa.String(2), default="")
    home_city_key: Mapped[int | None] = mapped_column(sa.Integer)  # geonames id
    home_lat: Mapped[float | None]
    home_lon: Mapped[float | None]
    current_city: Mapped[str] = mapped_column(sa.String(100), default="")
    current_state: Mapped[str] = mapped_column(sa.String(2), default="")
    current_city_key: Mapped[int | None] = mapped_column(sa.Integer)
    current_lat: Mapped[float | None]
    current_lon: Mapped[float | None]
    hours_per_week: Mapped[int] = mapped_column(sa.SmallInteger, default=5)
    available_from: Mapped[date] = mapped_column(default=clock.today)
    available_until: Mapped[date | None]
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/New_York")
    links: Mapped[str] = mapped_column(sa.Text, default="")
    lead_trained: Mapped[bool] = mapped_column(default=False)
    lead_trained_on: Mapped[date | None]
    paused: Mapped[bool] = mapped_column(default=False)
    opted_out: Mapped[bool] = mapped_column(default=False)
    # Track record, kept up to date by the teams services so matching reads one row per person.
    checkins_due: Mapped[int] = mapped_column(default=0)
    checkins_on_time: Mapped[int] = mapped_column(default=0)
    projects_completed: Mapped[int] = mapped_column(default=0)
    projects_dropped: Mapped[int] = mapped_column(default=0)
    projects_led: Mapped[int] = mapped_column(default=0)
    placements: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user = relationship("User", back_populates="volunteer_profile")
    skills = relationship("VolunteerSkill", back_populates="volunteer", cascade="all, delete-orphan")
    causes = relationship("Cause", secondary=volunteer_causes, order_by="Cause.name")


class VolunteerSkill(db.Model):
    __tablename__ = "volunteer_skills"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 4", name="level"),)

    volunteer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id"), primary_key=True)
    level: Mapped[int] = mapped_column(sa.SmallInteger)

    volunteer = relationship("VolunteerProfile", back_populates="skills")
    skill = relationship("Skill")
