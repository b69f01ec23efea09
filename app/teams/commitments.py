"""Hours a volunteer has already promised: the rule 'commitments never exceed hours offered'."""
from sqlalchemy import func

from app.extensions import db
from app.models import Project, TeamMembership
from app.lifecycle import OPEN_PROJECT, MembershipStatus

OPEN_PROJECT_STATUSES = OPEN_PROJECT  # approved, recruiting, active: they hold hours


def committed_hours(volunteer_id):
    """Hours/week promised to projects that are not finished."""
    return db.session.scalar(
        db.select(func.coalesce(func.sum(TeamMembership.hours_per_week), 0))
        .join(Project, Project.id == TeamMembership.project_id)
        .where(
            TeamMembership.volunteer_id == volunteer_id,
            TeamMembership.status == MembershipStatus.ACTIVE,
            Project.status.in_(OPEN_PROJECT_STATUSES),
        )
    )


def committed_hours_by_volunteer():
    """{volunteer id: committed hours/week} for everyone with a commitment (one query)."""
    rows = db.session.execute(
        db.select(TeamMembership.volunteer_id, func.sum(TeamMembership.hours_per_week))
        .join(Project, Project.id == TeamMembership.project_id)
        .where(TeamMembership.status == MembershipStatus.ACTIVE, Project.status.in_(OPEN_PROJECT_STATUSES))
        .group_by(TeamMembership.volunteer_id)
    )
    return {vid: float(hours) for vid, hours in rows}
