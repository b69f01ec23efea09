"""Changes of plan for a scoped project: moving its dates, cancelling it.

Each change goes through the lifecycle (one guarded transition), keeps everything already
logged (sprints, check-ins, hours, the audit trail), and tells everyone on the project.
"""
from datetime import timedelta

from flask import current_app

from app import clock
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import (
    FINISHED_PROJECT,
    RESCHEDULABLE_PROJECT,
    InvitationStatus,
    MembershipStatus,
    ProjectStatus,
    transition,
)
from app.links import external_url
from app.models import Invitation, TeamMembership
from app.models.base import utcnow
from app.notifications import campaign_people, notify, staff_users
from app.orgs.consent import ask_members
from app.permissions import may_cancel_project
from app.scoping.approval import ask_campaign_to_review
from app.scoping.rules import MAX_WEEKS, MIN_WEEKS, WEEKS_MESSAGE
from app.sqlite_tuning import write_transaction
from app.teams.sprints import end_date_for
from app.webhooks.events import emit_for_campaign

REASON_MAX = 2000


def _pending_invitations(project):
    return list(db.session.scalars(
        db.select(Invitation).where(Invitation.project_id == project.id, Invitation.status == InvitationStatus.PENDING)
    ))


def _active_memberships(project):
    return list(db.session.scalars(
        db.select(TeamMembership).where(TeamMembership.project_id == project.id,
                                        TeamMembership.status == MembershipStatus.ACTIVE)
    ))


def _dates(project):
    return f"{project.start_date:%b %-d} to {(project.end_date - timedelta(days=1)):%b %-d, %Y}"


def cancel_project(actor, project, reason, now=None):
    """Cancel a project at any stage before it finishes, with a reason everyone reads.

    Open invitations close with a kind note, active members' seats end (not counted as leaving
    or completing), the campaign, members, invitees and staff are told. Nothing logged is deleted.
    """
    now = now or utcnow()
    reason = (reason or "").strip()
    if not may_cancel_project(actor, project):
        raise DomainError("Only staff or the campaign's own people can cancel this project.")
    if not reason:
        raise DomainError("Say why the project is cancelled; everyone on it will read this.", field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"Please keep the reason under {REASON_MAX} characters.", field="reason")
    if project.status in FINISHED_PROJECT:
        raise DomainError(f"This project is already {project.status}.")
    # SQLite: take the write lock before reading who is on it, so a racing accept queues behind us.
    project_id = project.id
    write_transaction()
    project = db.session.get(type(project), project_id)
    was_working = project.status == ProjectStatus.ACTIVE
    transition(project, ProjectStatus.CANCELLED, actor, "project.cancelled", reason=reason,
               values={"cancelled_at": now, "cancel_reason": reason})
    emit_for_campaign("project.cancelled", project.campaign_id, {"project_id": project.id, "reason": reason})
    key = f"project-cancelled:{project.id}"
    title = f"Project cancelled: {project.title}"
    for inv in _pending_invitations(project):
        transition(inv, InvitationStatus.CLOSED, actor, "invitation.closed", why="project_cancelled",
                   values={"responded_at": now})
        notify(inv.volunteer.user, "invitations", key, title,
               f"Thank you for considering this project. {project.campaign.name} will not go ahead with it, "
               f"so your invitation is closed and asks nothing more of you.\nThe reason given: {reason}\n"
               "We will send you the next opportunity that fits.",
               external_url("volunteers.dashboard"))
    members = _active_memberships(project)
    for m in members:
        transition(m, MembershipStatus.ENDED, actor, "team.membership_ended", why="project_cancelled",
                   values={"ended_at": now, "end_reason": "project cancelled"})
    workspace = external_url("teams.workspace", project_id=project.id)
    notify([m.volunteer.user for m in members], "project_changes", key, title,
           f"{project.title} for {project.campaign.name} is cancelled. The reason given: {reason}\n"
           "Your hours on it are freed; everything the team logged stays in your history. Thank you for your work.",
           workspace)
    if was_working:  # a team that worked with the campaign is asked whether it may keep their contact
        ask_members(project, [m.volunteer.user for m in members])
    by = "our staff" if actor.is_staff else actor.name
    notify(campaign_people(project.campaign_id), "project_changes", key, title,
           f"{project.title} was cancelled by {by}. The reason given: {reason}\n"
           "Its record (scope, check-ins, hours) stays on your campaign's page.",
           external_url("campaigns.scope", campaign_id=project.campaign_id, project_id=project.id))
    notify(staff_users(), "project_changes", key, title,
           f"{project.campaign.name}'s project was cancelled by {actor.name}. Reason: {reason}\n"
           f"{len(members)} member(s) released.",
           external_url("scoping.project_detail", project_id=project.id))
    db.session.commit()
    return project


def reschedule_project(staff, project, start_date, weeks=None, today=None, now=None):
    """Move an approved or recruiting project to new dates; the campaign approves them again.

    Invitees and members are told the new dates; open invitations stay open (their expiry is pushed
    back so the campaign's review cannot run them out). Returns the project.
    """
    today = today or clock.today()
    now = now or utcnow()
    if project.status not in RESCHEDULABLE_PROJECT:
        raise DomainError("Only an approved or recruiting project can be rescheduled; a running team keeps its "
                          "dates, and more work is a new phase.")
    if start_date is None:
        raise DomainError("Choose the new start date.", field="start_date")
    if start_date < today:
        raise DomainError("The new start date is in the past.", field="start_date")
    weeks = project.weeks if weeks in (None, "") else weeks
    if not MIN_WEEKS <= int(weeks) <= MAX_WEEKS:
        raise DomainError(WEEKS_MESSAGE, field="weeks")
    weeks = int(weeks)
    end_date = end_date_for(start_date, weeks)
    if start_date == project.start_date and weeks == project.weeks:
        raise DomainError("Those are the dates it already has.", field="start_date")
    old = _dates(project)
    entry = transition(project, ProjectStatus.AWAITING_APPROVAL, staff, "project.rescheduled",
                       old_start=project.start_date.isoformat(), old_weeks=project.weeks,
                       new_start=start_date.isoformat(), new_weeks=weeks,
                       values={"start_date": start_date, "end_date": end_date, "weeks": weeks})
    db.session.flush()
    new = _dates(project)
    key = f"rescheduled:{entry.id}"
    ask_campaign_to_review(project, key, "New dates to approve")
    hold = now + timedelta(days=current_app.config["INVITATION_DAYS"])
    for inv in _pending_invitations(project):
        if inv.expires_at < hold:
            inv.expires_at = hold
        notify(inv.volunteer.user, "invitations", key, f"New dates: {project.title}",
               f"The project you are invited to moved from {old} to {new} ({weeks} week"
               f"{'s' if weeks != 1 else ''}). The campaign is confirming the new dates; we will tell you when "
               "you can answer. Your invitation stays open.",
               external_url("opportunities.show", invitation_id=inv.id))
    notify([m.volunteer.user for m in _active_memberships(project)], "project_changes", key,
           f"New dates: {project.title}",
           f"Your project moved from {old} to {new}. The campaign is confirming them; if the new dates do not "
           "work for you, you can leave the team from its page.",
           external_url("teams.workspace", project_id=project.id))
    if project.ends_after_election:
        notify(staff_users(), "project_changes", key, f"Ends after election day: {project.title}",
               f"The new dates end after {project.campaign.name}'s election day "
               f"({project.campaign.election_date:%b %-d, %Y}).",
               external_url("scoping.project_detail", project_id=project.id))
    db.session.commit()
    return project
