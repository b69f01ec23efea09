"""The invitation lifecycle: invite, accept (one seat, never over the team size), decline, expire, close.

Every status change goes through `lifecycle.transition` (a conditional UPDATE from the state we
read, plus the audit entry). Accepting takes the seat first with its own conditional UPDATE on the
project (see `_take_seat`), then claims the invitation through the lifecycle: a double click or a
concurrent close loses there and its rollback gives the seat back.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from app import audit, clock, lifecycle
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import INVITABLE_PROJECT, InvitationStatus, MembershipStatus, ProjectStatus, TransitionRefused
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import Invitation, Project, TeamMembership, VolunteerProfile
from app.models.base import utcnow
from app.notifications import notify, staff_users
from app.opportunities.tokens import make_invitation_token
from app.sqlite_tuning import write_transaction
from app.teams import formation, seats
from app.teams.commitments import committed_hours

TEAM_FULL = ("This team is full, thank you! Thank you for saying yes; we will offer you the next project "
             "that fits your time and place.")
class SeatTaken(DomainError):
    """The last seat went to someone else a moment earlier."""


def invitation_link(invitation):
    return external_url("opportunities.by_link", token=make_invitation_token(invitation))


def invite_volunteers(staff, project, volunteer_ids, match_run_id=None, now=None):
    """Invite each volunteer once; returns (invited, skipped) with a reason per skipped id."""
    if project.status not in INVITABLE_PROJECT:
        raise DomainError("Only an approved, recruiting or active project can be offered to volunteers.")
    if seats.is_full(project):
        raise DomainError("This team is full: there is no open seat to offer.")
    if not volunteer_ids:
        raise DomainError("Pick at least one volunteer to invite.")
    now = now or utcnow()
    expires = now + timedelta(days=current_app.config["INVITATION_DAYS"])
    already = set(
        db.session.scalars(
            db.select(Invitation.volunteer_id).where(
                Invitation.project_id == project.id, Invitation.volunteer_id.in_(volunteer_ids)
            )
        )
    )
    # Current and former members (some joined without an invitation) are never invited again.
    already |= set(db.session.scalars(
        db.select(TeamMembership.volunteer_id).where(
            TeamMembership.project_id == project.id, TeamMembership.volunteer_id.in_(volunteer_ids)
        )
    ))
    profiles = {
        p.id: p
        for p in db.session.scalars(db.select(VolunteerProfile).where(VolunteerProfile.id.in_(volunteer_ids)))
    }
    invited, skipped = [], {}
    for vid in dict.fromkeys(volunteer_ids):  # keep order, drop repeats
        profile = profiles.get(vid)
        if profile is None:
            skipped[vid] = "no such volunteer"
        elif vid in already:
            skipped[vid] = "already invited"
        elif profile.paused or profile.opted_out:
            skipped[vid] = "paused"
        else:
            inv = Invitation(
                project_id=project.id, volunteer_id=vid, match_run_id=match_run_id,
                invited_by_id=staff.id, expires_at=expires, created_at=now,
            )
            db.session.add(inv)
            invited.append(inv)
    db.session.flush()
    for inv in invited:
        profile = profiles[inv.volunteer_id]
        subject, text = render_message(
            "invitation", invitation=inv, project=project, volunteer=profile, link=invitation_link(inv)
        )
        queue_email(f"invite:{inv.id}", profile.user.email, subject, text, category="invitation")
    if invited and project.status == ProjectStatus.APPROVED:
        lifecycle.transition(project, ProjectStatus.RECRUITING, staff, action="project.recruiting")
    audit.record(staff, "project.invited", project, volunteers=[i.volunteer_id for i in invited], skipped=skipped)
    try:
        db.session.commit()
    except IntegrityError:
        # Another staff member invited one of them at the same moment; nothing was half-written.
        db.session.rollback()
        raise DomainError("Someone else just invited some of these volunteers. Reload and try again.") from None
    return invited, skipped


def expire_if_due(invitation, now=None):
    """Mark a pending invitation expired when its time is up. Returns True if it changed."""
    now = now or utcnow()
    if invitation.status == InvitationStatus.PENDING and invitation.expires_at <= now:
        lifecycle.transition(invitation, InvitationStatus.EXPIRED, None, values={"responded_at": now})
        return True
    return False


def expire_invitations(now=None):
    """Expire every overdue pending invitation (cron / daily job). Returns how many.

    One transition (and commit) each: an invitation answered while this runs is left as answered.
    """
    now = now or utcnow()
    due = list(db.session.scalars(
        db.select(Invitation).where(Invitation.status == InvitationStatus.PENDING, Invitation.expires_at <= now)
        .order_by(Invitation.id)
    ))
    expired = 0
    for invitation in due:
        try:
            lifecycle.transition(invitation, InvitationStatus.EXPIRED, None, values={"responded_at": now})
        except TransitionRefused:
            continue  # answered a moment ago; transition() rolled back only this one
        db.session.commit()
        expired += 1
    return expired


def _take_seat(project_id):
    """Conditional UPDATE: one seat, only while seats remain. PostgreSQL re-checks the WHERE
    after waiting for a concurrent writer, and SQLite serialises writers, so the count never
    passes team_max (a CHECK constraint backs this up)."""
    result = db.session.execute(
        db.update(Project)
        .where(
            Project.id == project_id,
            Project.seats_filled < Project.team_max,
            Project.status.in_((ProjectStatus.RECRUITING, ProjectStatus.ACTIVE)),
        )
        .values(seats_filled=Project.seats_filled + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def accept(invitation, user, now=None):
    """Accept an invitation for `user`. Idempotent; raises DomainError/SeatTaken with a clear message.

    On an active project the volunteer joins the working team as a replacement. Returns the
    TeamMembership.
    """
    now = now or utcnow()
    write_transaction()
    profile = _owned_profile(invitation, user)
    db.session.refresh(invitation)
    if invitation.status == InvitationStatus.ACCEPTED:
        return _still_on_team(invitation)
    if expire_if_due(invitation, now):
        db.session.commit()
    if invitation.status != InvitationStatus.PENDING:
        raise DomainError(_closed_message(invitation))
    project = invitation.project
    db.session.refresh(project)
    if project.status not in (ProjectStatus.RECRUITING, ProjectStatus.ACTIVE):
        raise DomainError(f"This project is {lifecycle.LABELS[project.status].lower()}, so it takes no one new.")
    free = profile.hours_per_week - committed_hours(profile.id)
    if free < project.hours_per_week:
        raise DomainError(
            f"This project needs {project.hours_per_week} h/week and you have {free:g} h/week free "
            "after your other commitments. Raise your hours in your profile, or decline."
        )
    # The project row is locked first, by every accepter, so two accepts cannot deadlock.
    if not _take_seat(project.id):
        # The team is full: say so and change nothing (the invitation closes with the others
        # when the seat-filling acceptance commits).
        db.session.rollback()
        raise SeatTaken(TEAM_FULL)
    # Then the invitation, conditionally: a double click loses here, and the rollback inside
    # transition() returns the seat.
    try:
        lifecycle.transition(invitation, InvitationStatus.ACCEPTED, user, values={"responded_at": now},
                             project_id=project.id)
    except TransitionRefused:
        db.session.refresh(invitation)
        if invitation.status == InvitationStatus.ACCEPTED:
            return _still_on_team(invitation)
        raise DomainError(_closed_message(invitation)) from None
    membership = TeamMembership(
        project_id=project.id, volunteer_id=profile.id, invitation_id=invitation.id,
        hours_per_week=project.hours_per_week, joined_at=now,
    )
    db.session.add(membership)
    profile.placements = VolunteerProfile.placements + 1
    db.session.flush()
    db.session.refresh(project)
    if project.status == ProjectStatus.ACTIVE:
        _tell_replacement_joined(project, membership, user)
    elif not formation.maybe_activate(project, user, commit=False):
        formation.tell_minimum_reached(project)
    # Written after a possible activation, so it says what is true now (who leads, which sprint).
    subject, text = render_message("team_joined", project=project, volunteer=profile,
                                   welcome=joined_message(membership, today=now.date()))
    # Transactional (the answer to their own yes): emailed at once, and kept in their in-app list.
    notify(user, "invitations", f"joined:{membership.id}", subject, _body_only(text), _team_link(project))
    if seats.is_full(project):
        _close_open_invitations(project, now)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError("You are already on this team.") from None
    return membership


def current_sprint(project, today=None):
    """The sprint under way on `today`, else the next one to start, else None."""
    from app.models import Sprint

    today = today or clock.today()
    sprints = list(db.session.scalars(db.select(Sprint).where(Sprint.project_id == project.id).order_by(Sprint.number)))
    return (next((s for s in sprints if s.starts_on <= today <= s.ends_on), None)
            or next((s for s in sprints if s.starts_on > today), None))


def joined_message(membership, today=None):
    """What a volunteer who just joined is told: who leads, and when their first sprint starts."""
    project = membership.project
    lead = next((m for m in formation.active_members(project) if m.is_lead), None)
    lead_name = lead.volunteer.user.name if lead is not None else None
    if project.status == ProjectStatus.ACTIVE:
        today = today or clock.today()
        lead_part = f"{lead_name} leads it" if lead_name else "staff are naming its new lead"
        if project.start_date > today:
            return (f"You're on the team! The team is formed: {lead_part}, and sprint 1 starts "
                    f"{project.start_date:%b %-d, %Y}. Your team workspace is open.")
        sprint = current_sprint(project, today)
        when = (f"you join in sprint {sprint.number} of {project.weeks} ({sprint.starts_on:%b %-d} to "
                f"{sprint.ends_on:%b %-d})" if sprint is not None else "you join for its last days")
        return f"You're on the team! The work is under way: {lead_part}, and {when}. Your team workspace is open."
    starts = f"Sprint 1 starts {project.start_date:%b %-d, %Y}"
    if lead_name:
        return (f"You're on the team! {lead_name} is its lead. The project starts once the team has its "
                f"minimum of {project.team_min}; {starts[0].lower() + starts[1:]}.")
    return f"You're on the team! We'll tell you when the lead is named and the team is formed. {starts}."


def _team_link(project):
    from app.links import external_url

    if project.status == ProjectStatus.ACTIVE:
        return external_url("teams.workspace", project_id=project.id)
    return external_url("volunteers.dashboard")


def _tell_replacement_joined(project, membership, user):
    """Someone joined a working team: the lead, the campaign and staff hear who."""
    from app.links import external_url
    from app.teams.workspace import campaign_contacts

    key = f"member-joined:{membership.id}"
    link = external_url("teams.workspace", project_id=project.id)
    state = seats.replacement_state(project)
    subject = f"{user.name} joined {project.title} as a replacement"
    status = ("The team is whole again." if not state["needs_replacement"]
              else f"The team has {state['members']} active members (minimum {project.team_min})"
                   + ("" if state["has_lead"] else " and still needs a lead") + ".")
    lead = next((m for m in formation.active_members(project) if m.is_lead), None)
    if lead is not None:
        notify(lead.volunteer.user, "teams", key, subject,
               f"{user.name} joined your team as a replacement ({project.hours_per_week} h/week); their email is "
               f"{user.email}. Please welcome them and share out the open tasks. {status}", link)
    notify(campaign_contacts(project), "teams", key, subject,
           f"{user.name} joined the team working on {project.title} as a replacement. {status}", link)
    notify(staff_users(), "teams", key, subject,
           f"{user.name} joined {project.title} ({project.campaign.name}) as a replacement. {status}",
           external_url("recruiting.project", project_id=project.id))


def decline(invitation, user, reason="", now=None, category=""):
    """Decline (optional reason). Declining twice is harmless; accepted invitations cannot be declined here."""
    now = now or utcnow()
    _owned_profile(invitation, user)
    if invitation.status == InvitationStatus.DECLINED:
        return invitation
    if expire_if_due(invitation, now):
        db.session.commit()
    if invitation.status != InvitationStatus.PENDING:
        raise DomainError(_closed_message(invitation))
    lifecycle.transition(invitation, InvitationStatus.DECLINED, user, project_id=invitation.project_id,
                         values={"responded_at": now, "decline_reason": (reason or "").strip()[:2000],
                                 "decline_category": category if category in ("time", "skills", "dates") else ""})
    db.session.commit()
    return invitation


def _close_open_invitations(project, now):
    """The team is full: close the other open invitations with a kind note."""
    for other in list(db.session.scalars(
        db.select(Invitation).where(Invitation.project_id == project.id, Invitation.status == InvitationStatus.PENDING)
    )):
        _close(other, now, "team_full")


def _close(invitation, now, why):
    lifecycle.transition(invitation, InvitationStatus.CLOSED, None, values={"responded_at": now}, why=why)
    profile = invitation.volunteer
    subject, text = render_message("invitation_closed", project=invitation.project, volunteer=profile)
    notify(profile.user, "invitations", f"invite-closed:{invitation.id}", subject, _body_only(text))


def _body_only(text):
    """An email template's text without its greeting and sign-off (notify adds its own)."""
    lines = text.strip().splitlines()
    if lines and lines[0].startswith("Hello "):
        lines = lines[1:]
    if lines and lines[-1].startswith("— The Barnstorm team"):
        lines = lines[:-1]
    return "\n".join(lines).strip()


