"""Everyone's in-app notifications: the list, the unread count in the header, marking as read,
choosing a daily digest per kind, and the digest itself."""
import pytest

from app.extensions import db as _db
from app.models import Notification, OutboxEmail
from app.notifications import notify, send_digests

# Conditional updates, constraints and the JSON audit details behave per dialect: both passes.
pytestmark = pytest.mark.postgres


def _emails_to(user, prefix):
    return list(_db.session.scalars(_db.select(OutboxEmail).where(
        OutboxEmail.to_email == user.email, OutboxEmail.idempotency_key.startswith(prefix))))


def test_list_count_and_mark_as_read(client, login, make, db):
    vol = make.user("volunteer", name="Vera Volunteer")
    notify(vol, "teams", "team-formed:1", "Your team is formed", "Sprint 1 starts Monday.", "/teams/")
    notify(vol, "checkins", "checkin-ack:1", "The campaign read your check-in")
    db.session.commit()
    login(vol)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Your team is formed" in page and "Sprint 1 starts Monday." in page
    assert 'aria-label="Notifications, 2 unread"' in page
    first = db.session.scalar(db.select(Notification).where(Notification.key == "team-formed:1"))
    opened = client.post(f"/notifications/{first.id}/read", data={"open": "1"})
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/teams/")
    assert 'aria-label="Notifications, 1 unread"' in client.get("/notifications/").get_data(as_text=True)
    client.post("/notifications/read-all")
    assert "unread" not in client.get("/notifications/").get_data(as_text=True).split("<main")[0]


def test_an_event_tells_a_person_once_even_when_retried(make, db):
    vol = make.user("volunteer")
    for _ in range(3):
        notify(vol, "teams", "team-formed:7", "Your team is formed")
        db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 1
    assert len(_emails_to(vol, "notify:team-formed:7")) == 1


def test_closed_accounts_are_never_told(make, db):
    from app.models.base import utcnow

    vol = make.user("volunteer")
    vol.closed_at = utcnow()
    db.session.commit()
    assert notify(vol, "teams", "team-formed:1", "Your team is formed") == []


def test_links_only_lead_inside_the_site(client, login, make, db):
    vol = make.user("volunteer")
    notify(vol, "teams", "odd:1", "Odd", link="https://evil.example/phish")
    db.session.commit()
    login(vol)
    note = db.session.scalar(db.select(Notification))
    resp = client.post(f"/notifications/{note.id}/read", data={"open": "1"})
    assert "evil.example" not in resp.headers["Location"]


def test_digest_preference_holds_emails_for_one_daily_digest(client, login, make, db):
    vol = make.user("volunteer", name="Dana Digest")
    login(vol)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "Check-ins" in page and "Invitations" in page  # invitations listed as always at once
    resp = client.post("/notifications/settings", data={"checkins": "digest", "teams": "immediate",
                                                        "invitations": "digest"})
    assert resp.status_code == 302
    notify(vol, "checkins", "checkin-ack:1", "The campaign read sprint 1")
    notify(vol, "checkins", "checkin-ack:2", "The campaign read sprint 2")
    notify(vol, "invitations", "invite-x:1", "You are invited")  # transactional: at once regardless
    notify(vol, "teams", "team-formed:1", "Your team is formed")
    db.session.commit()
    assert not _emails_to(vol, "notify:checkin-ack")
    assert _emails_to(vol, "notify:invite-x") and _emails_to(vol, "notify:team-formed")
    assert send_digests() == 1
    digest = _emails_to(vol, "digest:")
    assert len(digest) == 1 and "sprint 1" in digest[0].text_body and "sprint 2" in digest[0].text_body
    assert "team is formed" not in digest[0].text_body
    assert send_digests() == 0  # nothing new: no second digest


def test_settings_ignore_unknown_choices(client, login, make, db):
    vol = make.user("volunteer")
    login(vol)
    resp = client.post("/notifications/settings", data={"checkins": "carrier-pigeon"})
    assert resp.status_code == 200 and "Not a valid choice" in resp.get_data(as_text=True)
    from app.models import NotificationPreference

    assert db.session.scalar(db.select(db.func.count()).select_from(NotificationPreference)) == 0
