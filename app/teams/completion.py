"""The end of a project: the final report, completing it (track records), and ratings.

The end date is a hard stop. The lead (or staff) files the final report once the end date is
reached or the last sprint's check-in is in; staff (or the daily reminders run, two days after
the end date) then complete the project. Completing updates every member's track record on
VolunteerProfile, which is what the matching loader reads. Nothing is deleted.
"""
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from app import audit, clock, lifecycle
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import MembershipStatus, ProjectStatus
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import CheckIn, FinalReport, Project, Rating, Sprint, VolunteerProfile
from app.models.base import utcnow
from app.orgs import consent
from app.permissions import is_campaign_member, may_write_team_record, membership_of
from app.teams.checkins import LAST_SPRINT_EXTRA_DAYS
from app.teams.workspace import campaign_contacts, team_memberships
from app.webhooks.events import emit_for_campaign

TEXT_MAX = 10000


def final_report_of(project):
    return db.session.scalar(db.select(FinalReport).where(FinalReport.project_id == project.id))


def last_checkin_in(project):
    last = db.session.scalar(
        db.select(Sprint).where(Sprint.project_id == project.id).order_by(Sprint.number.desc()).limit(1)
    )
    return last is not None and last.checkin is not None


def final_report_open(project, today=None, last_in=None):
    """The final report can be written once the end date is reached or the last check-in is in.

    `last_in`: whether the last sprint's check-in is in, when the caller already knows.
    """
    today = today or clock.today()
    if project.status != ProjectStatus.ACTIVE:
        return False
    if today >= project.end_date:
        return True
    return last_in if last_in is not None else last_checkin_in(project)


def file_final_report(user, project, data, now=None):
    """Write (or, while the project is active, rewrite) the final report. Returns it."""
    now = now or utcnow()
    if not may_write_team_record(user, project):
        raise DomainError("Only the team lead or staff can file the final report.")
    if project.status != ProjectStatus.ACTIVE:
        raise DomainError("This project is finished; its final report can no longer change.")
    if not final_report_open(project, now.date()):
        raise DomainError(
            f"The final report opens when the last sprint's check-in is in, or on {project.end_date:%b %-d, %Y}."
        )
    for key in ("deliverables_done", "metrics_reached", "handover_notes"):
        if len(data.get(key) or "") > TEXT_MAX:
            raise DomainError(f"Please keep this under {TEXT_MAX} characters.", field=key)
    if not (data.get("deliverables_done") or "").strip():
        raise DomainError("Say which deliverables were done.", field="deliverables_done")
    report = final_report_of(project)
    created = report is None
    if created:
        report = FinalReport(project_id=project.id)
        db.session.add(report)
    report.author_id = user.id
    report.deliverables_done = data["deliverables_done"].strip()
    report.metrics_reached = (data.get("metrics_reached") or "").strip()
    report.handover_notes = (data.get("handover_notes") or "").strip()
    report.submitted_at = now
    audit.record(user, "project.final_report_filed" if created else "project.final_report_edited", project)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError("Someone else filed the final report a moment ago. Reload to see it.") from None
    return report


def complete_project(actor, project, now=None):
    """Complete an active project and update every member's track record (once).

    `actor` is a staff User, or None for the system. Without a final report a project can
    only be completed after its end date (the hard stop).
    """
    now = now or utcnow()
    if actor is not None and not actor.is_staff:
        raise DomainError("Only staff can complete a project.")
    if project.status != ProjectStatus.ACTIVE:
        raise DomainError("Only an active project can be completed.")
    if final_report_of(project) is None and now.date() <= project.end_date:
        raise DomainError("The lead has not filed the final report yet, and the end date has not passed.")
    # Conditional UPDATE: if two runs race, exactly one completes it and counts the track records.
    try:
        lifecycle.transition(project, ProjectStatus.COMPLETED, actor, action="project.completed_status",
                             values={"completed_at": now})
    except lifecycle.TransitionRefused:
        raise DomainError("This project was completed a moment ago.") from None
    sprint_count = db.session.scalar(
        db.select(func.count()).select_from(Sprint).where(Sprint.project_id == project.id)
    )
    on_time = db.session.scalar(
        db.select(func.count()).select_from(CheckIn).where(CheckIn.project_id == project.id, CheckIn.on_time.is_(True))
    )
    members = team_memberships(project, include_dropped=True)
    for m in members:
        profile = db.session.get(VolunteerProfile, m.volunteer_id)
        if m.status != MembershipStatus.ACTIVE:
            # Left early: counted as leaving when they left (app/teams/departures.py), never as completing.
            continue
        lifecycle.transition(m, MembershipStatus.COMPLETED, actor, action="team.member_completed",
                             values={"ended_at": now})
        profile.checkins_due += sprint_count
        profile.checkins_on_time += on_time
        profile.projects_completed += 1
        if m.is_lead:
            profile.projects_led += 1
    db.session.refresh(project)
    _ask_for_ratings(project, members)
    consent.ask_members(project, [m.volunteer.user for m in members if m.status == MembershipStatus.COMPLETED])
    audit.record(
        actor, "project.completed", project,
        sprints=sprint_count, on_time=on_time, members=[m.id for m in members],
    )
    emit_for_campaign("project.completed", project.campaign_id, {"project_id": project.id})
    db.session.commit()
    return project


