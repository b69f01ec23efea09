"""The lead pipeline: asking to lead, sessions, invitations, attendance, status granted elsewhere
and withdrawn, trainers; every route with every role; who is told."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db as _db
from app.leads import sessions, status
from app.models import (
    AuditEntry,
    LeadApplication,
    LeadTrainer,
    LeadTraining,
    OutboxEmail,
    TrainingSeat,
    TrainingSession,
    VolunteerProfile,
)
from app.models.base import utcnow
from tests.integration.lead_world import ROLES, lead_world


@pytest.fixture
def world(make):
    return lead_world(make)


def as_role(login, world, role):
    if role != "anonymous":
        login(world["users"][role])


def emails(prefix):
    """Emails queued for notifications whose key starts with `prefix` (notify keys them notify:<key>:<user>)."""
    return list(_db.session.scalars(
        _db.select(OutboxEmail).where(OutboxEmail.idempotency_key.startswith("notify:" + prefix))))


def notifications(prefix):
    from app.models import Notification

    return list(_db.session.scalars(_db.select(Notification).where(Notification.key.startswith(prefix))))


# Expected status per role: anonymous, volunteer, trainer, staff, admin, campaign.
GET_ROUTES = [
    ("/leads/guide", (302, 200, 200, 200, 200, 200)),
    ("/leads/apply", (302, 200, 200, 403, 403, 403)),
    ("/leads/", (302, 403, 403, 200, 200, 403)),
    ("/leads/sessions", (302, 403, 200, 200, 200, 403)),
    ("/leads/sessions/new", (302, 403, 403, 200, 200, 403)),
    ("/leads/sessions/{own}", (302, 403, 200, 200, 200, 403)),
    ("/leads/sessions/{other}", (302, 403, 404, 200, 200, 403)),  # a trainer sees only their own sessions
    ("/leads/sessions/999999", (302, 403, 404, 404, 404, 403)),
]

POST_ROUTES = [
    ("/leads/apply", {"note": "I coordinated a hackathon team."}, (302, 302, 200, 403, 403, 403)),
    ("/leads/sessions/new", {}, (302, 403, 403, 422, 422, 403)),
    ("/leads/sessions/{other}/invite", {"volunteer_id": "{v}"}, (302, 403, 403, 302, 302, 403)),
    # Only staff call a session off, not even its own trainer ("own" is under way, so staff may still).
    ("/leads/sessions/{own}/cancel", {"reason": "The trainer is ill"}, (302, 403, 403, 302, 302, 403)),
    ("/leads/sessions/{other}/reschedule", {"day": "2099-05-04", "time": "18:00", "timezone": "America/Chicago"},
     (302, 403, 403, 302, 302, 403)),
    ("/leads/sessions/{own}/attendance", {"volunteer_id": "{v}", "attended": "yes"}, (302, 403, 302, 302, 302, 403)),
    ("/leads/sessions/{other}/attendance", {"volunteer_id": "{v}", "attended": "yes"},
     (302, 403, 404, 302, 302, 403)),
    ("/leads/volunteers/{v}/external", {"note": "Trained by the state party, May 2026"},
     (302, 403, 403, 302, 302, 403)),
    ("/leads/volunteers/{tv}/withdraw", {"reason": "Left two teams without notice"}, (302, 403, 403, 302, 302, 403)),
    ("/leads/volunteers/{tv}/trainer", {}, (302, 403, 403, 302, 302, 403)),
]


def _fill(text, world):
    return text.format(**{k: v for k, v in world.items() if isinstance(v, int)})


@pytest.mark.parametrize("url,expected", GET_ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_with_every_role(client, login, world, url, expected, role):
    as_role(login, world, role)
    assert client.get(_fill(url, world)).status_code == expected[ROLES.index(role)]


@pytest.mark.parametrize("url,data,expected", POST_ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_every_action_with_every_role(client, login, world, url, data, expected, role):
    as_role(login, world, role)
    resp = client.post(_fill(url, world), data={k: _fill(v, world) for k, v in data.items()})
    assert resp.status_code == expected[ROLES.index(role)]


def test_a_volunteer_asks_to_lead_and_staff_see_their_track_record(app, client, login, world, make):
    vera = world["users"]["volunteer"]
    profile = vera.volunteer_profile
    profile.projects_completed, profile.checkins_due, profile.checkins_on_time = 3, 9, 8
    _db.session.commit()
    login(vera)
    resp = client.post("/leads/apply", data={"note": "too short"})
    assert resp.status_code == 200 and "field-error" in resp.get_data(as_text=True)
    assert _db.session.scalar(_db.select(LeadApplication).where(LeadApplication.volunteer_id == profile.id)) is None
    resp = client.post("/leads/apply", data={"note": "I led the volunteer web team of a city council race."},
                       follow_redirects=True)
    assert "Staff will invite you" in resp.get_data(as_text=True)
    application = _db.session.scalar(_db.select(LeadApplication).where(LeadApplication.volunteer_id == profile.id))
    assert application.status == "waiting"
    staff_client = app.test_client()
    login(world["users"]["staff"], c=staff_client)
    body = staff_client.get("/leads/").get_data(as_text=True)
    assert "I led the volunteer web team" in body and "3 completed" in body and "8/9 check-ins on time" in body


def test_staff_schedule_a_session_in_its_zone_and_bad_input_is_refused_beside_the_field(client, login, world):
    staff = world["users"]["staff"]
    login(staff)
    day = date.today() + timedelta(days=10)
    good = {"day": day.isoformat(), "time": "18:30", "timezone": "America/Denver", "duration_minutes": "90",
            "capacity": "6", "meeting_link": "https://meet.example.org/x", "trainer_id": str(world["users"]["trainer"].id)}
    for over, message in (({"meeting_link": "http://insecure.example.org"}, "https://"),
                          ({"day": (date.today() - timedelta(days=1)).isoformat()}, "in the past"),
                          ({"capacity": "0"}, "Number must be"),
                          ({"trainer_id": str(world["users"]["volunteer"].id)}, "Not a valid choice")):
        data = {**good, **over}
        resp = client.post("/leads/sessions/new", data=data)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 422 and message in body and "field-error" in body, over
        assert f'value="{data["meeting_link"]}"' in body  # what was typed stays
    resp = client.post("/leads/sessions/new", data=good)
    assert resp.status_code == 302
    session = _db.session.scalars(_db.select(TrainingSession).order_by(TrainingSession.id.desc())).first()
    expected = datetime.combine(day, time(18, 30), tzinfo=ZoneInfo("America/Denver")).astimezone(ZoneInfo("UTC"))
    assert session.starts_at == expected.replace(tzinfo=None) and session.trainer_id == world["users"]["trainer"].id
    # The trainer is told (they did not schedule it themselves).
    assert len(emails(f"lead-session-trainer:{session.id}:")) == 1


def test_invitations_respect_capacity_and_each_invitee_is_told(world, make):
    staff = world["users"]["staff"]
    session = _db.session.get(TrainingSession, world["other"])
    session.capacity = 2
    _db.session.commit()
    people = [make.volunteer() for _ in range(3)]
    ids = [p.volunteer_profile.id for p in people]
    invited, skipped = sessions.invite(staff, session, ids + [world["tv"]])
    assert len(invited) == 2 and skipped == {ids[2]: "the session is full", world["tv"]: "already lead-trained"}
    assert len(emails("lead-session-invite:")) == 2
    mail = emails("lead-session-invite:")[0]
    assert "https://meet.example.org/lead-2" in mail.text_body and "/leads/guide" in mail.text_body
    again, skipped = sessions.invite(staff, session, ids[:1])
    assert again == [] and skipped == {ids[0]: "already invited to this session"}


def test_attending_makes_the_volunteer_lead_trained_with_the_date_and_session(client, login, world):
    login(world["users"]["trainer"])  # the trainer of this session, no staff rights
    resp = client.post(f"/leads/sessions/{world['own']}/attendance",
                       data={"volunteer_id": world["v"], "attended": "yes"}, follow_redirects=True)
    assert "Attendance recorded" in resp.get_data(as_text=True)
    profile = _db.session.get(VolunteerProfile, world["v"])
    assert profile.lead_trained
    training = _db.session.scalar(_db.select(LeadTraining).where(LeadTraining.volunteer_id == world["v"]))
    own = _db.session.get(TrainingSession, world["own"])
    assert training.session_id == own.id and training.trained_on == sessions.local_start(own).date()
    assert profile.lead_trained_on == training.trained_on
    assert _db.session.scalar(_db.select(LeadApplication).where(LeadApplication.volunteer_id == world["v"])
                              ).status == "trained"
    confirmation = emails(f"lead-trained:{training.id}")
    assert len(confirmation) == 1 and "/leads/guide" in confirmation[0].text_body
    in_app = notifications(f"lead-trained:{training.id}")
    assert len(in_app) == 1 and in_app[0].user_id == world["applicant"].id and in_app[0].link.endswith("/leads/guide")
    # Recorded twice: harmless.
    client.post(f"/leads/sessions/{world['own']}/attendance", data={"volunteer_id": world["v"], "attended": "yes"})
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(LeadTraining)) == 1


def test_attendance_cannot_be_recorded_before_the_session_starts(world):
    staff = world["users"]["staff"]
    other = _db.session.get(TrainingSession, world["other"])
    sessions.invite(staff, other, [world["users"]["volunteer"].volunteer_profile.id])
    with pytest.raises(Exception, match="once the session has started"):
        sessions.record_attendance(staff, other, world["users"]["volunteer"].volunteer_profile.id, True)
    _db.session.rollback()
    assert not world["users"]["volunteer"].volunteer_profile.lead_trained


def test_absent_goes_back_to_the_queue(world):
    own = _db.session.get(TrainingSession, world["own"])
    application = _db.session.scalar(_db.select(LeadApplication))
    application.status = "invited"
    _db.session.commit()
    sessions.record_attendance(world["users"]["staff"], own, world["v"], False)
    assert application.status == "waiting"
    assert not _db.session.get(VolunteerProfile, world["v"]).lead_trained


def test_staff_record_training_elsewhere_then_withdraw_it_with_a_reason_audited(client, login, world):
    vera = world["users"]["volunteer"].volunteer_profile
    login(world["users"]["staff"])
    client.post(f"/leads/volunteers/{vera.id}/external", data={"note": "x"})
    assert not _db.session.get(VolunteerProfile, vera.id).lead_trained  # too short a note: nothing changes
    client.post(f"/leads/volunteers/{vera.id}/external", data={"note": "Trained by the state party, May 2026"})
    assert _db.session.get(VolunteerProfile, vera.id).lead_trained
    resp = client.post(f"/leads/volunteers/{vera.id}/withdraw", data={"reason": ""}, follow_redirects=True)
    assert "This field is required" in resp.get_data(as_text=True)
    assert _db.session.get(VolunteerProfile, vera.id).lead_trained
    client.post(f"/leads/volunteers/{vera.id}/withdraw", data={"reason": "Never answered the campaign"})
    profile = _db.session.get(VolunteerProfile, vera.id)
    assert not profile.lead_trained and profile.lead_trained_on is None
    training = _db.session.scalar(_db.select(LeadTraining).where(LeadTraining.volunteer_id == vera.id))
    assert training.withdrawn_reason == "Never answered the campaign"  # history kept
    entry = _db.session.scalar(_db.select(AuditEntry).where(AuditEntry.action == "lead.status_withdrawn"))
    assert entry.actor_id == world["users"]["staff"].id and entry.details["reason"] == "Never answered the campaign"
    assert len(emails(f"lead-withdrawn:{vera.id}:")) == 1


def test_only_experienced_leads_become_trainers(world, make):
    staff = world["users"]["staff"]
    novice = make.volunteer(lead_trained=True, projects_led=2, checkins_due=10, checkins_on_time=9)
    with pytest.raises(Exception, match="every check-in on time"):
        status.make_trainer(staff, novice.volunteer_profile.id)
    _db.session.rollback()
    expert = make.volunteer(lead_trained=True, projects_led=2, checkins_due=10, checkins_on_time=10)
    status.make_trainer(staff, expert.volunteer_profile.id)
    assert _db.session.scalar(_db.select(LeadTrainer).where(LeadTrainer.user_id == expert.id))
    assert len(emails(f"lead-trainer:{expert.volunteer_profile.id}")) == 1


def test_reminder_the_day_before_in_the_sessions_zone_sent_once(world):
    staff = world["users"]["staff"]
    other = _db.session.get(TrainingSession, world["other"])  # in three days, New York time
    sessions.invite(staff, other, [world["users"]["volunteer"].volunteer_profile.id])
    start = sessions.local_start(other)
    two_days_before = datetime.combine(start.date() - timedelta(days=2), time(12), tzinfo=start.tzinfo)
    the_day_before = datetime.combine(start.date() - timedelta(days=1), time(9), tzinfo=start.tzinfo)

    def utc(moment):
        return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    assert sessions.send_session_reminders(utc(two_days_before)) == 0
    assert sessions.send_session_reminders(utc(the_day_before)) == 2  # the invitee and the trainer
    assert sessions.send_session_reminders(utc(the_day_before + timedelta(hours=1))) == 2  # hourly: same keys
    assert len(emails("lead-session-remind")) == 2


def test_a_lead_trained_volunteer_can_be_named_lead_so_the_team_becomes_active(world, make):
    """Matching and team formation read `lead_trained`, which attendance sets."""
    from app.models import TeamMembership
    from app.teams import formation

    staff = world["users"]["staff"]
    sessions.record_attendance(staff, _db.session.get(TrainingSession, world["own"]), world["v"], True)
    campaign = make.campaign(make.user("campaign"))
    project = make.project(campaign, status="recruiting", team_min=3)
    members = [world["applicant"]] + [make.volunteer() for _ in range(2)]
    rows = [TeamMembership(project_id=project.id, volunteer_id=u.volunteer_profile.id, hours_per_week=6)
            for u in members]
    _db.session.add_all(rows)
    _db.session.commit()
    assert formation.name_lead(staff, project, rows[0].id)
    assert project.status == "active"
    team_active = _db.session.scalar(_db.select(OutboxEmail).where(
        OutboxEmail.idempotency_key == f"notify:team-formed:{project.id}:{world['applicant'].id}"))
    assert "/leads/guide" in team_active.text_body  # the lead's invitation links the guide


def test_staff_overview_counts_leads_and_warns_when_projects_outnumber_them(client, login, world, make):
    campaign = make.campaign(make.user("campaign"))
    for _ in range(2):
        make.project(campaign, status="recruiting")
    login(world["users"]["staff"])
    body = client.get("/staff/").get_data(as_text=True)
    # One lead-trained volunteer (the trainer), free to lead; two projects without a lead; one waiting.
    assert "1 trained lead, 1 free to lead" in body and "2 projects without a lead" in body
    assert "only 1 lead-trained volunteer free to lead" in body
    assert "1 volunteer waiting for lead training" in body
    make.volunteer(lead_trained=True)
    body = client.get("/staff/").get_data(as_text=True)
    assert "free to lead: train more leads" not in body


def test_the_guide_is_linked_from_the_leads_workspace(client, login, make):
    from tests.integration.team_helpers import active_team

    team = active_team(make)
    login(team.lead)
    body = client.get(f"/teams/{team.project.id}").get_data(as_text=True)
    assert "/leads/guide" in body
    body = client.get("/leads/guide").get_data(as_text=True)
    assert "Each week" in body and "Talking to the campaign" in body and "Asking staff for help" in body


def test_seat_table_forbids_two_seats_for_one_person(world):
    from sqlalchemy.exc import IntegrityError

    _db.session.add(TrainingSeat(session_id=world["own"], volunteer_id=world["v"]))
    with pytest.raises(IntegrityError):
        _db.session.commit()
    _db.session.rollback()
    assert utcnow()  # the session is usable again


def test_a_volunteer_who_chose_the_digest_for_training_is_told_in_app_and_in_the_digest(world, make):
    from app.models import NotificationPreference

    vera = world["users"]["volunteer"]
    _db.session.add(NotificationPreference(user_id=vera.id, kind="training", delivery="digest"))
    _db.session.commit()
    sessions.invite(world["users"]["staff"], _db.session.get(TrainingSession, world["other"]),
                    [vera.volunteer_profile.id])
    assert emails("lead-session-invite:") == []
    assert [n.user_id for n in notifications("lead-session-invite:")] == [vera.id]
