"""Lead-trained status: granted by attending a session or by training elsewhere, withdrawn with a
reason; experienced leads made trainers. Every change is audited and the volunteer is told."""
from app import audit, clock
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import LeadApplicationStatus, transition
from app.leads import notices
from app.leads.track_record import TRAINER_MIN_PROJECTS_LED, ratings_by_volunteer, record_for
from app.models import LeadApplication, LeadTrainer, LeadTraining, User, VolunteerProfile
from app.models.base import utcnow


def volunteer_or_error(volunteer_id):
    profile = db.session.get(VolunteerProfile, volunteer_id)
    if profile is None:
        raise DomainError("No such volunteer.")
    return profile


def mark_trained(actor, profile, session=None, note="", today=None):
    """Make the volunteer lead-trained (in the caller's transaction); returns the LeadTraining row."""
    today = today or clock.today()
    training = LeadTraining(
        volunteer_id=profile.id, trained_on=today, session_id=session.id if session else None,
        note=note, recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(training)
    profile.lead_trained = True
    profile.lead_trained_on = today
    application = db.session.scalar(db.select(LeadApplication).where(LeadApplication.volunteer_id == profile.id))
    if application is not None and application.status != LeadApplicationStatus.TRAINED:
        transition(application, LeadApplicationStatus.TRAINED, actor, action="lead.application_trained")
    db.session.flush()
    audit.record(actor, "lead.trained", profile, training_id=training.id,
                 session_id=training.session_id, note=note)
    notices.tell(profile.user, "lead_trained", f"lead-trained:{training.id}", link_to=("leads.guide", {}),
                 profile=profile, training=training)
    return training


def record_external_training(staff, volunteer_id, note):
    """Staff record training done elsewhere (a note says where and when)."""
    profile = volunteer_or_error(volunteer_id)
    note = (note or "").strip()
    if len(note) < 5:
        raise DomainError("Say where and when the training happened.", field="note")
    if profile.lead_trained:
        raise DomainError(f"{profile.user.name} is already lead-trained.")
    training = mark_trained(staff, profile, note=note[:2000])
    db.session.commit()
    return training


def withdraw_status(staff, volunteer_id, reason):
    """Staff withdraw the lead-trained status (a reason is required and audited). A lead on a
    working team stays its lead until staff name another: removing them is the team's business."""
    profile = volunteer_or_error(volunteer_id)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("Give the reason for withdrawing the status.", field="reason")
    if not profile.lead_trained:
        raise DomainError(f"{profile.user.name} is not lead-trained.")
    now = utcnow()
    for training in db.session.scalars(
        db.select(LeadTraining).where(LeadTraining.volunteer_id == profile.id, LeadTraining.withdrawn_at.is_(None))
    ):
        training.withdrawn_at, training.withdrawn_by_id, training.withdrawn_reason = now, staff.id, reason[:2000]
    profile.lead_trained = False
    profile.lead_trained_on = None
    application = db.session.scalar(db.select(LeadApplication).where(LeadApplication.volunteer_id == profile.id))
    if application is not None and application.status != LeadApplicationStatus.WITHDRAWN:
        transition(application, LeadApplicationStatus.WITHDRAWN, staff, action="lead.application_withdrawn")
    trainer = db.session.scalar(db.select(LeadTrainer).where(LeadTrainer.user_id == profile.user_id))
    if trainer is not None:
        db.session.delete(trainer)
    audit.record(staff, "lead.status_withdrawn", profile, reason=reason)
    notices.tell(profile.user, "lead_withdrawn", f"lead-withdrawn:{profile.id}:{now:%Y%m%d%H%M%S}",
                 profile=profile, reason=reason)
    db.session.commit()


def is_trainer(user):
    return (
        user.is_authenticated
        and db.session.scalar(db.select(LeadTrainer.id).where(LeadTrainer.user_id == user.id)) is not None
    )


def make_trainer(staff, volunteer_id):
    """Let an experienced lead run training sessions (no staff rights come with it)."""
    profile = volunteer_or_error(volunteer_id)
    record = record_for(profile, ratings_by_volunteer([profile.id]).get(profile.id))
    if not profile.lead_trained:
        raise DomainError(f"{profile.user.name} is not lead-trained.")
    if not record.may_train:
        raise DomainError(
            f"Trainers have led at least {TRAINER_MIN_PROJECTS_LED} projects with every check-in on time; "
            f"{profile.user.name} has led {record.projects_led}, "
            f"{record.checkins_on_time} of {record.checkins_due} check-ins on time."
        )
    if is_trainer(profile.user):
        return
    db.session.add(LeadTrainer(user_id=profile.user_id, appointed_by_id=staff.id))
    audit.record(staff, "lead.trainer_appointed", profile)
    notices.tell(profile.user, "lead_trainer", f"lead-trainer:{profile.id}", link_to=("leads.my_sessions", {}),
                 profile=profile)
    db.session.commit()


def trainer_choices():
    """(user id, name) of everyone who may run a session: staff and appointed trainers."""
    staff = db.session.execute(
        db.select(User.id, User.name).where(User.role.in_(("staff", "admin")), User.closed_at.is_(None))
    ).all()
    trainers = db.session.execute(db.select(User.id, User.name).join(LeadTrainer, LeadTrainer.user_id == User.id)).all()
    return sorted({(uid, f"{name} (trainer)" if (uid, name) in trainers else name) for uid, name in staff + trainers},
                  key=lambda row: row[1])


def trainers():
    return list(db.session.scalars(db.select(LeadTrainer).order_by(LeadTrainer.appointed_at)))
