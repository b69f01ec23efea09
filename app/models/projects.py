"""The menu of project templates, and projects scoped from it."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.lifecycle import ProjectStatus
from app.models.base import choice_check, utcnow

MENU_CATEGORIES = (
    "website", "fundraising", "email", "digital_ads", "social", "data", "texting", "crm", "video", "ops",
)
MENU_CATEGORY_LABELS = {
    "website": "Website",
    "fundraising": "Online fundraising",
    "email": "Email program",
    "digital_ads": "Digital ads",
    "social": "Social media",
    "data": "Data and analytics",
    "texting": "Peer-to-peer texting",
    "crm": "CRM and voter-file tools",
    "video": "Video",
    "ops": "Operations and tooling",
}
PROJECT_STATUSES = tuple(ProjectStatus)

_SIZE_CHECKS = (
    sa.CheckConstraint("weeks BETWEEN 1 AND 8", name="weeks"),
    sa.CheckConstraint("team_min BETWEEN 3 AND 5", name="team_min"),
    sa.CheckConstraint("team_max BETWEEN 3 AND 5", name="team_max"),
    sa.CheckConstraint("team_min <= team_max", name="team_range"),
    sa.CheckConstraint("hours_per_week BETWEEN 1 AND 40", name="hours_per_week"),
)


class ProjectTemplate(db.Model):
    """A menu item: a repeatable, well-scoped project."""

    __tablename__ = "project_templates"
    __table_args__ = (*_SIZE_CHECKS, choice_check("category", MENU_CATEGORIES, "category"))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    category: Mapped[str] = mapped_column(sa.String(20))
    summary: Mapped[str] = mapped_column(sa.Text)
    deliverables: Mapped[list] = mapped_column(sa.JSON, default=list)  # [str]
    metrics: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{name, unit, target}]
    campaign_provides: Mapped[str] = mapped_column(sa.Text, default="")
    team_min: Mapped[int] = mapped_column(sa.SmallInteger, default=3)
    team_max: Mapped[int] = mapped_column(sa.SmallInteger, default=5)
    hours_per_week: Mapped[int] = mapped_column(sa.SmallInteger)
    weeks: Mapped[int] = mapped_column(sa.SmallInteger)
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    skills = relationship("TemplateSkill", back_populates="template", cascade="all, delete-orphan")


class TemplateSkill(db.Model):
    __tablename__ = "template_skills"
    __table_args__ = (
        sa.CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        sa.CheckConstraint("weight > 0", name="weight"),
    )

    template_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project_templates.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id"), primary_key=True)
    level: Mapped[int] = mapped_column(sa.SmallInteger)
    weight: Mapped[float] = mapped_column(default=1.0)

    template = relationship("ProjectTemplate", back_populates="skills")
    skill = relationship("Skill")


class Project(db.Model):
    """One phase of work (1-8 weeks) for one campaign."""

    __tablename__ = "projects"
    __table_args__ = (
        *_SIZE_CHECKS,
        choice_check("status", PROJECT_STATUSES, "status"),
        sa.CheckConstraint("seats_filled >= 0 AND seats_filled <= team_max", name="seats_filled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    help_request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("help_requests.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project_templates.id"))
    previous_project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id"))
    title: Mapped[str] = mapped_column(sa.String(160))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    campaign_provides: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=ProjectStatus.DRAFT, index=True)
    team_min: Mapped[int] = mapped_column(sa.SmallInteger, default=3)
    team_max: Mapped[int] = mapped_column(sa.SmallInteger, default=5)
    hours_per_week: Mapped[int] = mapped_column(sa.SmallInteger)
    weeks: Mapped[int] = mapped_column(sa.SmallInteger)
    start_date: Mapped[date]
    end_date: Mapped[date]
    # Seats taken; filled by a conditional UPDATE so the last seat cannot be taken twice.
    seats_filled: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    chat_url: Mapped[str] = mapped_column(sa.String(255), default="")
    board_url: Mapped[str] = mapped_column(sa.String(255), default="")
    repo_url: Mapped[str] = mapped_column(sa.String(255), default="")
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approval_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    campaign = relationship("Campaign", back_populates="projects")
    help_request = relationship("HelpRequest", back_populates="projects")
    template = relationship("ProjectTemplate")
    previous_project = relationship("Project", remote_side=[id])
    deliverables = relationship(
        "Deliverable", back_populates="project", order_by="Deliverable.position", cascade="all, delete-orphan"
    )
    metrics = relationship(
        "Metric", back_populates="project", order_by="[Metric.position, Metric.id]", cascade="all, delete-orphan"
    )
    skills = relationship("ProjectSkill", back_populates="project", cascade="all, delete-orphan")
    sprints = relationship("Sprint", back_populates="project", order_by="Sprint.number")
    memberships = relationship("TeamMembership", back_populates="project")

    @property
    def ends_after_election(self):
        return self.campaign is not None and self.end_date > self.campaign.election_date


class Deliverable(db.Model):
    __tablename__ = "deliverables"
    __table_args__ = (sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    title: Mapped[str] = mapped_column(sa.String(255))
    progress: Mapped[int] = mapped_column(sa.SmallInteger, default=0)  # percent, latest check-in

    project = relationship("Project", back_populates="deliverables")


class Metric(db.Model):
    __tablename__ = "metrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    name: Mapped[str] = mapped_column(sa.String(160))
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    target: Mapped[float | None]
    current_value: Mapped[float | None]

    project = relationship("Project", back_populates="metrics")


class ProjectSkill(db.Model):
    __tablename__ = "project_skills"
    __table_args__ = (
        sa.CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        sa.CheckConstraint("weight > 0", name="weight"),
    )

    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id"), primary_key=True)
    level: Mapped[int] = mapped_column(sa.SmallInteger)
    weight: Mapped[float] = mapped_column(default=1.0)

    project = relationship("Project", back_populates="skills")
    skill = relationship("Skill")
