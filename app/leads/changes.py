"""Changes of plan for a training session: staff call it off (the trainer fell ill, nobody can run it),
or move it to another day or time (invitees keep their seats and are told).

A session can be cancelled while no attendance is recorded (still "scheduled") and until its
scheduled end: a trainer who does not turn up is often only noticed once it has started. After
its end the honest record is attendance (absentees go back to the queue), not a cancellation.

Seats are left as they were (the history of who was invited to what stays); the session's status
says it did not happen. Each invitee whose application was "invited" goes back to "waiting",
unless they still hold a seat in another upcoming session. The reason is kept in the audit entry
of the cancellation (no column of its own): the session page and the volunteer's page read it there.
"""
from datetime import timedelta

from sqlalchemy.orm import joinedload

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.leads import notices
from app.leads.sessions import local_start, start_from_form
from app.lifecycle import (
    LABELS,
    LeadApplicationStatus,
    TrainingSeatStatus,
    TrainingSessionStatus,
    TransitionRefused,
    transition,
)
from app.models import AuditEntry, LeadApplication, TrainingSeat, TrainingSession, VolunteerProfile
from app.models.base import utcnow
from app.permissions import may_change_training_session
from app.sqlite_tuning import write_transaction

REASON_MAX = 500
CANCELLED_ACTION = "lead.session_cancelled"


def ends_at(session):
    """The session's scheduled end (UTC, naive like `starts_at`)."""
    return session.starts_at + timedelta(minutes=session.duration_minutes)


def cancel_refusal(session, now=None):
    """Why this session cannot be cancelled now, or None when it can (also hides the button)."""
    now = now or utcnow()
    if session.status == TrainingSessionStatus.CANCELLED:
        return "This session is already cancelled; its invitees were told when it was."
    if session.status == TrainingSessionStatus.HELD:
        return "This session was held (attendance is recorded), so it cannot be cancelled."
    if ends_at(session) <= now:
        end = local_start(session) + timedelta(minutes=session.duration_minutes)
        return (f"This session ended at {end:%-I:%M %p} {end.tzname()} on {end:%A %-d %B}, so it can no longer be "
                "called off: record who came instead (those marked absent go back to the queue).")
    return None


def _lost_race(status):
    if status == TrainingSessionStatus.CANCELLED:
        return "Someone else cancelled this session a moment ago; its invitees were told once."
    return "Attendance was recorded for this session a moment ago, so it cannot be cancelled."


def _seated_elsewhere(volunteer_ids, session_id, now):
    """{volunteer id: another upcoming scheduled session they hold a seat in}."""
    if not volunteer_ids:
        return {}
    rows = db.session.execute(
        db.select(TrainingSeat.volunteer_id, TrainingSession)
        .join(TrainingSession, TrainingSession.id == TrainingSeat.session_id)
        .where(TrainingSeat.volunteer_id.in_(volunteer_ids), TrainingSeat.status == TrainingSeatStatus.INVITED,
               TrainingSeat.session_id != session_id, TrainingSession.status == TrainingSessionStatus.SCHEDULED,
               TrainingSession.starts_at > now)
        .order_by(TrainingSession.starts_at.desc())
    ).all()
    return {vid: other for vid, other in rows}  # the soonest wins (ordered last)


def _invited_seats(session_id):
    return list(db.session.scalars(
        db.select(TrainingSeat)
        .where(TrainingSeat.session_id == session_id, TrainingSeat.status == TrainingSeatStatus.INVITED)
        .options(joinedload(TrainingSeat.volunteer).joinedload(VolunteerProfile.user))
    ))


