"""Changes of plan for a lead training session.

Calling it off: staff only, before it ends and while no attendance is recorded; invitees back in the
queue, everyone told once, no reminder afterwards, the pages say so. Two staff cancelling at once:
one wins, the other is told (PostgreSQL, two connections). Moving it: staff only, before it starts;
seats kept, everyone told the old and new time, the reminder follows the new date."""
import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.errors.domain import DomainError
from app.extensions import db as _db
from app.leads import changes, sessions
from app.models import AuditEntry, LeadApplication, Notification, OutboxEmail, TrainingSeat, TrainingSession, User
from app.models.base import utcnow
from tests.conftest import PG_URL
from tests.integration.lead_world import lead_world

# Conditional transitions and the row lock taken by invitations behave per dialect: both passes.
pytestmark = pytest.mark.postgres


@pytest.fixture
def world(make):
    """lead_world's "other" session (in three days, trained by staff) with two invitees from the queue."""
    w = lead_world(make)
    staff, session = w["users"]["staff"], _db.session.get(TrainingSession, w["other"])
    trainer = make.user("staff", name="Tess Trainer")
    session.trainer_id = trainer.id
    invitees = [make.volunteer() for _ in range(2)]
    for person, name in zip(invitees, ("Iris Invitee", "Ivo Invitee")):
        person.name = name
        _db.session.add(LeadApplication(volunteer_id=person.volunteer_profile.id,
                                        note="I ran the phone bank of a county race."))
    _db.session.commit()
    sessions.invite(staff, session, [p.volunteer_profile.id for p in invitees])
    return {**w, "staff": staff, "session_trainer": trainer, "invitees": invitees}


def _session(world):
    return _db.session.get(TrainingSession, world["other"])


def _application(user):
    return _db.session.scalar(_db.select(LeadApplication).where(LeadApplication.volunteer_id == user.volunteer_profile.id))


def _told(prefix):
    """(user ids told in the app, addresses emailed) under notification keys starting with `prefix`."""
    in_app = set(_db.session.scalars(_db.select(Notification.user_id).where(Notification.key.startswith(prefix))))
    mailed = list(_db.session.scalars(
        _db.select(OutboxEmail).where(OutboxEmail.idempotency_key.startswith("notify:" + prefix))))
    return in_app, mailed


