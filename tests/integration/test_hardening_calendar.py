"""The .ics feed: built by icalendar, links and ids from PUBLIC_URL (not Host), addresses the member can renew;
and one tokens module whose purposes never open each other's tokens."""
import re

import pytest
from icalendar import Calendar

from app import tokens
from app.models import User
from app.teams import calendar_feed
from tests.integration.team_helpers import active_team


@pytest.fixture
def app_config():
    return {"PUBLIC_URL": "https://barnstorm.example"}


@pytest.fixture
def team(db, make):
    return active_team(make, weeks=3, title="Donation page; phase 1, \\ with \"quotes\"")


def _feed_path(client, project_id):
    html = client.get(f"/teams/{project_id}").get_data(as_text=True)
    return re.search(r'value="https://barnstorm\.example(/teams/calendar/[^"]+\.ics)"', html).group(1)


def test_the_feed_parses_and_takes_links_and_ids_from_public_url(client, login, team):
    login(team.members[1])
    resp = client.get(_feed_path(client, team.project.id), headers={"Host": "evil.example"})
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "evil.example" not in body
    cal = Calendar.from_ical(resp.get_data())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 3
    assert str(cal["X-WR-CALNAME"]) == team.project.title  # escaped by icalendar, read back intact
    assert all(str(e["UID"]).endswith("@barnstorm.example") for e in events)
    assert str(events[0]["URL"]) == f"https://barnstorm.example/teams/{team.project.id}"


def test_a_member_renews_the_feed_address_and_the_old_one_stops(db, client, login, team):
    member = team.members[1]
    login(member)
    old = _feed_path(client, team.project.id)
    assert client.get(old).status_code == 200
    resp = client.post("/account/calendar-feed/rotate", data={"next": f"/teams/{team.project.id}"})
    assert resp.status_code == 302 and resp.headers["Location"] == f"/teams/{team.project.id}"
    new = _feed_path(client, team.project.id)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    # Another member's address is not affected.
    db.session.expire_all()
    assert db.session.get(User, team.members[2].id).calendar_feed_version == 0


def test_rotating_needs_a_login(client):
    resp = client.post("/account/calendar-feed/rotate")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_a_token_for_one_purpose_opens_no_other(app):
    data = {"u": 1, "p": 2, "v": 0}
    for purpose in tokens.PURPOSES:
        token = tokens.sign(purpose, data)
        assert tokens.unsign(purpose, token) == data
        for other in set(tokens.PURPOSES) - {purpose}:
            assert tokens.unsign(other, token) is None
    with pytest.raises(ValueError):
        tokens.sign("anything", data)


def test_no_module_but_tokens_uses_itsdangerous():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app"
    users = [p.relative_to(root).as_posix() for p in root.rglob("*.py") if "itsdangerous" in p.read_text()]
    assert users == ["tokens.py"]


def test_feed_token_with_wrong_shape_is_refused(app, team):
    assert calendar_feed.read_feed_token(tokens.sign(tokens.CALENDAR_FEED, {"u": "1", "p": 2, "v": 0})) is None
    assert calendar_feed.read_feed_token(tokens.sign(tokens.CALENDAR_FEED, [1, 2])) is None
