"""A volunteer's commitments, upcoming due dates and history (projects, hours, campaigns helped)."""

from sqlalchemy import func

from app import clock
from app.extensions import db
from app.models import Campaign, CheckIn, CheckInHours, Project, Sprint, TeamMembership
from app.teams import charts
from app.lifecycle import MembershipStatus, ProjectStatus


def volunteer_history(profile, today=None, upcoming_limit=6):
    today = today or clock.today()
    memberships = db.session.execute(
        db.select(TeamMembership, Project, Campaign)
        .join(Project, Project.id == TeamMembership.project_id)
        .join(Campaign, Campaign.id == Project.campaign_id)
        .where(TeamMembership.volunteer_id == profile.id)
        .order_by(Project.start_date.desc(), Project.id.desc())
    ).all()
    hours = dict(db.session.execute(
        db.select(CheckInHours.membership_id, func.sum(CheckInHours.hours))
        .join(TeamMembership, TeamMembership.id == CheckInHours.membership_id)
        .where(TeamMembership.volunteer_id == profile.id)
        .group_by(CheckInHours.membership_id)
    ).all())
    active_ids = [p.id for m, p, _c in memberships if m.status == MembershipStatus.ACTIVE and p.status == ProjectStatus.ACTIVE]
    upcoming = []
    if active_ids:
        upcoming = [
            {"project": p, "sprint": s, "lead": False}
            for s, p in db.session.execute(
                db.select(Sprint, Project)
                .join(Project, Project.id == Sprint.project_id)
                .outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
                .where(Sprint.project_id.in_(active_ids), Sprint.due_on >= today, CheckIn.id.is_(None))
                .order_by(Sprint.due_on, Sprint.project_id)
                .limit(upcoming_limit)
            ).all()
        ]
        lead_of = {m.project_id for m, p, _c in memberships if m.is_lead}
        for row in upcoming:
            row["lead"] = row["project"].id in lead_of
    commitments = [
        {"membership": m, "project": p, "campaign": c}
        for m, p, c in memberships
        if m.status == MembershipStatus.ACTIVE and p.status in (ProjectStatus.RECRUITING, ProjectStatus.APPROVED, ProjectStatus.ACTIVE)
    ]
    past = [
        {"membership": m, "project": p, "campaign": c, "title": p.title, "hours": round(float(hours.get(m.id, 0)), 1)}
        for m, p, c in memberships
        if p.status in (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED) or m.status != MembershipStatus.ACTIVE
    ]
    helped = sorted({c.name for m, p, c in memberships if m.status == MembershipStatus.COMPLETED})
    return {
        "commitments": commitments,
        "committed_hours": sum(r["membership"].hours_per_week for r in commitments),
        "upcoming": upcoming,
        "history": past,
        "total_hours": round(sum(r["hours"] for r in past), 1),
        "campaigns_helped": helped,
        "projects_completed": sum(1 for m, _p, _c in memberships if m.status == MembershipStatus.COMPLETED),
        # Leaving early is shown as leaving, never folded into the completed count.
        "projects_left": sum(1 for m, _p, _c in memberships if m.status == MembershipStatus.DROPPED),
        "hours_chart": charts.volunteer_hours([r for r in past if r["hours"]]),
    }
