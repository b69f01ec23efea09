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


def _nulls(**types):
    return [db.cast(db.null(), type_).label(name) for name, type_ in types.items()]


@reads.statement
def _scope_and_team():
    """(kind, sort keys, name, target, unit, level, city, state, lead) rows; typed NULLs where a
    kind has no such column, so both databases agree on the UNION's types."""
    pid = db.bindparam("project_id")
    kind = db.literal_column  # a constant, not a bind parameter: the statement is built once
    deliverables = db.select(
        kind("'deliverable'").label("kind"), Deliverable.position.label("k1"), *_nulls(k2=db.DateTime),
        Deliverable.id.label("k3"), Deliverable.title.label("name"),
        *_nulls(target=db.Float, unit=db.String, level=db.Integer, city=db.String, state=db.String,
                lead=db.Boolean),
    ).where(Deliverable.project_id == pid)
    metrics = db.select(
        kind("'metric'"), Metric.position, *_nulls(k2=db.DateTime), Metric.id, Metric.name, Metric.target,
        Metric.unit, *_nulls(level=db.Integer, city=db.String, state=db.String, lead=db.Boolean),
    ).where(Metric.project_id == pid)
    skills = db.select(
        kind("'skill'"), *_nulls(k1=db.Integer, k2=db.DateTime, k3=db.Integer), Skill.name,
        *_nulls(target=db.Float, unit=db.String), ProjectSkill.level,
        *_nulls(city=db.String, state=db.String, lead=db.Boolean),
    ).join(Skill, Skill.id == ProjectSkill.skill_id).where(ProjectSkill.project_id == pid)
    team = (
        db.select(kind("'team'"), *_nulls(k1=db.Integer), TeamMembership.joined_at, TeamMembership.id, User.name,
                  *_nulls(target=db.Float, unit=db.String, level=db.Integer), VolunteerProfile.current_city,
                  VolunteerProfile.current_state, TeamMembership.is_lead)
        .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(TeamMembership.project_id == pid, TeamMembership.status == MembershipStatus.ACTIVE)
    )
    union = db.union_all(deliverables, metrics, skills, team)
    c = union.selected_columns
    return union.order_by(c.kind, c.k1, c.k2, c.k3, c.name)


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
