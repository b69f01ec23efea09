"""Match runs (a job that ranked volunteers for a project) and their candidates."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import choice_check, utcnow

RUN_STATUSES = ("queued", "running", "done", "failed")
RUN_KINDS = ("project", "batch")


class MatchRun(db.Model):
    """Mirrors one RQ job so the UI can show progress and staff can see what was proposed."""

    __tablename__ = "match_runs"
    __table_args__ = (
        choice_check("status", RUN_STATUSES, "status"),
        choice_check("kind", RUN_KINDS, "kind"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10), default="project")
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    progress: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    message: Mapped[str] = mapped_column(sa.String(255), default="")
    rq_job_id: Mapped[str | None] = mapped_column(sa.String(64))
    weights: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    eligible_count: Mapped[int | None]
    filtered: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # hard filter -> count
    suggested_team: Mapped[list] = mapped_column(sa.JSON, default=list)  # volunteer ids
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    project = relationship("Project")
    candidates = relationship(
        "MatchCandidate", back_populates="run", order_by="MatchCandidate.rank", cascade="all, delete-orphan"
    )


class MatchCandidate(db.Model):
    __tablename__ = "match_candidates"
    __table_args__ = (
        sa.UniqueConstraint("run_id", "project_id", "volunteer_id", name="uq_match_candidates_run_project_volunteer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("match_runs.id", ondelete="CASCADE"), index=True)
    # A batch run proposes for many projects, so the project sits on the candidate too.
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id"), index=True)
    rank: Mapped[int]
    score: Mapped[float]
    components: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    suggested: Mapped[bool] = mapped_column(default=False)

    run = relationship("MatchRun", back_populates="candidates")
    volunteer = relationship("VolunteerProfile")


class HandRaise(db.Model):
    """A volunteer asking to join a recruiting project (a signal for matching, not a seat)."""

    __tablename__ = "hand_raises"
    __table_args__ = (sa.UniqueConstraint("volunteer_id", "project_id", name="uq_hand_raise"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project = relationship("Project")
