"""Weekly check-ins: the lead (or staff) reports, the campaign acknowledges, members add notes.

Rules:
* one check-in per sprint (a unique constraint backs this); submitting again edits it;
* it can be written from the sprint's first day until the NEXT sprint's check-in is due
  (for the last sprint: until the project's end date + 2 days); after that the sprint is closed;
* it is on time when first submitted on or before the day after its due date (one day of grace,
  so a Friday check-in logged on Saturday morning still counts);
* only the project's active lead, or staff, write it.
"""
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.messages import render_message
from app.lifecycle import CheckInReview, MembershipStatus, ProjectStatus, transition
from app.models import (
    CheckIn,
    CheckInHours,
    CheckInNote,
    Deliverable,
    DeliverableProgress,
    Metric,
    MetricValue,
    Sprint,
    TeamMembership,
)
from app.models.base import utcnow
from app.notifications import notify
from app.models.teams import CHECKIN_STATUSES
from app.permissions import is_campaign_member, may_add_checkin_note, may_write_team_record
from app.sqlite_tuning import write_transaction
from app.teams.workspace import campaign_contacts
from app.webhooks.events import emit_for_campaign

ON_TIME_GRACE_DAYS = 1
LAST_SPRINT_EXTRA_DAYS = 2
NOTE_MAX = 2000
TEXT_MAX = 5000


def edit_deadline(sprint, project=None, sprints=None):
    """The last day the sprint's check-in can be written or edited."""
    project = project or sprint.project
    sprints = sprints if sprints is not None else project.sprints
    following = [s for s in sprints if s.number == sprint.number + 1]
    if following:
        return following[0].due_on
    return project.end_date + timedelta(days=LAST_SPRINT_EXTRA_DAYS)


def is_on_time(sprint, day):
    return day <= sprint.due_on + timedelta(days=ON_TIME_GRACE_DAYS)


def check_window(sprint, project, today):
    if project.status != ProjectStatus.ACTIVE:
        raise DomainError("This project is not running, so its check-ins are closed.")
    if today < sprint.starts_on:
        raise DomainError(
            f"Sprint {sprint.number} starts on {sprint.starts_on:%b %-d}; its check-in opens then."
        )
    deadline = edit_deadline(sprint, project)
    if today > deadline:
        raise DomainError(
            f"Sprint {sprint.number}'s check-in closed on {deadline:%b %-d}: "
            "a check-in can be written or edited until the next one is due."
        )


def submit_checkin(user, sprint, data, now=None):
    """Write (or edit, while the window is open) the sprint's check-in. Returns the CheckIn.

    `data`: status, done, next_steps, blockers, hours {membership id: h}, progress {deliverable id: %},
    metrics {metric id: value or None}. Raises DomainError with a clear message; nothing half-saved.
    """
    now = now or utcnow()
    write_transaction()  # SQLite: take the write lock first, so two editors queue instead of failing
    try:
        return _submit(user, db.session.get(Sprint, sprint.id), data, now)
    except DomainError:
        db.session.rollback()  # release the write lock; nothing was saved
        raise


def _submit(user, sprint, data, now):
    today = now.date()
    project = sprint.project
    if not may_write_team_record(user, project):
        raise DomainError("Only the team lead or staff can log this team's check-in.")
    check_window(sprint, project, today)
    status = data.get("status")
    if status not in CHECKIN_STATUSES:
        raise DomainError("Pick on track, at risk or off track.", field="status")
    for key in ("done", "next_steps", "blockers"):
        if len(data.get(key) or "") > TEXT_MAX:
            raise DomainError(f"Please keep this under {TEXT_MAX} characters.", field=key)

    members = list(
        db.session.scalars(
            db.select(TeamMembership).where(
                TeamMembership.project_id == project.id, TeamMembership.status == MembershipStatus.ACTIVE
            )
        )
    )
    hours = {int(k): v for k, v in (data.get("hours") or {}).items()}
    progress = {int(k): v for k, v in (data.get("progress") or {}).items()}
    metrics = {int(k): v for k, v in (data.get("metrics") or {}).items()}
    for m in members:
        h = hours.get(m.id) or 0
        if not 0 <= h <= 80:
            raise DomainError("Hours per member must be between 0 and 80.", field=f"hours_{m.id}")
    deliverables = list(project.deliverables)
    for d in deliverables:
        p = progress.get(d.id)
        if p is None:
            p = d.progress
        if not 0 <= p <= 100:
            raise DomainError("Progress is a percentage between 0 and 100.", field=f"progress_{d.id}")

    checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.sprint_id == sprint.id))
    created = checkin is None
    if created:
        checkin = CheckIn(
            sprint_id=sprint.id, project_id=project.id, submitted_at=now, on_time=is_on_time(sprint, today)
        )
        db.session.add(checkin)
    checkin.author_id = user.id
    checkin.status = status
    checkin.done = (data.get("done") or "").strip()
    checkin.next_steps = (data.get("next_steps") or "").strip()
    checkin.blockers = (data.get("blockers") or "").strip()
    checkin.updated_at = now
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(
            "Someone else logged this sprint's check-in a moment ago. Reload the page to edit it."
        ) from None

    existing_hours = {h.membership_id: h for h in checkin.hours}
    for m in members:
        value = float(hours.get(m.id) or 0)
        if m.id in existing_hours:
            existing_hours[m.id].hours = value
        else:
            checkin.hours.append(CheckInHours(membership_id=m.id, hours=value))
    existing_progress = {p.deliverable_id: p for p in checkin.deliverable_progress}
    for d in deliverables:
        value = progress.get(d.id)
        value = int(d.progress if value is None else value)
        if d.id in existing_progress:
            existing_progress[d.id].progress = value
        else:
            checkin.deliverable_progress.append(DeliverableProgress(deliverable_id=d.id, progress=value))
    existing_values = {v.metric_id: v for v in checkin.metric_values}
    for metric in project.metrics:
        value = metrics.get(metric.id)
        if value is None:
            continue  # left blank: no new reading this week
        if metric.id in existing_values:
            existing_values[metric.id].value = float(value)
        else:
            checkin.metric_values.append(MetricValue(metric_id=metric.id, value=float(value)))
    db.session.flush()
    refresh_latest(project)
    audit.record(
        user, "checkin.submitted" if created else "checkin.edited", checkin,
        sprint=sprint.number, status=status, on_time=checkin.on_time,
    )
    if created:
        _tell_campaign(project, sprint, checkin)
        emit_for_campaign("checkin.logged", project.campaign_id, {"project_id": project.id, "sprint": sprint.number})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(
            "Someone else logged this sprint's check-in a moment ago. Reload the page to edit it."
        ) from None
    return checkin