def cancel_session(actor, session, reason="", now=None):
    """Call the session off: it becomes cancelled, invitees go back to the queue, everyone is told.

    Two people cancelling at once: the conditional transition lets one win; the other is told.
    """
    now = now or utcnow()
    if not may_change_training_session(actor, session):
        raise DomainError("Only staff can cancel a training session.")
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX:
        raise DomainError(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    session_id = session.id
    # SQLite: hold the write lock before reading who holds a seat (an invitation queues behind us).
    write_transaction()
    session = db.session.get(TrainingSession, session_id)
    refused = cancel_refusal(session, now)
    if refused:
        raise DomainError(refused)
    try:
        transition(session, TrainingSessionStatus.CANCELLED, actor, action=CANCELLED_ACTION, reason=reason)
    except TransitionRefused:
        raise DomainError(_lost_race(db.session.get(TrainingSession, session_id).status)) from None
    # Read after our UPDATE: an invitation that committed first is seen here (app/leads/sessions.invite locks the row).
    seats = _invited_seats(session_id)
    ids = [s.volunteer_id for s in seats]
    elsewhere = _seated_elsewhere(ids, session_id, now)
    applications = db.session.scalars(db.select(LeadApplication).where(
        LeadApplication.volunteer_id.in_(ids), LeadApplication.status == LeadApplicationStatus.INVITED))
    for application in list(applications):
        if application.volunteer_id not in elsewhere:
            transition(application, LeadApplicationStatus.WAITING, actor, action="lead.application_requeued",
                       session_id=session_id, why="session_cancelled")
    start = local_start(session)
    for seat in seats:
        other = elsewhere.get(seat.volunteer_id)
        notices.tell(seat.volunteer.user, "lead_session_cancelled", f"lead-session-cancelled:{session_id}",
                     session=session, start=start, reason=reason,
                     other_start=local_start(other) if other is not None else None)
    if session.trainer_id != actor.id:
        notices.tell(session.trainer, "lead_session_cancelled_trainer", f"lead-session-cancelled-trainer:{session_id}",
                     link_to=("leads.session_detail", {"session_id": session_id}),
                     session=session, start=start, reason=reason, told=len(seats))
    db.session.commit()
    return session


def reschedule_refusal(session, now=None):
    """Why this session cannot be moved now, or None when it can (also hides the form)."""
    now = now or utcnow()
    if session.status != TrainingSessionStatus.SCHEDULED:
        return f"This session is {LABELS[session.status].lower()}, so it cannot be moved."
    if session.starts_at <= now:
        return "This session has started, so it cannot be moved: cancel it, or record who came."
    return None


def reschedule_session(actor, session, data, now=None):
    """Move a scheduled session that has not started to another day, time or zone. Invitees keep their
    seats; they and the trainer (unless they moved it) are told the old and the new time."""
    now = now or utcnow()
    if not may_change_training_session(actor, session):
        raise DomainError("Only staff can move a training session.")
    refused = reschedule_refusal(session, now)
    if refused:
        raise DomainError(refused)
    starts = start_from_form(data, now)
    if starts == session.starts_at and data["timezone"] == session.timezone:
        raise DomainError("That is when the session already starts: pick another day or time.", field="day")
    old_start, old_utc = local_start(session), session.starts_at
    # Conditional on what the page showed: cancelled, held or moved by someone else meanwhile is refused.
    moved = db.session.execute(
        db.update(TrainingSession)
        .where(TrainingSession.id == session.id, TrainingSession.status == TrainingSessionStatus.SCHEDULED,
               TrainingSession.starts_at == old_utc)
        .values(starts_at=starts, timezone=data["timezone"])
        .execution_options(synchronize_session="fetch")
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise DomainError("This session was changed a moment ago (moved, cancelled or held); reload the page to see it.")
    audit.record(actor, "lead.session_moved", session, old=old_utc.isoformat(), new=starts.isoformat(),
                 timezone=data["timezone"])
    start, key = local_start(session), f"lead-session-moved:{session.id}:{starts:%Y%m%d%H%M}"
    seats = _invited_seats(session.id)
    for seat in seats:
        notices.tell(seat.volunteer.user, "lead_session_moved", key, session=session, start=start,
                     old_start=old_start, for_trainer=False)
    if session.trainer_id != actor.id:
        notices.tell(session.trainer, "lead_session_moved", key,
                     link_to=("leads.session_detail", {"session_id": session.id}),
                     session=session, start=start, old_start=old_start, for_trainer=True)
    db.session.commit()
    return session, len(seats)


def cancellations(session_ids):
    """{session id: the audit entry of its cancellation} (reason in `details`, when and by whom)."""
    if not session_ids:
        return {}
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == CANCELLED_ACTION, AuditEntry.object_type == "TrainingSession",
                                    AuditEntry.object_id.in_(list(session_ids)))
        .options(joinedload(AuditEntry.actor))
    )
    return {e.object_id: e for e in entries}