def test_staff_call_a_session_off_from_its_page_and_everyone_affected_is_told(client, login, world):
    login(world["staff"])
    page = client.get(f"/leads/sessions/{world['other']}").get_data(as_text=True)
    assert "Cancel this session and tell 3 people" in page  # two invitees and the trainer
    resp = client.post(f"/leads/sessions/{world['other']}/cancel", data={"reason": "  Our trainer is ill.  "},
                       follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert "The session is cancelled. 2 invitees and the trainer were told" in body
    assert "The reason given: Our trainer is ill." in body and "Cancel this session" not in body
    assert "The invitees were told and went back to the queue for another session; the trainer was told." in body
    assert "Invite applicants" not in body and "Attended Iris" not in body
    session = _session(world)
    assert session.status == "cancelled"
    # Seats keep their history; applications are back in the queue, through the lifecycle (audited).
    assert [s.status for s in session.seats] == ["invited", "invited"]
    assert [_application(p).status for p in world["invitees"]] == ["waiting", "waiting"]
    requeued = _db.session.scalars(_db.select(AuditEntry).where(AuditEntry.action == "lead.application_requeued"))
    assert [e.details["why"] for e in requeued] == ["session_cancelled"] * 2
    entry = _db.session.scalar(_db.select(AuditEntry).where(AuditEntry.action == "lead.session_cancelled"))
    assert entry.actor_id == world["staff"].id and entry.details["reason"] == "Our trainer is ill."
    in_app, mailed = _told(f"lead-session-cancelled:{session.id}")
    assert in_app == {p.id for p in world["invitees"]}
    assert sorted(m.to_email for m in mailed) == sorted(p.email for p in world["invitees"])
    assert all("Our trainer is ill." in m.text_body and "back in the queue" not in m.subject for m in mailed)
    assert all("do not need to ask again" in m.text_body for m in mailed)
    in_app, mailed = _told(f"lead-session-cancelled-trainer:{session.id}")
    assert in_app == {world["session_trainer"].id} and "2 people invited to it were told" in mailed[0].text_body


def test_the_volunteer_reads_that_it_was_called_off_and_that_they_are_back_in_the_queue(app, client, login, world):
    changes.cancel_session(world["staff"], _session(world), "Our trainer is ill")
    login(world["invitees"][0])
    body = client.get("/leads/apply").get_data(as_text=True)
    assert "was called off. You are back in the queue" in body and "Our trainer is ill" in body
    assert "meet.example.org/lead-2" not in body  # no meeting link to a session that will not happen
    staff = app.test_client()
    login(world["staff"], c=staff)
    # Staff see it, marked cancelled, on the list; the invitees are in the queue to invite again.
    index = staff.get("/leads/").get_data(as_text=True)
    assert f"/leads/sessions/{world['other']}" in index and "badge-cancelled" in index
    assert index.count("badge-waiting") == 3  # the two invitees and lead_world's applicant
    profile = staff.get(f"/staff/volunteers/{world['invitees'][0].volunteer_profile.id}").get_data(as_text=True)
    assert "Cancelled (called off)" in profile


def test_the_trainer_who_cancels_is_not_told_and_no_reason_is_fine(world):
    session = _session(world)
    changes.cancel_session(world["session_trainer"], session)
    assert _told("lead-session-cancelled-trainer:") == (set(), [])
    _, mailed = _told("lead-session-cancelled:")
    assert len(mailed) == 2 and "reason given" not in mailed[0].text_body


def test_an_invitee_with_a_seat_in_another_session_keeps_it(world):
    staff, iris = world["staff"], world["invitees"][0]
    later = TrainingSession(starts_at=utcnow() + timedelta(days=9), timezone="America/Chicago", capacity=4,
                            meeting_link="https://meet.example.org/later", trainer_id=staff.id, created_by_id=staff.id)
    _db.session.add(later)
    _db.session.commit()
    sessions.invite(staff, later, [iris.volunteer_profile.id])
    changes.cancel_session(staff, _session(world))
    assert _application(iris).status == "invited" and _application(world["invitees"][1]).status == "waiting"
    mail = _db.session.scalar(_db.select(OutboxEmail).where(OutboxEmail.to_email == iris.email,
                                                            OutboxEmail.subject.like("Called off%")))
    assert "still stands" in mail.text_body


def _refused(world, session, match, **kw):
    before = _db.session.scalar(_db.select(_db.func.count()).select_from(AuditEntry))
    with pytest.raises(DomainError, match=match):
        changes.cancel_session(world["staff"], session, **kw)
    _db.session.rollback()
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(AuditEntry)) == before
    assert _told("lead-session-cancelled") == (set(), [])


def test_refused_once_held_over_or_by_someone_who_is_not_staff(world):
    own = _db.session.get(TrainingSession, world["own"])  # started an hour ago, 90 minutes long: still on
    other = _session(world)
    _refused(world, other, "under 500 characters", reason="x" * 501)
    with pytest.raises(DomainError, match="Only staff"):
        changes.cancel_session(world["users"]["trainer"], own)  # its own trainer, a volunteer
    _db.session.rollback()
    _refused(world, other, "ended at .* record who came", now=other.starts_at + timedelta(minutes=90))
    sessions.record_attendance(world["staff"], own, world["v"], True)
    _refused(world, own, "was held")
    assert _db.session.get(TrainingSession, world["own"]).status == "held"


def test_a_session_under_way_can_still_be_called_off_but_not_twice(world, make):
    """The trainer did not turn up: noticed after the start, still cancellable until the end."""
    session = _session(world)
    changes.cancel_session(world["staff"], session, now=session.starts_at + timedelta(minutes=10))
    mails = len(_told("lead-session-cancelled")[1])
    with pytest.raises(DomainError, match="already cancelled"):
        changes.cancel_session(make.user("staff", name="Stan Second"), _session(world))
    _db.session.rollback()
    assert len(_told("lead-session-cancelled")[1]) == mails == 3


def test_a_cancelled_session_takes_no_invitation_and_no_attendance(world, make):
    staff = world["staff"]
    changes.cancel_session(staff, _session(world))
    with pytest.raises(DomainError, match="This session is cancelled"):
        sessions.invite(staff, _session(world), [make.volunteer().volunteer_profile.id])
    _db.session.rollback()
    session = _session(world)
    with pytest.raises(DomainError, match="was cancelled"):
        sessions.record_attendance(staff, session, world["invitees"][0].volunteer_profile.id, True,
                                   now=session.starts_at + timedelta(minutes=5))
    _db.session.rollback()
    assert not world["invitees"][0].volunteer_profile.lead_trained


