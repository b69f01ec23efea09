"""`flask reminders send`: due and overdue reminders, staff alerts, invitation expiry — each sent once."""
from datetime import date, timedelta

import pytest

from app.models import FinalReport, Invitation, OutboxEmail, Project
from app.models.base import utcnow
from app.teams import checkins
from app.teams.reminders import send_reminders
from tests.integration.team_helpers import active_team, at, checkin_data

START = date(2030, 3, 4)  # a Monday; sprint n is due START + 7n - 1


@pytest.fixture
def team(db, make):
    t = active_team(make, weeks=4, start=START)
    make.user("admin", name="Ada Admin")
    return t


def _keys(db, prefix=""):
    return sorted(db.session.scalars(
        db.select(OutboxEmail.idempotency_key).where(OutboxEmail.idempotency_key.like(prefix + "%"))))


def test_the_day_before_a_checkin_is_due_the_lead_is_reminded_once(db, team):
    s1 = team.sprint(1)
    counts = send_reminders(today=s1.due_on - timedelta(days=1))
    assert counts["due_soon"] == 1
    assert _keys(db, "remind-") == [f"remind-due:{s1.id}"]
    mail = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == f"remind-due:{s1.id}"))
    assert mail.to_email == team.lead.email and "due tomorrow" in mail.subject
    assert f"/teams/{team.project.id}/sprints/1/checkin" in mail.text_body
    again = send_reminders(today=s1.due_on - timedelta(days=1))
    assert again["due_soon"] == 0 and _keys(db, "remind-") == [f"remind-due:{s1.id}"]


def test_no_reminder_when_the_checkin_is_in(db, team):
    s1 = team.sprint(1)
    checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on - timedelta(days=2)))
    send_reminders(today=s1.due_on - timedelta(days=1))
    send_reminders(today=s1.due_on + timedelta(days=1))
    assert _keys(db, "remind-") == []


def test_an_overdue_checkin_gets_one_overdue_reminder(db, team):
    s1 = team.sprint(1)
    for offset in (1, 2, 3):
        send_reminders(today=s1.due_on + timedelta(days=offset))
    assert _keys(db, "remind-overdue") == [f"remind-overdue:{s1.id}"]
    mail = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == f"remind-overdue:{s1.id}"))
    assert mail.to_email == team.lead.email and "overdue" in mail.subject.lower()


def test_staff_are_alerted_once_when_two_checkins_are_missed_and_again_at_three(db, team):
    s2, s3 = team.sprint(2), team.sprint(3)
    staff_ids = sorted([team.staff.id] + [u.id for u in db.session.scalars(
        db.select(type(team.staff)).where(type(team.staff).role == "admin"))])
    day = s2.due_on + timedelta(days=2)  # sprints 1 and 2 are past due and grace
    first = send_reminders(today=day)
    assert first["alerts_missed"] == 2  # one per staff/admin user
    assert _keys(db, "alert-missed") == sorted(f"alert-missed:{team.project.id}:2:{sid}" for sid in staff_ids)
    for _ in range(3):
        assert send_reminders(today=day)["alerts_missed"] == 0
    assert len(_keys(db, "alert-missed")) == 2
    third = send_reminders(today=s3.due_on + timedelta(days=2))
    assert third["alerts_missed"] == 2
    assert len(_keys(db, f"alert-missed:{team.project.id}:3:")) == 2
    mail = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key.like("alert-missed:%")))
    assert "missed 2 check-ins" in mail.subject


def test_staff_are_alerted_once_after_two_off_track_reports(db, team):
    s1, s2 = team.sprint(1), team.sprint(2)
    checkins.submit_checkin(team.lead, s1, checkin_data(team, status="off_track"), now=at(s1.due_on))
    send_reminders(today=s1.due_on + timedelta(days=1))
    assert _keys(db, "alert-offtrack") == []
    checkins.submit_checkin(team.lead, s2, checkin_data(team, status="off_track"), now=at(s2.due_on))
    assert send_reminders(today=s2.due_on + timedelta(days=1))["alerts_off_track"] == 2
    assert send_reminders(today=s2.due_on + timedelta(days=2))["alerts_off_track"] == 0
    assert len(_keys(db, f"alert-offtrack:{team.project.id}:")) == 2


def test_repeated_runs_over_a_whole_project_send_nothing_twice(db, team):
    days = [START + timedelta(days=i) for i in range(0, 40)]
    for day in days:
        send_reminders(today=day)
    first = _keys(db)
    for day in days:
        send_reminders(today=day)
    assert _keys(db) == first
    assert len(first) == len(set(first))
    # 4 due-soon + 4 overdue reminders, alerts at 2, 3 and 4 missed for 2 staff, one final-report reminder
    assert len([k for k in first if k.startswith("remind-due")]) == 4
    assert len([k for k in first if k.startswith("remind-overdue")]) == 4
    assert len([k for k in first if k.startswith("alert-missed")]) == 6
    assert [k for k in first if k.startswith("remind-final")] == [f"remind-final:{team.project.id}"]


def test_final_report_reminder_after_the_end_date_and_auto_completion(db, team):
    end = team.project.end_date
    assert send_reminders(today=end)["final_report"] == 1
    db.session.add(FinalReport(project_id=team.project.id, author_id=team.lead.id, deliverables_done="All"))
    db.session.commit()
    assert send_reminders(today=end + timedelta(days=2))["projects_completed"] == 0  # last edit window still open
    assert send_reminders(today=end + timedelta(days=3))["projects_completed"] == 1
    db.session.expire_all()
    assert db.session.get(Project, team.project.id).status == "completed"


def test_pending_invitations_past_their_time_expire(db, make, team):
    other = make.project(team.campaign, status="recruiting")
    v = make.volunteer()
    db.session.add(Invitation(project_id=other.id, volunteer_id=v.volunteer_profile.id,
                              expires_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert send_reminders()["invitations_expired"] == 1
    assert send_reminders()["invitations_expired"] == 0


def test_the_cli_command_prints_the_counts(app, db, team):
    s1 = team.sprint(1)
    runner = app.test_cli_runner()
    day = (s1.due_on - timedelta(days=1)).isoformat()
    result = runner.invoke(args=["reminders", "send", "--today", day])
    assert result.exit_code == 0, result.output
    assert "due soon: 1" in result.output and "invitations expired: 0" in result.output
    result = runner.invoke(args=["reminders", "send", "--today", day])
    assert "due soon: 0" in result.output
    db.session.rollback()
    assert _keys(db, "remind-due") == [f"remind-due:{s1.id}"]


def test_the_rq_job_runs_the_same_reminders(db, team):
    from app.teams.reminders import send_reminders_job

    s1 = team.sprint(1)
    counts = send_reminders_job((s1.due_on - timedelta(days=1)).isoformat())
    assert counts["due_soon"] == 1
    assert send_reminders_job((s1.due_on - timedelta(days=1)).isoformat())["due_soon"] == 0
