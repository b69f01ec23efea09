"""Forming a team: naming the lead and activating the project with its weekly sprints."""
from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import Sprint, TeamMembership
from app.models.base import utcnow
from app.teams.sprints import sprint_calendar
from app.webhooks.events import emit_for_campaign


def active_members(project):
    return list(
        db.session.scalars(
            db.select(TeamMembership)
            .where(TeamMembership.project_id == project.id, TeamMembership.status == "active")
            .order_by(TeamMembership.joined_at)
        )
    )


def name_lead(staff, project, membership_id):
    """Make one lead-trained member the lead (the previous lead, if any, steps down)."""
    membership = db.session.get(TeamMembership, membership_id) if membership_id is not None else None
    if membership is None or membership.project_id != project.id or membership.status != "active":
        raise DomainError("That person is not on this team.")
    if not membership.volunteer.lead_trained:
        raise DomainError(
            f"{membership.volunteer.user.name} has not completed lead training yet; pick a lead-trained member."
        )
    if project.status not in ("recruiting", "active"):
        raise DomainError("A lead can only be named while the team is forming or working.")
    for m in active_members(project):
        if m.is_lead and m.id != membership.id:
            m.is_lead = False
    db.session.flush()  # the partial unique index allows one lead at a time
    membership.is_lead = True
    audit.record(staff, "team.lead_named", project, membership_id=membership.id)
    activated = maybe_activate(project, staff, commit=False)
    db.session.commit()
    return activated


def maybe_activate(project, actor=None, commit=True):
    """Activate a recruiting project once it has its minimum size and a lead. Returns True if it did."""
    if project.status != "recruiting":
        return False
    members = active_members(project)
    lead = next((m for m in members if m.is_lead), None)
    if len(members) < project.team_min or lead is None:
        return False
    project.status = "active"
    project.activated_at = utcnow()
    create_sprints(project)
    for m in members:
        subject, text = render_message("team_active", project=project, member=m, lead=lead)
        queue_email(f"team-active:{project.id}:{m.id}", m.volunteer.user.email, subject, text, category="team")
    audit.record(actor, "project.activated", project, members=len(members), lead=lead.id)
    emit_for_campaign("team.formed", project.campaign_id, {"project_id": project.id, "members": len(members)})
    if commit:
        db.session.commit()
    return True


def create_sprints(project):
    """Sprint 1..N (N = weeks <= 8); existing sprints are kept, so this is safe to repeat."""
    have = {s.number for s in project.sprints}
    for number, starts, ends, due in sprint_calendar(project.start_date, project.weeks):
        if number not in have:
            db.session.add(Sprint(project_id=project.id, number=number, starts_on=starts, ends_on=ends, due_on=due))
