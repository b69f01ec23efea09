"""Training sessions: scheduling (time in a named zone), inviting applicants within capacity,
recording attendance (attending makes the volunteer lead-trained), reminders the day before."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import LeadApplicationStatus, TrainingSeatStatus, TrainingSessionStatus, transition
from app.leads import notices
from app.leads.status import mark_trained
from app.models import LeadApplication, LeadTrainer, TrainingSeat, TrainingSession, User, VolunteerProfile
from app.models.base import utcnow


def local_start(session):
    """The session's start as an aware datetime in its own zone."""
    return session.starts_at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(session.timezone))


def _may_train(user_id):
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.is_active:
        return None
    if user.is_staff:
        return user
    if db.session.scalar(db.select(LeadTrainer.id).where(LeadTrainer.user_id == user.id)) is not None:
        return user
    return None


def start_from_form(data, now=None):
    """The UTC start (naive, like `starts_at`) of form data's day, time and zone; refused in the past."""
    now = now or utcnow()
    try:
        zone = ZoneInfo(data["timezone"])
    except (ZoneInfoNotFoundError, ValueError, KeyError):
        raise DomainError("Choose a time zone.", field="timezone") from None
    starts = datetime.combine(data["day"], data["time"], tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)
    if starts <= now:
        raise DomainError("The session would start in the past.", field="day")
    return starts


def schedule(staff, data, now=None):
    """Create a session from form data: day, time, zone, duration, capacity, meeting link, trainer."""
    starts = start_from_form(data, now)
    trainer = _may_train(data.get("trainer_id"))
    if trainer is None:
        raise DomainError("The trainer must be staff or an appointed trainer.", field="trainer_id")
    link = (data.get("meeting_link") or "").strip()
    if not link.startswith("https://"):
        raise DomainError("Give the meeting's https:// link.", field="meeting_link")
    session = TrainingSession(
        starts_at=starts, timezone=data["timezone"], duration_minutes=data["duration_minutes"],
        capacity=data["capacity"], meeting_link=link, trainer_id=trainer.id, created_by_id=staff.id,
        status=TrainingSessionStatus.SCHEDULED,
    )
    db.session.add(session)
    db.session.flush()
    audit.record(staff, "lead.session_scheduled", session, trainer_id=trainer.id, starts_at=starts.isoformat())
    if trainer.id != staff.id:
        notices.tell(trainer, "lead_session_trainer", f"lead-session-trainer:{session.id}:{trainer.id}",
                     link_to=("leads.session_detail", {"session_id": session.id}),
                     session=session, start=local_start(session))
    db.session.commit()
    return session


def session_or_none(session_id):
    return db.session.get(
        TrainingSession, session_id,
        options=[joinedload(TrainingSession.seats).joinedload(TrainingSeat.volunteer).joinedload(VolunteerProfile.user)],
    )


def upcoming(now=None, trainer_id=None):
    """Sessions not yet over, or just over, (a trainer's own when `trainer_id`), soonest first.

    Cancelled ones stay in the list for the same window, shown as cancelled: staff and the trainer
    see a session was called off rather than wonder where it went."""
    now = now or utcnow()
    stmt = (
        db.select(TrainingSession)
        .where(TrainingSession.starts_at >= now - timedelta(days=2))
        .order_by(TrainingSession.starts_at)
    )
    if trainer_id is not None:
        stmt = stmt.where(TrainingSession.trainer_id == trainer_id)
    return list(db.session.scalars(stmt))


def invite(actor, session, volunteer_ids, now=None):
    """Give each applicant a seat (within capacity) and email the invitation. Returns (invited, skipped)."""
    now = now or utcnow()
    # Lock the session's row (PostgreSQL) and read its status afresh: a cancellation committing
    # meanwhile is seen here, or waits for these seats and then puts them back in the queue.
    status = db.session.scalar(
        db.select(TrainingSession.status).where(TrainingSession.id == session.id).with_for_update())
    if status == TrainingSessionStatus.CANCELLED:
        raise DomainError("This session is cancelled: invite them to another one.")
    if status != TrainingSessionStatus.SCHEDULED or session.starts_at <= now:
        raise DomainError("Invite people to an upcoming session only.")
    if not volunteer_ids:
        raise DomainError("Pick at least one applicant to invite.")
    taken = {s.volunteer_id for s in session.seats}
    free = session.capacity - len(taken)
    invited, skipped, queued = [], {}, []
    profiles = {p.id: p for p in db.session.scalars(
        db.select(VolunteerProfile).where(VolunteerProfile.id.in_(volunteer_ids)))}
    for vid in dict.fromkeys(volunteer_ids):
        profile = profiles.get(vid)
        if profile is None:
            skipped[vid] = "no such volunteer"
        elif vid in taken:
            skipped[vid] = "already invited to this session"
        elif profile.lead_trained:
            skipped[vid] = "already lead-trained"
        elif len(invited) >= free:
            skipped[vid] = "the session is full"
        else:
            seat = TrainingSeat(session_id=session.id, volunteer_id=vid, status=TrainingSeatStatus.INVITED,
                                invited_by_id=actor.id, invited_at=now)
            db.session.add(seat)
            invited.append(seat)
            application = db.session.scalar(db.select(LeadApplication).where(LeadApplication.volunteer_id == vid))
            if application is not None and application.status == LeadApplicationStatus.WAITING:
                queued.append(application)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError("Someone else just invited some of these people. Reload and try again.") from None
    # After the seats are in: a seat someone else took first is refused above, before any status moved.
    for application in queued:
        transition(application, LeadApplicationStatus.INVITED, actor, action="lead.application_invited",
                   session_id=session.id)
    for seat in invited:
        notices.tell(profiles[seat.volunteer_id].user, "lead_session_invite", f"lead-session-invite:{seat.id}",
                     session=session, start=local_start(session))
    audit.record(actor, "lead.session_invited", session, volunteers=[s.volunteer_id for s in invited], skipped=skipped)
    db.session.commit()
    return invited, skipped


