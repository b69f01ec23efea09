"""Your data: download it; close the account (anonymised, sessions ended, contributions kept)."""
import json
from datetime import timedelta

import pytest

from app.account import services
from app.errors.domain import DomainError
from app.models import CheckIn, CheckInHours, CheckInNote, Invitation, TeamMembership, User
from app.models.base import utcnow
from app.teams import checkins
from tests.factories import PASSWORD
from tests.integration.team_helpers import active_team, at, checkin_data


@pytest.fixture
def team(db, make):
    t = active_team(make, weeks=3)
    s1 = t.sprint(1)
    c = checkins.submit_checkin(t.lead, s1, checkin_data(t), now=at(s1.due_on))
    checkins.add_note(t.members[1], c, "I'll take the copy.")
    return t


def test_download_my_data(client, login, team):
    login(team.members[1])
    resp = client.get("/account/data.json")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    data = json.loads(resp.get_data(as_text=True))
    assert data["account"]["email"] == team.members[1].email
    assert data["teams"][0]["project"] == "Donation page"
    assert data["teams"][0]["hours_by_sprint"] == [{"sprint": 1, "hours": 5.0}]
    assert data["notes"][0]["body"] == "I'll take the copy."
    assert "track_record" in data["profile"]


def test_closing_anonymises_ends_sessions_and_keeps_contributions(db, client, login, make, team):
    user = team.members[1]
    old_email = user.email
    other = make.project(team.campaign, status="recruiting")
    db.session.add(Invitation(project_id=other.id, volunteer_id=user.volunteer_profile.id,
                              expires_at=utcnow() + timedelta(days=3)))
    db.session.commit()
    login(user)
    # On an active team: told which, and refused until leaving it is confirmed; nothing changes.
    page = client.get("/account/").get_data(as_text=True)
    assert "Donation page" in page and "leave_teams" in page
    resp = client.post("/account/close", data={"password": PASSWORD, "confirm": "y"})
    assert resp.status_code == 400 and "tick the box to leave it" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).closed_at is None
    assert db.session.get(TeamMembership, team.memberships[1].id).status == "active"
    resp = client.post("/account/close", data={"password": PASSWORD, "confirm": "y", "leave_teams": "y"})
    assert resp.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.name == "Former volunteer" and user.email == f"closed-{user.id}@barnstorm.invalid"
    assert user.closed_at is not None and not user.check_password(PASSWORD)
    assert user.volunteer_profile.opted_out and user.volunteer_profile.bio == "" and user.volunteer_profile.home_lat is None
    assert db.session.scalar(db.select(Invitation.status).where(Invitation.project_id == other.id)) == "closed"
    # they left the team first (counted as leaving), and their contributions stay
    assert db.session.get(TeamMembership, team.memberships[1].id).status == "dropped"
    assert user.volunteer_profile.projects_dropped == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(CheckInHours).where(
        CheckInHours.membership_id == team.memberships[1].id)) == 1
    assert db.session.scalar(db.select(CheckInNote.author_id)) == user.id
    assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 1
    # the session is over and the old login no longer works
    assert client.get("/volunteer/").status_code == 302
    resp = client.post("/auth/login", data={"email": old_email, "password": PASSWORD})
    assert resp.status_code != 302
    # teammates see an anonymous former member, not the old name or email
    login(team.lead)
    html = client.get(f"/teams/{team.project.id}").get_data(as_text=True)
    assert old_email not in html and user.email not in html
    # their hours stay in the team's chart (the workspace's progress fragment), under the anonymous name
    progress = client.get(f"/teams/{team.project.id}/progress").get_data(as_text=True)
    assert "Former volunteer" in progress and old_email not in progress and "Former volunteer" not in html


def test_closing_needs_the_password_and_the_confirmation(db, client, login, team):
    user = team.members[1]
    login(user)
    resp = client.post("/account/close", data={"password": "wrong", "confirm": "y"})
    assert resp.status_code == 400 and "That is not your password." in resp.get_data(as_text=True)
    resp = client.post("/account/close", data={"password": PASSWORD})
    assert resp.status_code == 400 and "Tick the box" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).closed_at is None


def test_staff_accounts_are_not_closed_here(db, team):
    with pytest.raises(DomainError, match="closed by an admin"):
        services.close_account(team.staff, PASSWORD)


def test_campaign_member_can_close_too(db, team):
    services.close_account(team.campaign_user, PASSWORD)
    assert team.campaign_user.name == "Former campaign member"