def _owned_profile(invitation, user):
    profile = user.volunteer_profile if user is not None else None
    if profile is None or profile.id != invitation.volunteer_id:
        raise DomainError("This invitation is for someone else.")
    return profile


def _membership(invitation):
    return db.session.scalar(
        db.select(TeamMembership).where(
            TeamMembership.project_id == invitation.project_id,
            TeamMembership.volunteer_id == invitation.volunteer_id,
        )
    )


def _still_on_team(invitation):
    """Accepting twice is harmless, but does not undo having left the team since."""
    membership = _membership(invitation)
    if membership is not None and membership.status == MembershipStatus.DROPPED:
        raise DomainError("You left this team, so this invitation no longer applies. Thank you for your work on it.")
    return membership


def _closed_message(invitation):
    return {
        InvitationStatus.DECLINED: "You declined this invitation.",
        InvitationStatus.EXPIRED: "This invitation has expired. Staff will send new opportunities as they come.",
        InvitationStatus.CLOSED: "This team is full, thank you! The invitation is closed; thank you for your interest.",
    }.get(invitation.status, "This invitation is no longer open.")


def invitation_for_volunteer(invitation_id, user):
    """The invitation if it belongs to `user`; None otherwise (the route answers 404)."""
    inv = db.session.get(Invitation, invitation_id)
    profile = user.volunteer_profile if user.is_authenticated and user.role == "volunteer" else None
    if inv is None or profile is None or inv.volunteer_id != profile.id:
        return None
    return inv
