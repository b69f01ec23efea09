"""The lead supply as the staff overview shows it: trained leads, who is free to lead, applicants
waiting, and whether the projects looking for a team outnumber the leads free to lead them."""
from sqlalchemy import func

from app.extensions import db
from app.leads.applications import waiting_count
from app.models import Project, TeamMembership, User, VolunteerProfile
from app.lifecycle import MembershipStatus

NEEDS_LEAD_STATUSES = ("approved", "recruiting")
LEADING_STATUSES = ("recruiting", "active")


def lead_supply():
    """Counts for the staff overview (four queries)."""
    leading = (
        db.select(TeamMembership.volunteer_id)
        .join(Project, Project.id == TeamMembership.project_id)
        .where(TeamMembership.is_lead.is_(True), TeamMembership.status == MembershipStatus.ACTIVE,
               Project.status.in_(LEADING_STATUSES))
    )
    trained = db.session.scalar(
        db.select(func.count()).select_from(VolunteerProfile).where(VolunteerProfile.lead_trained.is_(True)))
    available = db.session.scalar(
        db.select(func.count()).select_from(VolunteerProfile)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.lead_trained.is_(True), VolunteerProfile.paused.is_(False),
               VolunteerProfile.opted_out.is_(False), User.closed_at.is_(None),
               VolunteerProfile.id.not_in(leading))
    )
    with_lead = db.select(TeamMembership.project_id).where(TeamMembership.is_lead.is_(True))
    needing = db.session.scalar(
        db.select(func.count()).select_from(Project)
        .where(Project.status.in_(NEEDS_LEAD_STATUSES), Project.id.not_in(with_lead))
    )
    return {
        "trained": trained, "available": available, "projects_needing_lead": needing,
        "applicants_waiting": waiting_count(), "short_of_leads": needing > available,
    }