def _ask_for_ratings(project, members):
    link = external_url("teams.rate", project_id=project.id)
    for contact in campaign_contacts(project):
        subject, text = render_message("rate_request", project=project, person=contact.name, link=link, campaign=True)
        queue_email(f"rate-request:{project.id}:{contact.id}", contact.email, subject, text, category="team")
    for m in members:
        user = m.volunteer.user
        if m.status != MembershipStatus.COMPLETED or user.closed_at is not None:
            continue
        subject, text = render_message("rate_request", project=project, person=user.name, link=link, campaign=False)
        queue_email(f"rate-request:{project.id}:{user.id}", user.email, subject, text, category="team")


def auto_complete_due(today):
    """Complete active projects whose final report is in and whose last edit window has closed."""
    cutoff = today - timedelta(days=LAST_SPRINT_EXTRA_DAYS)
    projects = list(
        db.session.scalars(
            db.select(Project)
            .join(FinalReport, FinalReport.project_id == Project.id)
            .where(Project.status == ProjectStatus.ACTIVE, Project.end_date < cutoff)
        )
    )
    done = 0
    for project in projects:
        try:
            complete_project(None, project)
        except DomainError:
            continue
        done += 1
    return done


def rating_kind(user, project):
    """'campaign' for the campaign's people, 'volunteer' for the team, else None."""
    if not user.is_authenticated:
        return None
    if user.role == "campaign" and is_campaign_member(user, project.campaign_id):
        return "campaign"
    m = membership_of(user, project.id)
    if m is not None and m.status == MembershipStatus.COMPLETED:
        return "volunteer"
    return None


def my_rating(user, project):
    kind = rating_kind(user, project)
    if kind is None:
        return None
    return db.session.scalar(
        db.select(Rating).where(Rating.project_id == project.id, Rating.rater_id == user.id, Rating.kind == kind)
    )


def rate(user, project, score, comment="", now=None):
    """The campaign rates the project, a volunteer rates the experience; rating again edits it."""
    kind = rating_kind(user, project)
    if kind is None:
        raise DomainError("Only the campaign and the team can rate this project.")
    if project.status != ProjectStatus.COMPLETED:
        raise DomainError("Ratings open when the project is completed.")
    if score is None or not 1 <= int(score) <= 5:
        raise DomainError("Pick a score from 1 to 5.", field="score")
    comment = (comment or "").strip()
    if len(comment) > TEXT_MAX:
        raise DomainError(f"Please keep this under {TEXT_MAX} characters.", field="comment")
    rating = my_rating(user, project)
    if rating is None:
        rating = Rating(project_id=project.id, rater_id=user.id, kind=kind, created_at=now or utcnow())
        db.session.add(rating)
    rating.score = int(score)
    rating.comment = comment
    audit.record(user, "project.rated", project, kind=kind, score=int(score))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError("Your rating was just saved from another window. Reload to see it.") from None
    return rating


def drop_member(actor, membership, reason="", now=None):
    """The lead or staff record that a member left early (see app/teams/departures.leave_team)."""
    from app.teams.departures import leave_team

    return leave_team(actor, membership, reason, now=now)