def record_attendance(actor, session, volunteer_id, attended, now=None):
    """Mark one seat attended (the volunteer becomes lead-trained) or absent. Only once it has started."""
    now = now or utcnow()
    if session.starts_at > now:
        raise DomainError("Attendance can be recorded once the session has started.")
    seat = next((s for s in session.seats if s.volunteer_id == volunteer_id), None)
    if seat is None:
        raise DomainError("That person has no seat in this session.")
    to = TrainingSeatStatus.ATTENDED if attended else TrainingSeatStatus.ABSENT
    if session.status == TrainingSessionStatus.CANCELLED:
        raise DomainError("This session was cancelled, so there is no attendance to record.")
    if seat.status == to:
        return seat  # recorded twice: harmless
    if seat.status == TrainingSeatStatus.ATTENDED:
        raise DomainError("Attendance is already recorded; withdraw the status instead if it was a mistake.")
    if session.status == TrainingSessionStatus.SCHEDULED:
        transition(session, TrainingSessionStatus.HELD, actor, action="lead.session_held")
    transition(seat, to, actor, action="lead.attendance", values={"recorded_by_id": actor.id, "recorded_at": now},
               session_id=session.id, volunteer_id=volunteer_id, attended=attended)
    if attended and not seat.volunteer.lead_trained:
        mark_trained(actor, seat.volunteer, session=session, today=local_start(session).date())
    elif not attended:
        application = db.session.scalar(
            db.select(LeadApplication).where(LeadApplication.volunteer_id == volunteer_id))
        if application is not None and application.status == LeadApplicationStatus.INVITED:
            # Back in the queue for the next session.
            transition(application, LeadApplicationStatus.WAITING, actor, action="lead.application_requeued")
    db.session.commit()
    return seat


def send_session_reminders(now=None):
    """Email everyone holding a seat in a session that starts tomorrow, in the session's zone (key per
    seat, so running this hourly sends each reminder once). Returns how many were queued."""
    now = now or utcnow()
    count = 0
    window_end = now + timedelta(days=2)
    sessions = db.session.scalars(
        db.select(TrainingSession)
        .where(TrainingSession.status == TrainingSessionStatus.SCHEDULED,
               TrainingSession.starts_at > now, TrainingSession.starts_at <= window_end)
        .options(joinedload(TrainingSession.seats).joinedload(TrainingSeat.volunteer).joinedload(VolunteerProfile.user))
    ).unique()
    for session in sessions:
        start = local_start(session)
        today_there = now.replace(tzinfo=timezone.utc).astimezone(start.tzinfo).date()
        if start.date() - today_there != timedelta(days=1):
            continue
        # Keyed by the start too: a session moved after its reminder went out is reminded of again.
        when = f"{session.starts_at:%Y%m%d%H%M}"
        people = [(s.volunteer.user, f"lead-session-remind:{s.id}:{when}", ("leads.apply", {})) for s in session.seats
                  if s.status == TrainingSeatStatus.INVITED]
        people.append((session.trainer, f"lead-session-remind-trainer:{session.id}:{when}",
                       ("leads.session_detail", {"session_id": session.id})))
        for user, key, link_to in people:
            notices.tell(user, "lead_session_reminder", key, link_to=link_to, session=session, start=start)
            count += 1
    db.session.commit()
    return count


def send_session_reminders_job():
    """RQ job (rq cron, hourly): the day-before reminders of training sessions."""
    from app.jobs.context import job_context

    with job_context():
        return send_session_reminders()
