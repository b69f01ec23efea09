"""The invitation lifecycle: invite, accept (one seat, never over the team size), decline, expire."""
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import Invitation, Project, ProjectSkill, TeamMembership, User, VolunteerProfile
from app.models.base import utcnow
from app.opportunities.tokens import make_invitation_token
from app.sqlite_tuning import write_transaction
from app.teams.commitments import committed_hours

INVITABLE_STATUSES = ("approved", "recruiting")
# What the opportunity page shows of the project, loaded with the invitation (no query per skill).
OPPORTUNITY_LOAD = (
    joinedload(Invitation.project).joinedload(Project.campaign),
    joinedload(Invitation.project).selectinload(Project.skills).joinedload(ProjectSkill.skill),
)


class SeatTaken(DomainError):
    """The last seat went to someone else a moment earlier."""


def invitation_link(invitation):
    return external_url("opportunities.by_link", token=make_invitation_token(invitation))


def invite_volunteers(staff, project, volunteer_ids, match_run_id=None, now=None):
    """Invite each volunteer once; returns (invited, skipped) with a reason per skipped id."""
    if project.status not in INVITABLE_STATUSES:
        raise DomainError("Only an approved project can be offered to volunteers.")
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
    if invited and project.status == "approved":
        project.status = "recruiting"
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
    if invitation.status == "pending" and invitation.expires_at <= now:
        invitation.status = "expired"
        invitation.responded_at = now
        return True
    return False


def expire_invitations(now=None):
    """Expire every overdue pending invitation (cron / daily job). Returns how many."""
    now = now or utcnow()
    result = db.session.execute(
        db.update(Invitation)
        .where(Invitation.status == "pending", Invitation.expires_at <= now)
        .values(status="expired", responded_at=now)
    )
    db.session.commit()
    return result.rowcount


def _take_seat(project_id):
    """Conditional UPDATE: one seat, only while seats remain. PostgreSQL re-checks the WHERE
    after waiting for a concurrent writer, and SQLite serialises writers, so the count never
    passes team_max (a CHECK constraint backs this up)."""
    result = db.session.execute(
        db.update(Project)
        .where(
            Project.id == project_id,
            Project.seats_filled < Project.team_max,
            Project.status.in_(("recruiting", "active")),
        )
        .values(seats_filled=Project.seats_filled + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def accept(invitation, user, now=None):
    """Accept an invitation for `user`. Idempotent; raises DomainError/SeatTaken with a clear message.

    Returns the TeamMembership.
    """
    now = now or utcnow()
    write_transaction()
    profile = _owned_profile(invitation, user)
    db.session.refresh(invitation)
    if invitation.status == "accepted":
        return _membership(invitation)
    if expire_if_due(invitation, now):
        db.session.commit()
    if invitation.status != "pending":
        raise DomainError(_closed_message(invitation))
    project = invitation.project
    free = profile.hours_per_week - committed_hours(profile.id)
    if free < project.hours_per_week:
        raise DomainError(
            f"This project needs {project.hours_per_week} h/week and you have {free:g} h/week free "
            "after your other commitments. Raise your hours in your profile, or decline."
        )
    # The project row is locked first, by every accepter, so two accepts cannot deadlock.
    if not _take_seat(project.id):
        db.session.rollback()
        db.session.refresh(invitation)
        if invitation.status == "pending":
            _close(invitation, now, "team_full")
            db.session.commit()
        raise SeatTaken(
            "Sorry — the last seat on this team was taken a moment ago. Thank you for saying yes; "
            "we will offer you the next project that fits."
        )
    # Then the invitation: a double click loses here, and its rollback returns the seat.
    claimed = db.session.execute(
        db.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status == "pending")
        .values(status="accepted", responded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        db.session.refresh(invitation)
        if invitation.status == "accepted":
            return _membership(invitation)
        raise DomainError(_closed_message(invitation))
    membership = TeamMembership(
        project_id=project.id, volunteer_id=profile.id, invitation_id=invitation.id,
        hours_per_week=project.hours_per_week, joined_at=now,
    )
    db.session.add(membership)
    profile.placements = VolunteerProfile.placements + 1
    db.session.flush()
    db.session.refresh(project)
    subject, text = render_message("team_joined", project=project, volunteer=profile)
    queue_email(f"joined:{membership.id}", user.email, subject, text, category="team")
    if project.seats_filled >= project.team_max:
        _close_open_invitations(project, now)
    audit.record(user, "invitation.accepted", invitation, project_id=project.id)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError("You are already on this team.") from None
    return membership


def decline(invitation, user, reason="", now=None, category=""):
    """Decline (optional reason). Declining twice is harmless; accepted invitations cannot be declined here."""
    now = now or utcnow()
    _owned_profile(invitation, user)
    if invitation.status == "declined":
        return invitation
    expire_if_due(invitation, now)
    if invitation.status != "pending":
        raise DomainError(_closed_message(invitation))
    invitation.status = "declined"
    invitation.responded_at = now
    invitation.decline_reason = (reason or "").strip()[:2000]
    invitation.decline_category = category if category in ("time", "skills", "dates") else ""
    audit.record(user, "invitation.declined", invitation, project_id=invitation.project_id)
    db.session.commit()
    return invitation


def _close_open_invitations(project, now):
    """The team is full: close the other open invitations with a kind note."""
    for other in db.session.scalars(
        db.select(Invitation).where(Invitation.project_id == project.id, Invitation.status == "pending")
    ):
        _close(other, now, "team_full")


def _close(invitation, now, why):
    invitation.status = "closed"
    invitation.responded_at = now
    profile = invitation.volunteer
    subject, text = render_message("invitation_closed", project=invitation.project, volunteer=profile)
    queue_email(f"invite-closed:{invitation.id}", profile.user.email, subject, text, category="invitation")


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


def _closed_message(invitation):
    return {
        "declined": "You declined this invitation.",
        "expired": "This invitation has expired. Staff will send new opportunities as they come.",
        "closed": "This team is already full, so the invitation is closed. Thank you for your interest!",
    }.get(invitation.status, "This invitation is no longer open.")


def invitation_for_volunteer(invitation_id, user):
    """The invitation if it belongs to `user`; None otherwise (the route answers 404)."""
    inv = db.session.get(Invitation, invitation_id, options=OPPORTUNITY_LOAD)
    profile = user.volunteer_profile if user.is_authenticated and user.role == "volunteer" else None
    if inv is None or profile is None or inv.volunteer_id != profile.id:
        return None
    return inv


def team_so_far(project):
    """Names (first name and city only: no emails before joining) of the team's members."""
    rows = db.session.execute(
        db.select(User.name, VolunteerProfile.current_city, VolunteerProfile.current_state, TeamMembership.is_lead)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .join(TeamMembership, TeamMembership.volunteer_id == VolunteerProfile.id)
        .where(TeamMembership.project_id == project.id, TeamMembership.status != "dropped")
        .order_by(TeamMembership.joined_at)
    )
    return [
        {"name": name.split(" ")[0], "place": f"{city}, {state}" if city else "", "lead": lead}
        for name, city, state, lead in rows
    ]
