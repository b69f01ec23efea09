"""Contact consent: decided per ended project, changeable, and respected by the API and exports."""
import pytest

from app.errors.domain import DomainError
from app.models import ContactConsent
from app.orgs import consent
from tests.integration.team_helpers import active_team


@pytest.fixture
def team(make):
    return active_team(make)


def test_decide_only_once_the_project_ended_then_change_it(team, db):
    volunteer = team.members[1]
    with pytest.raises(DomainError):
        consent.decide(volunteer, team.project.id, True)  # still active
    team.project.status = "completed"  # the lifecycle's own transition is tested elsewhere
    db.session.commit()
    consent.decide(volunteer, team.project.id, True)
    assert consent.may_contact(volunteer.volunteer_profile.id, team.campaign.id)
    consent.decide(volunteer, team.project.id, False)
    assert not consent.may_contact(volunteer.volunteer_profile.id, team.campaign.id)
    assert db.session.scalar(db.select(db.func.count(ContactConsent.id))) == 1
    outsider = team.campaign_user
    with pytest.raises(DomainError):
        consent.decide(outsider, team.project.id, True)


def test_the_volunteer_page_shows_and_changes_the_choice_and_the_api_follows(client, login, team, db, make):
    from app.orgs import keys
    from app.orgs.scope import Org

    team.project.status = "completed"
    db.session.commit()
    key = keys.create_key(team.campaign_user, Org("campaign", team.campaign.id), "sync", "read")[1]
    volunteer = team.members[2]
    login(volunteer)
    page = client.get("/volunteer/contacts/").get_data(as_text=True)
    assert "Not decided yet" in page and "Spanberger for Delegate" in page

    def people():
        body = client.get("/api/v1/people", headers={"OSDI-API-Token": key}).json
        return [p["email_addresses"][0]["address"] for p in body["_embedded"]["osdi:people"]]

    assert people() == []  # undecided means no
    client.post(f"/volunteer/contacts/{team.project.id}", data={"granted": "yes"})
    assert "They may keep and use my contact details" in client.get("/volunteer/contacts/").get_data(as_text=True)
    assert people() == [volunteer.email]
    client.post(f"/volunteer/contacts/{team.project.id}", data={"granted": "no"})
    assert people() == []


@pytest.mark.parametrize("role,expected", [("anonymous", 302), ("campaign", 403), ("staff", 403)])
def test_consent_pages_are_for_volunteers(client, login, make, role, expected):
    if role != "anonymous":
        login(make.user(role))
    assert client.get("/volunteer/contacts/").status_code == expected
    assert client.post("/volunteer/contacts/1", data={"granted": "yes"}).status_code == expected
