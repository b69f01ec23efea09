"""What the opportunity page shows, read as rows (app/reads.py): the page only reads, so no ORM
objects, and two round trips: the invitation with its project, campaign and the membership it led
to; then the project's deliverables, metrics, skills and team in one UNION ALL (a handful of rows
each, so one statement costs less than four; docs/BENCHMARKS.md, "Load").

Answering (POST) loads the Invitation entity (app/opportunities/services.py).
"""
from app import reads
from app.extensions import db
from app.lifecycle import InvitationStatus, MembershipStatus
from app.models import (
    Campaign, Deliverable, Invitation, Metric, Project, ProjectSkill, Skill, TeamMembership, User, VolunteerProfile,
)
from app.models.base import utcnow
from app.opportunities import services


@reads.statement
def _invitation():
    return (
        db.select(Invitation.id, Invitation.volunteer_id, Invitation.status, Invitation.expires_at,
                  Project.id.label("project_id"), Project.title, Project.summary, Project.hours_per_week,
                  Project.weeks, Project.start_date, Project.end_date, Project.team_min, Project.team_max,
                  Project.seats_filled, Campaign.name.label("campaign_name"), Campaign.candidate_name,
                  Campaign.office, Campaign.city, Campaign.state, Campaign.election_date,
                  # One membership at most per (project, volunteer): a unique constraint.
                  TeamMembership.status.label("membership_status"), TeamMembership.ended_at)
        .join(Project, Project.id == Invitation.project_id)
        .join(Campaign, Campaign.id == Project.campaign_id)
        .outerjoin(TeamMembership, (TeamMembership.project_id == Invitation.project_id)
                   & (TeamMembership.volunteer_id == Invitation.volunteer_id))
        .where(Invitation.id == db.bindparam("invitation_id"))
    )


_COLUMNS = {"position": db.Integer, "since": db.DateTime, "id": db.Integer, "name": db.String, "target": db.Float,
            "unit": db.String, "level": db.Integer, "city": db.String, "state": db.String, "lead": db.Boolean}


@reads.statement
def _scope_and_team():
    """The project's deliverables and metrics (by position), skills (by name) and active team (by
    joining), one UNION ALL of rows (app/reads.py)."""
    pid = db.bindparam("project_id")
    return reads.union(_COLUMNS, {
        "deliverable": ({"position": Deliverable.position, "id": Deliverable.id, "name": Deliverable.title},
                        lambda q: q.where(Deliverable.project_id == pid)),
        "metric": ({"position": Metric.position, "id": Metric.id, "name": Metric.name, "target": Metric.target,
                    "unit": Metric.unit}, lambda q: q.where(Metric.project_id == pid)),
        "skill": ({"name": Skill.name, "level": ProjectSkill.level},
                  lambda q: q.select_from(ProjectSkill).join(Skill, Skill.id == ProjectSkill.skill_id)
                  .where(ProjectSkill.project_id == pid)),
        "team": ({"since": TeamMembership.joined_at, "id": TeamMembership.id, "name": User.name,
                  "city": VolunteerProfile.current_city, "state": VolunteerProfile.current_state,
                  "lead": TeamMembership.is_lead},
                 lambda q: q.select_from(TeamMembership)
                 .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
                 .join(User, User.id == VolunteerProfile.user_id)
                 .where(TeamMembership.project_id == pid, TeamMembership.status == MembershipStatus.ACTIVE)),
    }, order_by=("kind", "position", "since", "id", "name"))


def opportunity(invitation_id, volunteer_id):
    """The page's data when the invitation exists and is `volunteer_id`'s; None otherwise (404)."""
    inv = reads.first(_invitation(), invitation_id=invitation_id)
    if inv is None or volunteer_id is None or inv.volunteer_id != volunteer_id:
        return None
    if inv.status == InvitationStatus.PENDING and inv.expires_at <= utcnow():
        if services.expire_if_due(db.session.get(Invitation, inv.id)):  # rare: only the first look after expiry
            db.session.commit()
        inv = reads.first(_invitation(), invitation_id=invitation_id)
    lists = {"deliverable": [], "metric": [], "skill": [], "team": []}
    for row in reads.rows(_scope_and_team(), project_id=inv.project_id):
        lists[row.kind].append(row)
    return {
        "invitation": inv,
        "deliverables": lists["deliverable"],
        "metrics": lists["metric"],
        "skills": lists["skill"],
        # First name and city only: no emails before joining.
        "team": [{"name": r.name.split(" ")[0], "place": f"{r.city}, {r.state}" if r.city else "", "lead": r.lead}
                 for r in lists["team"]],
    }
