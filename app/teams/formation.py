"""Forming a team: naming the lead and activating the project with its weekly sprints.

Who is told: staff when a forming team reaches its minimum (it needs a lead); the campaign (who
the lead is and how to reach them) and every member when the team is formed; the team and the
campaign when a working team gets a new lead.
"""
from app import audit, lifecycle
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import MembershipStatus, ProjectStatus
from app.links import external_url
from app.mail.messages import render_message
from app.models import Sprint, TeamMembership
from app.models.base import utcnow
from app.notifications import notify, staff_users
from app.teams.sprints import sprint_calendar


def active_members(project):
    return list(
        db.session.scalars(
            db.select(TeamMembership)
            .where(TeamMembership.project_id == project.id, TeamMembership.status == MembershipStatus.ACTIVE)
            .order_by(TeamMembership.joined_at, TeamMembership.id)
        )
    )


def name_lead(staff, project, membership_id):
    """Make one lead-trained member the lead (the previous lead, if any, steps down).

    Works while the team forms and while it works (a lead who left is replaced this way).
    Returns True if naming the lead formed the team (the project became active).
    """
    membership = db.session.get(TeamMembership, membership_id) if membership_id is not None else None
    if membership is None or membership.project_id != project.id or membership.status != MembershipStatus.ACTIVE:
        raise DomainError("That person is not on this team.")
    if not membership.volunteer.lead_trained:
        raise DomainError(
            f"{membership.volunteer.user.name} has not completed lead training yet; pick a lead-trained member."
        )
    if project.status not in (ProjectStatus.RECRUITING, ProjectStatus.ACTIVE):
        raise DomainError("A lead can only be named while the team is forming or working.")
    if membership.is_lead:
        return False
    for m in active_members(project):
        if m.is_lead and m.id != membership.id:
            m.is_lead = False
    db.session.flush()  # the partial unique index allows one lead at a time
    membership.is_lead = True
    audit.record(staff, "team.lead_named", project, membership_id=membership.id)
    was_active = project.status == ProjectStatus.ACTIVE
    activated = maybe_activate(project, staff, commit=False)
    if was_active:
        _tell_new_lead(project, membership)
    db.session.commit()
    return activated


def maybe_activate(project, actor=None, commit=True):
    """Activate a recruiting project once it has its minimum size and a lead. Returns True if it did."""
    if project.status != ProjectStatus.RECRUITING:
        return False
    members = active_members(project)
    lead = next((m for m in members if m.is_lead), None)
    if len(members) < project.team_min or lead is None:
        return False
    lifecycle.transition(project, ProjectStatus.ACTIVE, actor, action="project.activated",
                         values={"activated_at": utcnow()}, members=len(members), lead=lead.id)
    create_sprints(project)
    _tell_team_formed(project, members, lead)
    if commit:
        db.session.commit()
    return True


def tell_minimum_reached(project):
    """A forming team just reached its minimum without a lead: staff name one."""
    members = active_members(project)
    if project.status != ProjectStatus.RECRUITING or len(members) != project.team_min:
        return
    if any(m.is_lead for m in members):
        return
    trained = [m.volunteer.user.name for m in members if m.volunteer.lead_trained]
    who = (f"Lead-trained on the team: {', '.join(trained)}." if trained
           else "Nobody on the team is lead-trained yet: invite a lead-trained volunteer.")
    notify(staff_users(), "teams", f"team-minimum:{project.id}", f"Name a lead: {project.title} reached its minimum",
           f"{project.title} ({project.campaign.name}) has {len(members)} members, its minimum. "
           f"Name the lead and the project starts. {who}",
           external_url("recruiting.project", project_id=project.id))


def _tell_team_formed(project, members, lead):
    link = external_url("teams.workspace", project_id=project.id)
    for m in members:
        subject, body = render_message("team_active", project=project, member=m, lead=lead)
        notify(m.volunteer.user, "teams", f"team-formed:{project.id}", subject, body.strip(), link)
    # The campaign may see the lead's email: the lead is now on the campaign's team.
    from app.teams.workspace import campaign_contacts

    subject, body = render_message("team_formed_campaign", project=project, members=members, lead=lead)
    notify(campaign_contacts(project), "teams", f"team-formed:{project.id}", subject, body.strip(), link)


def _tell_new_lead(project, lead):
    from app.teams.workspace import campaign_contacts

    link = external_url("teams.workspace", project_id=project.id)
    key = f"lead-named:{project.id}:{lead.id}"
    for m in active_members(project):
        subject, body = render_message("team_new_lead", project=project, lead=lead, member=m, campaign=False)
        notify(m.volunteer.user, "teams", key, subject, body.strip(), link)
    subject, body = render_message("team_new_lead", project=project, lead=lead, member=None, campaign=True)
    notify(campaign_contacts(project), "teams", key, subject, body.strip(), link)


def create_sprints(project):
    """Sprint 1..N (N = weeks <= 8); existing sprints are kept, so this is safe to repeat."""
    have = {s.number for s in project.sprints}
    for number, starts, ends, due in sprint_calendar(project.start_date, project.weeks):
        if number not in have:
            db.session.add(Sprint(project_id=project.id, number=number, starts_on=starts, ends_on=ends, due_on=due))
