"""A volunteer's invitations, commitments, upcoming due dates and history (projects, hours, campaigns
helped): the volunteer dashboard's data."""

from sqlalchemy import func

from app import clock, reads
from app.extensions import db
from app.models import Campaign, CheckIn, CheckInHours, Invitation, Project, Sprint, TeamMembership, VolunteerSkill
from app.teams import charts
from app.lifecycle import InvitationStatus, MembershipStatus, ProjectStatus


# What the volunteer dashboard reads, in one UNION ALL of rows (app/reads.py): whether the profile has
# skills; its pending invitations; its memberships with their project's and campaign's fields and the
# hours logged on each (a correlated sum); the check-ins not yet logged of its active projects.
_COLUMNS = {
    "has_skills": db.Boolean, "id": db.Integer, "expires_at": db.DateTime, "title": db.String,
    "hours_per_week": db.Integer, "weeks": db.Integer, "campaign_name": db.String, "status": db.String,
    "is_lead": db.Boolean, "project_id": db.Integer, "project_status": db.String, "start_date": db.Date,
    "end_date": db.Date, "hours": db.Float, "due_on": db.Date, "number": db.Integer,
}


@reads.statement
def _dashboard_rows():
    me = db.bindparam("volunteer_id")
    logged = (
        db.select(func.coalesce(func.sum(CheckInHours.hours), 0))
        .where(CheckInHours.membership_id == TeamMembership.id)
        .correlate(TeamMembership)
        .scalar_subquery()
    )
    project = {"title": Project.title, "hours_per_week": Project.hours_per_week, "weeks": Project.weeks,
               "project_id": Project.id}
    return reads.union(_COLUMNS, {
        "profile": ({"has_skills": db.exists().where(VolunteerSkill.volunteer_id == me)}, lambda q: q),
        "invitation": ({"id": Invitation.id, "expires_at": Invitation.expires_at, **project,
                        "campaign_name": Campaign.name},
                       lambda q: q.select_from(Invitation).join(Project, Project.id == Invitation.project_id)
                       .join(Campaign, Campaign.id == Project.campaign_id)
                       .where(Invitation.volunteer_id == me, Invitation.status == InvitationStatus.PENDING)),
        "membership": ({"status": TeamMembership.status, "is_lead": TeamMembership.is_lead,
                        "hours_per_week": TeamMembership.hours_per_week, "project_id": Project.id,
                        "title": Project.title, "project_status": Project.status, "start_date": Project.start_date,
                        "end_date": Project.end_date, "campaign_name": Campaign.name, "hours": logged},
                       lambda q: q.select_from(TeamMembership).join(Project, Project.id == TeamMembership.project_id)
                       .join(Campaign, Campaign.id == Project.campaign_id).where(TeamMembership.volunteer_id == me)),
        # An active project has at most 8 sprints, so these rows stay few; the page shows the first ones.
        "sprint": ({"due_on": Sprint.due_on, "number": Sprint.number, **project, "is_lead": TeamMembership.is_lead},
                   lambda q: q.select_from(Sprint).join(Project, Project.id == Sprint.project_id)
                   .join(TeamMembership, (TeamMembership.project_id == Sprint.project_id)
                         & (TeamMembership.volunteer_id == me))
                   .outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
                   .where(TeamMembership.status == MembershipStatus.ACTIVE, Project.status == ProjectStatus.ACTIVE,
                          Sprint.due_on >= db.bindparam("today"), CheckIn.id.is_(None))),
    }, order_by=())  # sorted here: planning the UNION's sort cost PostgreSQL more than sorting a few rows


def volunteer_dashboard(profile, today=None, upcoming_limit=6):
    """What the volunteer dashboard shows below its greeting: `has_skills`, `invitations` and `history`
    (commitments, the next check-ins due, past projects, hours and campaigns helped), from rows."""
    today = today or clock.today()
    found = reads.by_kind(reads.rows(_dashboard_rows(), volunteer_id=profile.id, today=today),
                          ("profile", "invitation", "membership", "sprint"))
    # Newest project first; invitations by their deadline; the next check-ins by due date.
    memberships = sorted(found["membership"], key=lambda m: (m.start_date, m.project_id), reverse=True)
    invitations = sorted(found["invitation"], key=lambda i: (i.expires_at, i.id))
    upcoming = [{"sprint": s, "lead": s.is_lead}
                for s in sorted(found["sprint"], key=lambda s: (s.due_on, s.project_id))[:upcoming_limit]]
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
    return {"has_skills": found["profile"][0].has_skills, "invitations": invitations, "history": {
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
    }}
