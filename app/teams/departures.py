"""A member leaves a team: by themselves, or recorded by the lead or staff.

The membership ends early (MembershipStatus.DROPPED, with when and why), the seat is given
back, a leaving lead stops being lead, and the departure counts in the volunteer's track record
as leaving, never as completing. The team, the lead, the campaign and staff are told in the same
transaction. If the team falls below its minimum or has no lead, the project needs a replacement:
staff are pointed at the next-ranked candidates for exactly the open seats.
"""
import logging

from app import lifecycle
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import MembershipStatus, ProjectStatus
from app.links import external_url
from app.models import VolunteerProfile
from app.models.base import utcnow
from app.notifications import notify, staff_users
from app.permissions import may_record_departure, membership_of
from app.sqlite_tuning import write_transaction
from app.teams import seats
from app.teams.workspace import campaign_contacts, team_memberships
from app.webhooks.events import emit_for_campaign

log = logging.getLogger(__name__)

# A team can be left while it forms and while it works; a finished project's record is fixed.
LEAVABLE_PROJECT = (ProjectStatus.RECRUITING, ProjectStatus.ACTIVE)
REASON_MAX = 2000


def own_membership(user, project_id):
    """`user`'s active membership of a forming or working team, or None."""
    membership = membership_of(user, project_id)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        return None
    if membership.project.status not in LEAVABLE_PROJECT:
        return None
    return membership


def leavable_memberships(user):
    """The user's active memberships of teams that are forming or working (what closing an account ends)."""
    from app.models import Project, TeamMembership

    profile = user.volunteer_profile if user.role == "volunteer" else None
    if profile is None:
        return []
    return list(db.session.scalars(
        db.select(TeamMembership).join(Project, Project.id == TeamMembership.project_id)
        .where(TeamMembership.volunteer_id == profile.id, TeamMembership.status == MembershipStatus.ACTIVE,
               Project.status.in_(LEAVABLE_PROJECT))
        .order_by(Project.start_date, Project.id)
    ))


