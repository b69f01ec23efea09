"""The campaign's approval of a scope: sending it, approving it, asking for changes."""

from app import clock
from app.errors.domain import DomainError
from app.extensions import db
from app.models import Invitation, TeamMembership
from app.lifecycle import EDITABLE_PROJECT, ProjectStatus, transition
from app.links import external_url
from app.mail.messages import render_message
from app.models.base import utcnow
from app.notifications import notify, staff_users
from app.teams.workspace import campaign_contacts
from app.webhooks.events import emit_for_campaign


def send_for_approval(staff, project, today=None):
    """Show the scope to the campaign for approval."""
    today = today or clock.today()
    if project.start_date < today:
        raise DomainError("The start date has passed; edit the scope and choose a new one.")
    if project.status not in EDITABLE_PROJECT:
        raise DomainError("Only a draft or a changed scope can be sent for approval.")
    entry = transition(project, ProjectStatus.AWAITING_APPROVAL, staff, "project.sent_for_approval")
    db.session.flush()
    ask_campaign_to_review(project, f"scope-sent:{entry.id}",
                           "Please review and approve the scope of your project")
    db.session.commit()
    return project


def ask_campaign_to_review(project, key, headline):
    """Tell the campaign's people a scope waits for them (keyed: a scope sent again is a new notice)."""
    link = external_url("campaigns.scope", campaign_id=project.campaign_id, project_id=project.id)
    people = campaign_contacts(project)
    for contact in people:
        subject, text = render_message("scope_for_approval", project=project, person=contact.name, link=link)
        notify(contact, "scoping", key, subject or f"{headline}: {project.title}", text, link)


def _require_campaign_member(user, project):
    """Only the project's own campaign decides on its scope (the views check too; this is the rule)."""
    from app.permissions import is_campaign_member

    if user.role != "campaign" or not is_campaign_member(user, project.campaign_id):
        raise DomainError("Only the campaign's people can approve or change this scope.")


def approve_scope(member, project, today=None):
    """The campaign member approves the scope; the project is ready for matching."""
    today = today or clock.today()
    _require_campaign_member(member, project)
    if project.status != ProjectStatus.AWAITING_APPROVAL:
        raise DomainError("This scope is not waiting for your approval.")
    if project.start_date < today:
        raise DomainError("The start date of this scope has passed; ask for changes so staff can move it.")
    _approve(member, project, by_phone=False, note="")
    db.session.commit()
    return project


def record_phone_approval(staff, project, note, today=None):
    """Staff record an approval the campaign gave by phone or in person."""
    today = today or clock.today()
    note = (note or "").strip()
    if project.status not in (ProjectStatus.AWAITING_APPROVAL, ProjectStatus.CHANGES_REQUESTED):
        raise DomainError("Send the scope for approval before recording one.")
    if not note:
        raise DomainError("Say who approved, when and how (e.g. “Jane Doe, by phone on May 3”).", field="note")
    if project.start_date < today:
        raise DomainError("The start date has passed; edit the scope and choose a new one.")
    _approve(staff, project, by_phone=True, note=note)
    db.session.commit()
    return project


def _approve(user, project, by_phone, note):
    # A rescheduled project that already had invitations out goes straight back to recruiting.
    reopened = project.seats_filled > 0 or has_invitations(project)
    target = ProjectStatus.RECRUITING if reopened else ProjectStatus.APPROVED
    entry = transition(project, target, user, "project.approved", by_phone=by_phone, note=note,
                       values={"approved_at": utcnow(), "approved_by_id": user.id, "approval_note": note})
    db.session.flush()
    emit_for_campaign("scope.approved", project.campaign_id, {"project_id": project.id})
    link = external_url("recruiting.project", project_id=project.id)
    who = "our staff, on the campaign's word" if by_phone else user.name
    notify(staff_users(), "scoping", f"scope-approved:{entry.id}", f"Scope approved: {project.title}",
           f"{project.campaign.name} approved the scope (recorded by {who}). "
           + ("Volunteers already invited can now answer." if reopened else "It is ready for matching."), link)
    if reopened:
        tell_invitees_dates_confirmed(project, entry.id)


def request_changes(member, project, comment):
    """The campaign member asks staff to change the scope, saying what."""
    _require_campaign_member(member, project)
    comment = (comment or "").strip()
    if project.status != ProjectStatus.AWAITING_APPROVAL:
        raise DomainError("This scope is not waiting for your approval.")
    if not comment:
        raise DomainError("Tell us what should change.", field="comment")
    entry = transition(project, ProjectStatus.CHANGES_REQUESTED, member, "project.changes_requested", comment=comment)
    db.session.flush()
    notify(staff_users(), "scoping", f"scope-changes:{entry.id}",
           f"Changes asked for: {project.title}",
           f"{member.name} of {project.campaign.name} asked for changes:\n{comment}",
           external_url("scoping.project_detail", project_id=project.id))
    db.session.commit()
    return project


def has_invitations(project):
    return db.session.scalar(db.select(Invitation.id).where(Invitation.project_id == project.id).limit(1)) is not None


def tell_invitees_dates_confirmed(project, event_id):
    """The campaign confirmed moved dates: people with an open invitation or a seat hear the new dates."""
    from app.lifecycle import InvitationStatus, MembershipStatus

    invited = db.session.scalars(
        db.select(Invitation).where(Invitation.project_id == project.id, Invitation.status == InvitationStatus.PENDING)
    )
    members = db.session.scalars(
        db.select(TeamMembership).where(TeamMembership.project_id == project.id,
                                        TeamMembership.status == MembershipStatus.ACTIVE)
    )
    dates = f"{project.start_date:%b %-d} to {project.end_date:%b %-d, %Y}"
    for inv in invited:
        notify(inv.volunteer.user, "invitations", f"dates-confirmed:{event_id}:{inv.id}",
               f"New dates confirmed: {project.title}",
               f"The campaign confirmed the new dates, {dates}. Your invitation is open: you can answer now.",
               external_url("opportunities.show", invitation_id=inv.id))
    for m in members:
        notify(m.volunteer.user, "project_changes", f"dates-confirmed:{event_id}:m{m.id}",
               f"New dates confirmed: {project.title}", f"The campaign confirmed the new dates, {dates}.",
               external_url("teams.workspace", project_id=project.id))
