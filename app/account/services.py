"""Data download and account closing.

Closing anonymises the person (name, email, password, profile details) and ends every session,
but keeps their contributions: team memberships, check-in hours, notes and ratings stay, so
teams' and campaigns' history is not lost.
"""
import secrets

from app import audit, lifecycle
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import InvitationStatus
from app.models import (
    CampaignMember,
    CheckIn,
    CheckInHours,
    CheckInNote,
    Invitation,
    Project,
    Rating,
    Sprint,
    TeamMembership,
    VolunteerProfile,
)
from app.models.base import utcnow

CLOSED_NAMES = {"volunteer": "Former volunteer", "campaign": "Former campaign member"}


def _iso(value):
    return value.isoformat() if value is not None else None


def export_data(user):
    """Everything we hold about `user`, as a JSON-ready dict."""
    data = {
        "account": {
            "id": user.id, "name": user.name, "email": user.email, "role": user.role,
            "created_at": _iso(user.created_at), "last_login_at": _iso(user.last_login_at),
        },
        "exported_at": _iso(utcnow()),
    }
    profile = db.session.scalar(db.select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is not None:
        data["profile"] = {
            "headline": profile.headline, "bio": profile.bio,
            "home_city": profile.home_city, "home_state": profile.home_state,
            "current_city": profile.current_city, "current_state": profile.current_state,
            "hours_per_week": profile.hours_per_week, "available_from": _iso(profile.available_from),
            "available_until": _iso(profile.available_until), "timezone": profile.timezone, "links": profile.links,
            "lead_trained": profile.lead_trained, "paused": profile.paused,
            "skills": [{"skill": vs.skill.name, "level": vs.level} for vs in profile.skills],
            "causes": [c.name for c in profile.causes],
            "track_record": {
                "checkins_due": profile.checkins_due, "checkins_on_time": profile.checkins_on_time,
                "projects_completed": profile.projects_completed, "projects_dropped": profile.projects_dropped,
                "projects_led": profile.projects_led,
            },
        }
        data["invitations"] = [
            {"project": inv.project.title, "campaign": inv.project.campaign.name, "status": inv.status,
             "created_at": _iso(inv.created_at), "responded_at": _iso(inv.responded_at),
             "decline_reason": inv.decline_reason}
            for inv in db.session.scalars(db.select(Invitation).where(Invitation.volunteer_id == profile.id))
        ]
        teams = []
        for m, project in db.session.execute(
            db.select(TeamMembership, Project).join(Project, Project.id == TeamMembership.project_id)
            .where(TeamMembership.volunteer_id == profile.id).order_by(TeamMembership.joined_at)
        ):
            hours = db.session.execute(
                db.select(Sprint.number, CheckInHours.hours)
                .join(CheckIn, CheckIn.id == CheckInHours.checkin_id).join(Sprint, Sprint.id == CheckIn.sprint_id)
                .where(CheckInHours.membership_id == m.id).order_by(Sprint.number)
            ).all()
            teams.append({
                "project": project.title, "campaign": project.campaign.name, "project_status": project.status,
                "start_date": _iso(project.start_date), "end_date": _iso(project.end_date),
                "lead": m.is_lead, "status": m.status, "hours_per_week": m.hours_per_week,
                "joined_at": _iso(m.joined_at), "ended_at": _iso(m.ended_at),
                "hours_by_sprint": [{"sprint": n, "hours": h} for n, h in hours],
            })
        data["teams"] = teams
    data["campaigns"] = [
        {"campaign": cm.campaign.name, "title": cm.title, "since": _iso(cm.created_at)}
        for cm in db.session.scalars(db.select(CampaignMember).where(CampaignMember.user_id == user.id))
    ]
    data["checkins_written"] = [
        {"project_id": c.project_id, "status": c.status, "done": c.done, "next": c.next_steps,
         "blockers": c.blockers, "submitted_at": _iso(c.submitted_at)}
        for c in db.session.scalars(db.select(CheckIn).where(CheckIn.author_id == user.id))
    ]
    data["notes"] = [
        {"checkin_id": n.checkin_id, "body": n.body, "created_at": _iso(n.created_at)}
        for n in db.session.scalars(db.select(CheckInNote).where(CheckInNote.author_id == user.id))
    ]
    data["ratings"] = [
        {"project_id": r.project_id, "kind": r.kind, "score": r.score, "comment": r.comment,
         "created_at": _iso(r.created_at)}
        for r in db.session.scalars(db.select(Rating).where(Rating.rater_id == user.id))
    ]
    return data


def _forget_in_mail(old_name, old_email, user):
    """The outbox and the development mail folder forget the person too (app/mail/privacy.py)."""
    from app.mail.privacy import scrub_person_from_mail

    scrub_person_from_mail(old_name, old_email, user.name, user.email)


def teams_to_leave(user):
    """The forming or working teams `user` is on: closing the account leaves them first."""
    from app.teams.departures import leavable_memberships

    return leavable_memberships(user)


def close_account(user, password, leave_teams=False, now=None):
    """Leave any team (with the usual notices), anonymise the account and end its sessions; contributions stay.

    A volunteer still on a forming or working team must confirm leaving it (`leave_teams`).
    Raises DomainError, and then nothing changes.
    """
    from app.teams.departures import find_replacements, leave_team

    if user.is_staff:
        raise DomainError("Staff and admin accounts are closed by an admin.")
    if user.closed_at is not None:
        raise DomainError("This account is already closed.")
    if not user.check_password(password or ""):
        raise DomainError("That is not your password.", field="password")
    from app.campaigns.team import CAMPAIGN
    from app.orgs.teams import left_without_owner
    from app.partners.team_routes import PARTNER

    for kind in (CAMPAIGN, PARTNER):
        orphaned = left_without_owner(kind, user)
        if orphaned:  # an organisation always keeps an owner (app/orgs/teams.py)
            raise DomainError(f"Hand ownership of {', '.join(o.name for o in orphaned)} to a colleague first "
                              f"(on the {kind.name}'s team page).")
    now = now or utcnow()
    teams = teams_to_leave(user)
    if teams and not leave_teams:
        names = ", ".join(m.project.title for m in teams)
        raise DomainError(f"You are on a team ({names}): tick the box to leave it before your account closes.",
                          field="leave_teams")
    left = []
    for membership in teams:
        # The same departure as "Leave this team", in this one transaction with the closing.
        state = leave_team(user, membership, "Closed their Barnstorm account.", now=now, commit=False)
        left.append((membership.project, state))
    old_name, old_email = user.name, user.email
    user.name = CLOSED_NAMES.get(user.role, "Former member")
    user.email = f"closed-{user.id}@barnstorm.invalid"
    _forget_in_mail(old_name, old_email, user)
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it; also rotates the session token
    user.rotate_session_token()
    user.closed_at = now
    profile = db.session.scalar(db.select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    if profile is not None:
        profile.headline = profile.bio = profile.links = ""
        profile.home_city = profile.current_city = ""
        profile.home_city_key = profile.current_city_key = None
        profile.home_lat = profile.home_lon = profile.current_lat = profile.current_lon = None
        profile.paused = profile.opted_out = True
        for invitation in list(db.session.scalars(db.select(Invitation).where(
                Invitation.volunteer_id == profile.id, Invitation.status == InvitationStatus.PENDING))):
            lifecycle.transition(invitation, InvitationStatus.CLOSED, user, values={"responded_at": now},
                                 why="account_closed")
    audit.record(user, "account.closed", user, teams_left=[p.id for p, _ in left])
    db.session.commit()
    for project, state in left:
        if state["needs_replacement"]:
            find_replacements(None, project)
    return user
