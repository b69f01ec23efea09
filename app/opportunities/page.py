"""What the opportunity page shows, read as rows (app/reads.py): the page only reads, so no ORM
objects, and one round trip: the invitation with its project, campaign and the membership it led
to, and the project's deliverables, metrics, skills and team, in one UNION ALL (a handful of rows
each, so one statement costs less than five; docs/BENCHMARKS.md, "Load"). The invitation's owner is
checked on the rows read.

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


_COLUMNS = {
    # the invitation, its project and campaign, and the membership it led to
    "volunteer_id": db.Integer, "status": db.String, "expires_at": db.DateTime, "project_id": db.Integer,
    "title": db.String, "summary": db.Text, "hours_per_week": db.Integer, "weeks": db.Integer,
    "start_date": db.Date, "end_date": db.Date, "team_min": db.Integer, "team_max": db.Integer,
    "seats_filled": db.Integer, "campaign_name": db.String, "candidate_name": db.String, "office": db.String,
    "election_date": db.Date, "membership_status": db.String, "ended_at": db.DateTime,
    # the project's deliverables, metrics, skills and team (city and state: the campaign's, or a member's)
    "position": db.Integer, "since": db.DateTime, "id": db.Integer, "name": db.String, "target": db.Float,
    "unit": db.String, "level": db.Integer, "city": db.String, "state": db.String, "lead": db.Boolean,
}


@reads.statement
def _page_rows():
    """The invitation's row and the project's deliverables and metrics (by position), skills (by name)
    and active team (by joining), one UNION ALL of rows (app/reads.py)."""
    iid = db.bindparam("invitation_id")
    pid = db.select(Invitation.project_id).where(Invitation.id == iid).scalar_subquery()
    invitation = {
        "id": Invitation.id, "volunteer_id": Invitation.volunteer_id, "status": Invitation.status,
        "expires_at": Invitation.expires_at, "project_id": Project.id, "title": Project.title,
        "summary": Project.summary, "hours_per_week": Project.hours_per_week, "weeks": Project.weeks,
        "start_date": Project.start_date, "end_date": Project.end_date, "team_min": Project.team_min,
        "team_max": Project.team_max, "seats_filled": Project.seats_filled, "campaign_name": Campaign.name,
        "candidate_name": Campaign.candidate_name, "office": Campaign.office, "city": Campaign.city,
        "state": Campaign.state, "election_date": Campaign.election_date,
        "membership_status": TeamMembership.status, "ended_at": TeamMembership.ended_at,
    }
    return reads.union(_COLUMNS, {
        "invitation": (invitation, lambda q: (
            q.select_from(Invitation).join(Project, Project.id == Invitation.project_id)
            .join(Campaign, Campaign.id == Project.campaign_id)
            # One membership at most per (project, volunteer): a unique constraint.
            .outerjoin(TeamMembership, (TeamMembership.project_id == Invitation.project_id)
                       & (TeamMembership.volunteer_id == Invitation.volunteer_id))
            .where(Invitation.id == iid))),
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


def _read(invitation_id):
    found = {"invitation": [], "deliverable": [], "metric": [], "skill": [], "team": []}
    for row in reads.rows(_page_rows(), invitation_id=invitation_id):
        found[row.kind].append(row)
    return found


def opportunity(invitation_id, volunteer_id):
    """The page's data when the invitation exists and is `volunteer_id`'s; None otherwise (404)."""
    found = _read(invitation_id)
    inv = found["invitation"][0] if found["invitation"] else None
    if inv is None or volunteer_id is None or inv.volunteer_id != volunteer_id:
        return None
    if inv.status == InvitationStatus.PENDING and inv.expires_at <= utcnow():
        if services.expire_if_due(db.session.get(Invitation, inv.id)):  # rare: only the first look after expiry
            db.session.commit()
        found = _read(invitation_id)
        inv = found["invitation"][0]
    return {
        "invitation": inv,
        "deliverables": found["deliverable"],
        "metrics": found["metric"],
        "skills": found["skill"],
        # First name and city only: no emails before joining.
        "team": [{"name": r.name.split(" ")[0], "place": f"{r.city}, {r.state}" if r.city else "", "lead": r.lead}
                 for r in found["team"]],
    }
