"""Browsing recruiting projects, raising and lowering a hand, and the hands staff see."""
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.models import (Campaign, HandRaise, Project, ProjectSkill, campaign_causes)
from app.models.base import utcnow

#: Statuses in which a project takes volunteers (the matching job's too).
OPEN_STATUSES = ("approved", "recruiting")


def _profile(user):
    profile = user.volunteer_profile
    if profile is None:
        raise DomainError("Only volunteers can raise a hand.")
    return profile


def browse(user, skill_id=None, max_hours=None, max_weeks=None, state="", cause_id=None, near_me=False, limit=100):
    """Projects taking volunteers with a seat open, filtered; each with whether `user` raised a hand.

    Every project is remote work; `near_me` keeps campaigns in the volunteer's home or current state.
    """
    profile = _profile(user)
    stmt = (
        db.select(Project).join(Campaign, Campaign.id == Project.campaign_id)
        .where(Project.status.in_(OPEN_STATUSES), Project.seats_filled < Project.team_max)
        .options(joinedload(Project.campaign).selectinload(Campaign.causes),
                 selectinload(Project.skills).joinedload(ProjectSkill.skill))
        .order_by(Project.start_date, Project.id).limit(limit)
    )
    if skill_id:
        stmt = stmt.where(Project.skills.any(ProjectSkill.skill_id == skill_id))
    if max_hours:
        stmt = stmt.where(Project.hours_per_week <= max_hours)
    if max_weeks:
        stmt = stmt.where(Project.weeks <= max_weeks)
    if state:
        stmt = stmt.where(Campaign.state == state)
    if cause_id:
        stmt = stmt.where(Campaign.id.in_(
            db.select(campaign_causes.c.campaign_id).where(campaign_causes.c.cause_id == cause_id)))
    if near_me:
        stmt = stmt.where(Campaign.state.in_([s for s in (profile.home_state, profile.current_state) if s]))
    projects = list(db.session.scalars(stmt).unique())
    raised = set(db.session.scalars(
        db.select(HandRaise.project_id).where(HandRaise.volunteer_id == profile.id)))
    return [(p, p.id in raised) for p in projects]


def _open_project(project_id):
    project = db.session.get(Project, project_id)
    if project is None or project.status not in OPEN_STATUSES or project.seats_filled >= project.team_max:
        raise DomainError("This project is not looking for volunteers any more.")
    return project


def raise_hand(user, project_id):
    """Ask to join a project; raising twice is harmless. Returns the HandRaise."""
    profile = _profile(user)
    project = _open_project(project_id)
    existing = db.session.scalar(
        db.select(HandRaise).where(HandRaise.volunteer_id == profile.id, HandRaise.project_id == project.id))
    if existing is not None:
        return existing
    hand = HandRaise(volunteer_id=profile.id, project_id=project.id, created_at=utcnow())
    db.session.add(hand)
    try:
        db.session.flush()
    except IntegrityError:  # a double click raced us: the first one stands
        db.session.rollback()
        return db.session.scalar(
            db.select(HandRaise).where(HandRaise.volunteer_id == profile.id, HandRaise.project_id == project_id))
    audit.record(user, "interest.raised", project)
    db.session.commit()
    return hand


def lower_hand(user, project_id):
    """Withdraw a raised hand (harmless when there is none)."""
    profile = _profile(user)
    hand = db.session.scalar(
        db.select(HandRaise).where(HandRaise.volunteer_id == profile.id, HandRaise.project_id == project_id))
    if hand is None:
        return
    project = hand.project
    db.session.delete(hand)
    audit.record(user, "interest.lowered", project)
    db.session.commit()
