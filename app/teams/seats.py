"""Seat arithmetic, in one place: open seats, a full team, and a team that needs a replacement.

`seats_filled` counts the active members (it goes up when someone accepts, down when someone
leaves, both by conditional UPDATEs). A team is *formed* when it has its minimum and a lead (the
project is then active); it is *full* when every seat up to `team_max` is taken. An active team
*needs a replacement* when it has fallen below its minimum or has no lead.
"""
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.lifecycle import MembershipStatus, ProjectStatus
from app.models import Project, TeamMembership


def open_seats(project):
    """Seats still free on the team (never negative)."""
    return max(project.team_max - project.seats_filled, 0)


def is_full(project):
    return project.seats_filled >= project.team_max


def needs_replacement(project, active_members, has_lead):
    """An active project whose team fell below its minimum, or that has no active lead."""
    return project.status == ProjectStatus.ACTIVE and needs_replacement_counts(project.team_min, active_members,
                                                                              has_lead)


def needs_replacement_counts(team_min, active_members, has_lead):
    """The rule itself, for an active project's figures (the health board aggregates them in SQL)."""
    return active_members < team_min or not has_lead


def team_facts(project_ids):
    """{project id: (active members, has an active lead)} for `project_ids`, in one query."""
    if not project_ids:
        return {}
    rows = db.session.execute(
        db.select(
            TeamMembership.project_id, func.count(),
            func.max(db.case((TeamMembership.is_lead.is_(True), 1), else_=0)),
        )
        .where(TeamMembership.project_id.in_(list(project_ids)), TeamMembership.status == MembershipStatus.ACTIVE)
        .group_by(TeamMembership.project_id)
    ).all()
    facts = {pid: (0, False) for pid in project_ids}
    facts.update({pid: (int(n), bool(lead)) for pid, n, lead in rows})
    return facts


def replacement_state(project, memberships=None):
    """{'members', 'has_lead', 'needs_replacement', 'open_seats', 'short_by'} for one project.

    `memberships`: all the project's TeamMembership rows, when the caller has them (no query then)."""
    if memberships is None:
        members, has_lead = team_facts([project.id])[project.id]
    else:
        active = [m for m in memberships if m.status == MembershipStatus.ACTIVE]
        members, has_lead = len(active), any(m.is_lead for m in active)
    return {
        "members": members,
        "has_lead": has_lead,
        "needs_replacement": needs_replacement(project, members, has_lead),
        "open_seats": open_seats(project),
        "short_by": max(project.team_min - members, 0),
    }


def projects_needing_replacement():
    """Active projects below their minimum or without a lead, with their latest facts."""
    projects = list(db.session.scalars(db.select(Project).where(Project.status == ProjectStatus.ACTIVE)
                                        .options(joinedload(Project.campaign)).order_by(Project.start_date)))
    facts = team_facts([p.id for p in projects])
    return [p for p in projects if needs_replacement(p, *facts[p.id])]


def free_seat(project_id):
    """Give one seat back (conditional: never below zero). Returns True if a seat was freed."""
    result = db.session.execute(
        db.update(Project)
        .where(Project.id == project_id, Project.seats_filled > 0)
        .values(seats_filled=Project.seats_filled - 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
