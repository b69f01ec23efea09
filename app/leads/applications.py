"""Volunteers asking to lead, and the list of applicants staff work from."""
from sqlalchemy.orm import joinedload

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import OPEN_LEAD_APPLICATION, LeadApplicationStatus, TrainingSessionStatus, transition
from app.leads.changes import cancellations
from app.leads.track_record import track_records
from app.models import LeadApplication, LeadTraining, TrainingSeat, TrainingSession, VolunteerProfile, VolunteerSkill

NOTE_MAX = 2000
OPEN = OPEN_LEAD_APPLICATION


def application_for(profile):
    return db.session.scalar(db.select(LeadApplication).where(LeadApplication.volunteer_id == profile.id))


def apply_to_lead(user, note):
    """The volunteer asks to lead, with a short note on their experience. Asking again updates the note."""
    profile = user.volunteer_profile
    if profile is None:
        raise DomainError("Only volunteers can ask to lead.")
    note = (note or "").strip()
    if len(note) < 20:
        raise DomainError("Tell us a little about your experience (a sentence or two).", field="note")
    if len(note) > NOTE_MAX:
        raise DomainError(f"Keep it under {NOTE_MAX} characters.", field="note")
    if profile.lead_trained:
        raise DomainError("You are already lead-trained: staff can name you lead of a team.")
    application = application_for(profile)
    if application is None:
        application = LeadApplication(volunteer_id=profile.id, note=note, status=LeadApplicationStatus.WAITING)
        db.session.add(application)
    else:
        application.note = note
        if application.status == LeadApplicationStatus.WITHDRAWN:
            transition(application, LeadApplicationStatus.WAITING, user, action="lead.reapplied")
    db.session.flush()
    audit.record(user, "lead.applied", application)
    db.session.commit()
    return application


def applicants(status=None):
    """Open applications (waiting first, then invited, oldest first) with each volunteer's track record."""
    statuses = [status] if status else list(OPEN)
    apps = list(
        db.session.scalars(
            db.select(LeadApplication)
            .where(LeadApplication.status.in_(statuses))
            .options(
                joinedload(LeadApplication.volunteer).joinedload(VolunteerProfile.user),
                joinedload(LeadApplication.volunteer)
                .selectinload(VolunteerProfile.skills).joinedload(VolunteerSkill.skill),
            )
            .order_by(LeadApplication.status.desc(), LeadApplication.created_at, LeadApplication.id)
        ).unique()
    )
    records = track_records([a.volunteer for a in apps])
    return [(a, records[a.volunteer_id]) for a in apps]


def waiting_count():
    return db.session.scalar(
        db.select(db.func.count()).select_from(LeadApplication)
        .where(LeadApplication.status == LeadApplicationStatus.WAITING)
    )


def lead_status(profile):
    """What the volunteer's own page shows: application, seats in sessions, the training record."""
    seats = list(db.session.scalars(
        db.select(TrainingSeat).where(TrainingSeat.volunteer_id == profile.id).order_by(TrainingSeat.id.desc())
        .options(joinedload(TrainingSeat.session).joinedload(TrainingSession.trainer))
    ))
    return {
        "application": application_for(profile),
        "seats": seats,
        # Sessions called off: their reason, and "you are back in the queue" when the latest seat was one.
        "cancellations": cancellations({s.session_id for s in seats
                                        if s.session.status == TrainingSessionStatus.CANCELLED}),
        "trainings": trainings_of(profile),
    }


def trainings_of(profile):
    return list(db.session.scalars(
        db.select(LeadTraining).where(LeadTraining.volunteer_id == profile.id).order_by(LeadTraining.id.desc())
    ))