def leave_team(actor, membership, reason, now=None, commit=True):
    """End `membership` early on behalf of `actor`; returns the replacement state of the project.

    Raises DomainError (nothing written) when `actor` may not, the reason is missing, or the
    membership or project is past leaving. With commit=False the caller commits (closing an
    account leaves every team and closes the account in one transaction).
    """
    now = now or utcnow()
    if not may_record_departure(actor, membership):
        raise DomainError("Only the member, the team's lead or staff can record that someone left.")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say in a few words why, so the team and staff can plan.", field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"Please keep this under {REASON_MAX} characters.", field="reason")
    if commit:
        write_transaction()
        db.session.refresh(membership)
    project = membership.project
    db.session.refresh(project)
    if project.status not in LEAVABLE_PROJECT:
        raise DomainError(f"This project is {lifecycle.LABELS[project.status].lower()}; its team can no longer change.")
    if membership.status != MembershipStatus.ACTIVE:
        raise DomainError("That person is no longer on this team.")
    was_lead = membership.is_lead
    leaver = membership.volunteer.user
    by_self = leaver.id == actor.id
    # The lead flag goes in the same conditional UPDATE: a lead who left is nobody's lead.
    lifecycle.transition(
        membership, MembershipStatus.DROPPED, actor, action="team.member_left",
        values={"ended_at": now, "end_reason": reason, "is_lead": False},
        project_id=project.id, was_lead=was_lead, by_self=by_self, reason=reason,
    )
    seats.free_seat(project.id)
    # Counted now, not at completion: a project cancelled later must not forget the departure.
    db.session.execute(
        db.update(VolunteerProfile).where(VolunteerProfile.id == membership.volunteer_id)
        .values(projects_dropped=VolunteerProfile.projects_dropped + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(project)
    state = seats.replacement_state(project)
    emit_for_campaign("member.left", project.campaign_id, {"project_id": project.id,
                                                          "needs_replacement": state["needs_replacement"]})
    _tell_everyone(actor, membership, project, leaver, was_lead, by_self, state)
    if commit:
        db.session.commit()
        if state["needs_replacement"]:
            find_replacements(actor, project)
    return state


def find_replacements(actor, project):
    """Start a match run for the open seats (best effort: staff can press the button themselves)."""
    from app.recruiting.runs import start_match_run

    try:
        start_match_run(actor if getattr(actor, "is_staff", False) else None, project)
    except DomainError as err:
        log.info("no replacement run for project %s: %s", project.id, err.message)
    # End the read transaction begun before an in-process run wrote its results: on SQLite it
    # would keep an old snapshot and refuse this session's next write.
    db.session.commit()


def _tell_everyone(actor, membership, project, leaver, was_lead, by_self, state):
    name = leaver.name
    key = f"member-left:{membership.id}"
    working = project.status == ProjectStatus.ACTIVE
    # A forming team has no workspace yet: its people are pointed nowhere rather than at a 404.
    workspace = external_url("teams.workspace", project_id=project.id) if working else ""
    who = "" if by_self else f" ({actor.name} recorded it)"
    if was_lead:
        lead_note = "They were the team's lead: staff will name a new lead."
    else:
        lead_note = ""
    team_line = (f"The team now has {state['members']} active member{'s' if state['members'] != 1 else ''} "
                 f"(minimum {project.team_min}).")
    remaining = [m for m in team_memberships(project) if m.status == MembershipStatus.ACTIVE]
    lead = next((m for m in remaining if m.is_lead), None)
    others = [m.volunteer.user for m in remaining if not m.is_lead]
    if not working:
        replacing = "The team is still forming; staff will offer the seat to someone else."
    elif state["needs_replacement"]:
        replacing = "Staff are finding a replacement."
    else:
        replacing = "The team still has its minimum and its lead, so the work goes on."
    subject = f"{name} left the {project.title} team"
    notify(others, "teams", key, subject,
           " ".join(filter(None, [f"{name} has left the team{who}.", lead_note, team_line, replacing])), workspace)
    if lead is not None:
        notify(lead.volunteer.user, "teams", key, subject,
               " ".join(filter(None, [f"{name} has left your team{who}. Their reason: {membership.end_reason}",
                                      team_line, replacing,
                                      "Please share their open tasks out in this week's check-in."])), workspace)
    notify(campaign_contacts(project), "teams", key, f"A volunteer left the {project.title} team",
           " ".join(filter(None, [f"{name} has left the team working on {project.title}.", lead_note, team_line,
                                  replacing, "Nothing logged so far is lost."])), workspace)
    if project.status == ProjectStatus.RECRUITING or state["needs_replacement"]:
        staff_subject = f"Needs a replacement: {project.title}" if state["needs_replacement"] else subject
        staff_link = external_url("recruiting.project", project_id=project.id)
    else:
        staff_subject, staff_link = subject, workspace
    notify(staff_users(), "teams", key, staff_subject,
           " ".join(filter(None, [
               f"{name} left {project.title} ({project.campaign.name}){who}. Reason: {membership.end_reason}",
               lead_note, team_line,
               f"{state['open_seats']} seat{'s' if state['open_seats'] != 1 else ''} open; the next-ranked "
               "candidates for them are on the recruiting page." if state["needs_replacement"] else "",
           ])), staff_link)
    if not by_self:
        notify(leaver, "teams", key, f"You are no longer on the {project.title} team",
               f"{actor.name} recorded that you left the {project.title} team. Reason: {membership.end_reason}. "
               "Thank you for the work you did; your hours stay in your history.")
    else:
        notify(leaver, "teams", key, f"You left the {project.title} team",
               f"You have left the {project.title} team; the team, the campaign and staff have been told. "
               "Thank you for the work you did; your hours stay in your history.")
