"""Shared set-up for the lead pipeline and volunteer pool tests: one user per role, a trainer,
an applicant, and sessions (one the trainer runs, one a staff member runs)."""
from datetime import timedelta

from app.extensions import db
from app.models import LeadApplication, LeadTrainer, TrainingSeat, TrainingSession
from app.models.base import utcnow

ROLES = ("anonymous", "volunteer", "trainer", "staff", "admin", "campaign")


def lead_world(make):
    staff = make.user("staff", name="Sam Staff")
    admin = make.user("admin", name="Ada Admin")
    campaign = make.user("campaign", name="Casey Campaign")
    volunteer = make.volunteer(email="vera@example.org")
    trainer = make.volunteer(email="theo@example.org", lead_trained=True, projects_led=2, checkins_due=12,
                             checkins_on_time=12, projects_completed=2)
    db.session.add(LeadTrainer(user_id=trainer.id, appointed_by_id=staff.id))
    applicant = make.volunteer(email="ana@example.org")
    db.session.add(LeadApplication(volunteer_id=applicant.volunteer_profile.id, note="I ran a team of five at work."))
    now = utcnow()
    own = TrainingSession(starts_at=now - timedelta(hours=1), timezone="America/Chicago", capacity=4,
                          meeting_link="https://meet.example.org/lead-1", trainer_id=trainer.id, created_by_id=staff.id)
    other = TrainingSession(starts_at=now + timedelta(days=3), timezone="America/New_York", capacity=4,
                            meeting_link="https://meet.example.org/lead-2", trainer_id=staff.id, created_by_id=staff.id)
    db.session.add_all([own, other])
    db.session.flush()
    db.session.add(TrainingSeat(session_id=own.id, volunteer_id=applicant.volunteer_profile.id, invited_by_id=staff.id))
    db.session.commit()
    users = {"volunteer": volunteer, "trainer": trainer, "staff": staff, "admin": admin, "campaign": campaign}
    return {"users": users, "applicant": applicant, "own": own.id, "other": other.id,
            "v": applicant.volunteer_profile.id, "tv": trainer.volunteer_profile.id}