def refresh_latest(project):
    """Deliverable.progress and Metric.current_value follow the latest sprint that reported them."""
    by_deliverable = _latest_reported(project, DeliverableProgress.deliverable_id, DeliverableProgress.progress)
    for d in db.session.scalars(db.select(Deliverable).where(Deliverable.project_id == project.id)):
        if d.id in by_deliverable:
            d.progress = by_deliverable[d.id]
    by_metric = _latest_reported(project, MetricValue.metric_id, MetricValue.value)
    for metric in db.session.scalars(db.select(Metric).where(Metric.project_id == project.id)):
        if metric.id in by_metric:
            metric.current_value = by_metric[metric.id]


def _latest_reported(project, key, value):
    """{key: value} from the project's check-ins, the latest sprint's report winning."""
    rows = db.session.execute(
        db.select(key, value)
        .join(CheckIn, CheckIn.id == key.class_.checkin_id)
        .join(Sprint, Sprint.id == CheckIn.sprint_id)
        .where(CheckIn.project_id == project.id)
        .order_by(Sprint.number)
    ).all()
    return dict(rows)  # later sprints overwrite earlier ones


def _tell_campaign(project, sprint, checkin):
    link = external_url("teams.checkin", project_id=project.id, number=sprint.number)
    for contact in campaign_contacts(project):
        subject, text = render_message(
            "checkin_logged", project=project, sprint=sprint, checkin=checkin, contact=contact, link=link
        )
        notify(contact, "checkins", f"checkin-logged:{checkin.id}", subject, text, link)


def team_lead(project):
    """The project's active lead's User, or None."""
    m = db.session.scalar(
        db.select(TeamMembership).where(TeamMembership.project_id == project.id, TeamMembership.is_lead.is_(True),
                                        TeamMembership.status == MembershipStatus.ACTIVE)
    )
    return m.volunteer.user if m is not None else None


def acknowledge(user, checkin, comment="", now=None):
    """A member of the project's campaign acknowledges a check-in, optionally with a comment.

    The first acknowledgement moves the check-in to acknowledged; a later one only adds the comment.
    The lead is told either way, with the comment.
    """
    project = checkin.sprint.project
    if user.role != "campaign" or not is_campaign_member(user, project.campaign_id):
        raise DomainError("Only the campaign's people can acknowledge this check-in.")
    comment = (comment or "").strip()
    if len(comment) > NOTE_MAX:
        raise DomainError(f"Please keep your comment under {NOTE_MAX} characters.", field="comment")
    first = checkin.review == CheckInReview.LOGGED
    if not first and not comment:
        raise DomainError("This check-in is already acknowledged; write a comment to add one.", field="comment")
    now = now or utcnow()
    if comment:
        checkin.campaign_comment = comment
    if first:
        transition(checkin, CheckInReview.ACKNOWLEDGED, user, "checkin.acknowledged", comment=bool(comment),
                   values={"acknowledged_at": now, "acknowledged_by_id": user.id})
    else:
        audit.record(user, "checkin.commented", checkin)
    entry_key = f"checkin-ack:{checkin.id}" if first else f"checkin-comment:{checkin.id}:{now.isoformat()}"
    sprint = checkin.sprint
    what = "acknowledged" if first else "commented on"
    notify(team_lead(project), "checkins", entry_key,
           f"{project.campaign.name} {what} sprint {sprint.number}'s check-in",
           f"{user.name} {what} the check-in of sprint {sprint.number} of {project.title}."
           + (f"\nTheir comment: {comment}" if comment else ""),
           external_url("teams.checkin", project_id=project.id, number=sprint.number))
    db.session.commit()
    return checkin


def add_note(user, checkin, body, now=None):
    """A team member adds a note under a check-in."""
    project = checkin.sprint.project
    if not may_add_checkin_note(user, project):
        raise DomainError("Only members of this team can add notes to its check-ins.")
    body = (body or "").strip()
    if not body:
        raise DomainError("Write something first.", field="body")
    if len(body) > NOTE_MAX:
        raise DomainError(f"Please keep your note under {NOTE_MAX} characters.", field="body")
    note = CheckInNote(checkin_id=checkin.id, author_id=user.id, body=body, created_at=now or utcnow())
    db.session.add(note)
    db.session.flush()
    audit.record(user, "checkin.note_added", checkin, note=note.id)
    db.session.commit()
    return note


def sprint_by_number(project, number):
    return db.session.scalar(db.select(Sprint).where(Sprint.project_id == project.id, Sprint.number == number))