def test_no_reminder_goes_out_for_a_cancelled_session(world):
    session = _session(world)
    changes.cancel_session(world["staff"], session)
    assert sessions.send_session_reminders(_day_before(session)) == 0
    assert _told("lead-session-remind") == (set(), [])


def test_a_reason_too_long_is_refused_beside_the_field_and_kept(client, login, world):
    login(world["staff"])
    reason = "The trainer is ill " * 30
    resp = client.post(f"/leads/sessions/{world['other']}/cancel", data={"reason": reason})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "field-error" in body and reason.strip() in body
    assert _session(world).status == "scheduled"


def _day_before(session):
    """09:00 the day before the session, in its zone, as naive UTC."""
    start = sessions.local_start(session)
    moment = datetime.combine(start.date() - timedelta(days=1), time(9), tzinfo=start.tzinfo)
    return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def test_staff_move_a_session_seats_are_kept_and_everyone_is_told_the_new_time(client, login, world):
    login(world["staff"])
    new_day = date.today() + timedelta(days=12)
    page = client.get(f"/leads/sessions/{world['other']}").get_data(as_text=True)
    assert "Move the session" in page
    resp = client.post(f"/leads/sessions/{world['other']}/reschedule", follow_redirects=True,
                       data={"day": new_day.isoformat(), "time": "19:30", "timezone": "America/Denver"})
    assert "The session is moved. 2 invitees told; they keep their seats." in resp.get_data(as_text=True)
    session = _session(world)
    expected = datetime.combine(new_day, time(19, 30), tzinfo=ZoneInfo("America/Denver")).astimezone(ZoneInfo("UTC"))
    assert session.starts_at == expected.replace(tzinfo=None) and session.timezone == "America/Denver"
    assert session.status == "scheduled" and [s.status for s in session.seats] == ["invited", "invited"]
    assert [_application(p).status for p in world["invitees"]] == ["invited", "invited"]
    in_app, mailed = _told(f"lead-session-moved:{session.id}:")
    assert in_app == {p.id for p in world["invitees"]} | {world["session_trainer"].id}
    assert all("7:30 PM MST" in m.text_body or "7:30 PM MDT" in m.text_body for m in mailed)
    assert all("Was: " in m.text_body for m in mailed)
    entry = _db.session.scalar(_db.select(AuditEntry).where(AuditEntry.action == "lead.session_moved"))
    assert entry.actor_id == world["staff"].id and entry.details["timezone"] == "America/Denver"


def test_moving_is_refused_beside_the_field_for_the_same_time_or_the_past_and_what_was_typed_stays(
        client, login, world):
    login(world["staff"])
    session = _session(world)
    session.starts_at = session.starts_at.replace(second=0, microsecond=0)  # a time the form can name
    _db.session.commit()
    start = sessions.local_start(session)
    url = f"/leads/sessions/{world['other']}/reschedule"
    for data, message in (
            ({"day": start.date().isoformat(), "time": start.strftime("%H:%M"), "timezone": "America/New_York"},
             "already starts"),
            ({"day": (date.today() - timedelta(days=1)).isoformat(), "time": "10:15", "timezone": "America/New_York"},
             "in the past")):
        resp = client.post(url, data=data)
        body = resp.get_data(as_text=True)
        assert resp.status_code == 422 and message in body and "field-error" in body, data
        assert f'value="{data["day"]}"' in body
    assert _session(world).starts_at == start.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    assert _told("lead-session-moved") == (set(), [])


def test_a_cancelled_or_started_session_cannot_be_moved(world):
    staff, later = world["staff"], {"day": date.today() + timedelta(days=20), "time": time(18),
                                    "timezone": "America/Chicago"}
    own = _db.session.get(TrainingSession, world["own"])  # started an hour ago
    with pytest.raises(DomainError, match="has started"):
        changes.reschedule_session(staff, own, later)
    _db.session.rollback()
    with pytest.raises(DomainError, match="Only staff"):
        changes.reschedule_session(world["users"]["trainer"], _session(world), later)
    _db.session.rollback()
    changes.cancel_session(staff, _session(world))
    with pytest.raises(DomainError, match="is cancelled, so it cannot be moved"):
        changes.reschedule_session(staff, _session(world), later)
    _db.session.rollback()
    assert _told("lead-session-moved") == (set(), [])


