"""A volunteer's commitments, upcoming due dates and history (projects, hours, campaigns helped)."""

from sqlalchemy import func

from app import clock, reads
from app.extensions import db
from app.models import Campaign, CheckIn, CheckInHours, Project, Sprint, TeamMembership
from app.teams import charts
from app.lifecycle import MembershipStatus, ProjectStatus


@reads.statement
def _memberships():
    # Each membership's logged hours ride along as a correlated sum: one round trip, not two.
    logged = (
        db.select(func.coalesce(func.sum(CheckInHours.hours), 0))
        .where(CheckInHours.membership_id == TeamMembership.id)
        .correlate(TeamMembership)
        .scalar_subquery()
    )
    return (
        db.select(TeamMembership.status, TeamMembership.is_lead, TeamMembership.hours_per_week,
                  Project.id.label("project_id"), Project.title, Project.status.label("project_status"),
                  Project.start_date, Project.end_date, Campaign.name.label("campaign_name"),
                  logged.label("hours"))
        .join(Project, Project.id == TeamMembership.project_id)
        .join(Campaign, Campaign.id == Project.campaign_id)
        .where(TeamMembership.volunteer_id == db.bindparam("volunteer_id"))
        .order_by(Project.start_date.desc(), Project.id.desc())
    )


@reads.statement
def _upcoming():
    return (
        db.select(Sprint.due_on, Sprint.number, Project.id.label("project_id"), Project.title, Project.weeks)
        .join(Project, Project.id == Sprint.project_id)
        .outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
        .where(Sprint.project_id.in_(db.bindparam("project_ids", expanding=True)),
               Sprint.due_on >= db.bindparam("today"), CheckIn.id.is_(None))
        .order_by(Sprint.due_on, Sprint.project_id)
        .limit(db.bindparam("limit"))
    )


def volunteer_history(profile, today=None, upcoming_limit=6):
    """The volunteer's memberships as rows (app/reads.py: the dashboard only reads them), each with
    its project's and campaign's fields and its logged hours; the next check-ins due."""
    today = today or clock.today()
    memberships = reads.rows(_memberships(), volunteer_id=profile.id)
    active_ids = [m.project_id for m in memberships
                  if m.status == MembershipStatus.ACTIVE and m.project_status == ProjectStatus.ACTIVE]
    upcoming = []
    if active_ids:
        lead_of = {m.project_id for m in memberships if m.is_lead}
        upcoming = [{"sprint": s, "lead": s.project_id in lead_of}
                    for s in reads.rows(_upcoming(), project_ids=active_ids, today=today, limit=upcoming_limit)]
    commitments = [
        m for m in memberships
        if m.status == MembershipStatus.ACTIVE
        and m.project_status in (ProjectStatus.RECRUITING, ProjectStatus.APPROVED, ProjectStatus.ACTIVE)
    ]
    past = [
        {"m": m, "title": m.title, "hours": round(float(m.hours or 0), 1)}
        for m in memberships
        if m.project_status in (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED) or m.status != MembershipStatus.ACTIVE
    ]
    helped = sorted({m.campaign_name for m in memberships if m.status == MembershipStatus.COMPLETED})
    return {
        "commitments": commitments,
        "committed_hours": sum(m.hours_per_week for m in commitments),
        "upcoming": upcoming,
        "history": past,
        "total_hours": round(sum(r["hours"] for r in past), 1),
        "campaigns_helped": helped,
        "projects_completed": sum(1 for m in memberships if m.status == MembershipStatus.COMPLETED),
        # Leaving early is shown as leaving, never folded into the completed count.
        "projects_left": sum(1 for m in memberships if m.status == MembershipStatus.DROPPED),
        "hours_chart": charts.volunteer_hours([r for r in past if r["hours"]]),
    }
