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


def _complete(team, db):
    from datetime import date, timedelta

    from app.teams.completion import complete_project

    team.project.end_date = date.today() - timedelta(days=1)
    db.session.commit()
    complete_project(team.staff, team.project)


def test_the_end_of_a_project_asks_each_member_and_the_account_shows_the_choice(client, login, team, db):
    from app.models import Notification
    from tests.mailbox import latest_email, link_path

    _complete(team, db)
    told = set(db.session.scalars(db.select(Notification.user_id).where(
        Notification.key == f"consent-ask:{team.project.id}")))
    assert told == {u.id for u in team.members}
    volunteer = team.members[1]
    mail = latest_email(volunteer.email, f"notify:consent-ask:{team.project.id}")
    assert mail is not None and "Spanberger for Delegate" in mail.subject
    login(volunteer)
    assert client.get(link_path(mail, "/volunteer/contacts/")).status_code == 200
    account = client.get("/account/").get_data(as_text=True)
    assert "not decided yet" in account and "Decide now" in account
    client.post(f"/volunteer/contacts/{team.project.id}", data={"granted": "yes"})
    account = client.get("/account/").get_data(as_text=True)
    assert "they may keep and use my contact details" in account and "Change my choices" in account


def test_the_campaign_sees_team_emails_while_it_works_then_only_the_consented(client, login, team, db):
    yes, no = team.members[1], team.members[2]
    login(team.campaign_user)
    page = client.get(f"/teams/{team.project.id}").get_data(as_text=True)
    assert yes.email in page and no.email in page  # a working team talks to its campaign
    _complete(team, db)
    consent.decide(yes, team.project.id, True)
    consent.decide(no, team.project.id, False)
    page = client.get(f"/teams/{team.project.id}").get_data(as_text=True)
    assert yes.email in page and no.email not in page and team.lead.email not in page and "not shared" in page
    # the team itself still sees each other's
    client.post("/auth/logout")
    login(team.lead)
    assert no.email in client.get(f"/teams/{team.project.id}").get_data(as_text=True)