def test_the_reminder_follows_a_session_moved_after_it_went_out(world):
    session = _session(world)
    assert sessions.send_session_reminders(_day_before(session)) == 3  # two invitees and the trainer
    start = sessions.local_start(session)
    changes.reschedule_session(world["staff"], session, {"day": start.date() + timedelta(days=7),
                                                         "time": time(18), "timezone": session.timezone},
                               now=_day_before(session))
    assert sessions.send_session_reminders(_day_before(_session(world))) == 3
    assert len(_told("lead-session-remind")[1]) == 6


def _at_once(app, acts):
    """Run each of `acts` ({name: fn(session) -> None}) in its own connection at the same moment, each with
    the training session loaded before the barrier; {name: "ok" or the refusal's message}."""
    barrier, outcomes = threading.Barrier(len(acts)), {}

    def run(name, act, session_id):
        with app.app_context():
            session = sessions.session_or_none(session_id)
            try:
                barrier.wait(timeout=10)
                act(session)
                outcomes[name] = "ok"
            except DomainError as err:
                outcomes[name] = err.message
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(name, act, sid)) for name, (act, sid) in acts.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    _db.session.rollback()  # a new transaction sees what the threads committed
    return outcomes


def _as(user_id, act):
    return lambda session: act(_db.session.get(User, user_id), session)


@pytest.mark.skipif(not PG_URL, reason="two connections racing: SQLite serialises writers")
def test_two_staff_cancelling_at_once_one_wins_the_other_is_told(app, make, world):
    first, second = world["staff"].id, make.user("staff", name="Stan Second").id
    cancel = _as(first, lambda u, s: changes.cancel_session(u, s, "Our trainer is ill"))
    cancel_too = _as(second, lambda u, s: changes.cancel_session(u, s, "No trainer"))
    outcomes = _at_once(app, {"first": (cancel, world["other"]), "second": (cancel_too, world["other"])})
    assert sorted(outcomes.values(), key=lambda v: v != "ok")[0] == "ok", outcomes
    loser = [v for v in outcomes.values() if v != "ok"]
    assert len(loser) == 1 and ("cancelled this session a moment ago" in loser[0] or "already cancelled" in loser[0])
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "lead.session_cancelled")) == 1
    assert len(_told("lead-session-cancelled:")[1]) == 2 and len(_told("lead-session-cancelled-trainer:")[1]) == 1


@pytest.mark.skipif(not PG_URL, reason="two connections racing: SQLite serialises writers")
def test_an_invitation_racing_the_cancellation_never_leaves_a_seat_waiting_on_nothing(app, make, world):
    """Either the invitation is refused, or it went in first and the cancellation put them back in the queue."""
    late = make.volunteer()
    _db.session.add(LeadApplication(volunteer_id=late.volunteer_profile.id, note="I coordinated canvassers."))
    _db.session.commit()
    late_id, staff_id = late.volunteer_profile.id, world["staff"].id
    outcomes = _at_once(app, {
        "invite": (_as(staff_id, lambda u, s: sessions.invite(u, s, [late_id])), world["other"]),
        "cancel": (_as(staff_id, changes.cancel_session), world["other"]),
    })
    assert outcomes["cancel"] == "ok", outcomes
    application = _db.session.scalar(_db.select(LeadApplication).where(LeadApplication.volunteer_id == late_id))
    seat = _db.session.scalar(_db.select(TrainingSeat).where(TrainingSeat.volunteer_id == late_id))
    assert application.status == "waiting", outcomes
    if outcomes["invite"] == "ok":  # it went first: the cancellation saw the seat and told them
        assert seat is not None and late.id in _told("lead-session-cancelled:")[0]
    else:
        assert seat is None and "cancelled" in outcomes["invite"]


def test_a_session_nobody_was_invited_to_says_so_once_called_off(client, login, make, world):
    staff = world["staff"]
    empty = sessions.schedule(staff, {
        "day": _session(world).starts_at.date(), "time": _session(world).starts_at.time(), "timezone": "UTC",
        "duration_minutes": 60, "capacity": 4, "meeting_link": "https://meet.example/x", "trainer_id": staff.id})
    login(staff)
    body = client.post(f"/leads/sessions/{empty.id}/cancel", data={"reason": ""}, follow_redirects=True) \
        .get_data(as_text=True)
    assert "Nobody had been invited." in body and "the trainer was told" not in body
