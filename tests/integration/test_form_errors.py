"""A form shows every problem at once: each beside its field, all in a summary at the top that links
to the fields, cross-field rules (a past election date, 20 weeks with a team of 9) together with
the form's own checks; nothing is saved and nothing typed is lost."""
import re
from datetime import date, timedelta

from app.models import Campaign, Project
from tests.integration.test_intake_routes import scope_form, world  # noqa: F401 -- the fixture


def _summary_links(body):
    summary = body.split('class="error-summary', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([\w-]+)"', summary)


def test_a_campaign_form_reports_a_missing_name_a_past_election_and_an_unknown_city_together(client, login, make, db):
    member = make.user("campaign")
    login(member)
    resp = client.post("/campaigns/new", data={
        "name": "", "candidate_name": "Dana Reyes", "office": "State House", "office_level": "state",
        "state": "VA", "district": "", "city": "Atlantis", "timezone": "America/New_York",
        "election_date": (date.today() - timedelta(days=1)).isoformat(), "website": "", "description": "",
    })
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "The election date is in the past." in body and "We could not find Atlantis in VA" in body
    assert _summary_links(body) == ["name", "city", "election_date"]
    assert "3 problems to fix" in body and 'value="Dana Reyes"' in body
    date_input = re.search(r'<input[^>]*id="election_date"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in date_input and 'aria-describedby="election_date-error"' in date_input
    assert db.session.scalar(db.select(db.func.count()).select_from(Campaign)) == 0


def test_a_scope_with_20_weeks_and_a_team_of_9_shows_both_errors(client, login, world, db):  # noqa: F811
    login(world["users"]["staff"])
    before = db.session.scalar(db.select(db.func.count()).select_from(Project))
    resp = client.post(f"/staff/scoping/requests/{world['r']}/scope/{world['t']}",
                       data=scope_form(world, weeks="20", team_max="9", title=""))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "A phase lasts 1 to 8 weeks" in body and "A team has 3 to 5 members." in body
    assert set(_summary_links(body)) == {"title", "team_max", "weeks"}
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == before


def test_a_checkbox_is_never_marked_aria_invalid_none(client, login, make):
    login(make.user("campaign"))
    body = client.get("/campaigns/new").get_data(as_text=True)
    assert 'aria-invalid="None"' not in body and 'aria-invalid="False"' not in body


def test_a_scope_with_20_weeks_a_team_of_9_and_a_past_start_shows_all_three_at_once(client, login, world, db):  # noqa: F811
    login(world["users"]["staff"])
    before = db.session.scalar(db.select(db.func.count()).select_from(Project))
    past = (date.today() - timedelta(days=3)).isoformat()
    resp = client.post(f"/staff/scoping/requests/{world['r']}/scope/{world['t']}",
                       data=scope_form(world, weeks="20", team_max="9", start_date=past,
                                       summary="Typed words stay"))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    for message in ("A phase lasts 1 to 8 weeks", "A team has 3 to 5 members.", "The start date is in the past."):
        assert body.count(message) == 2, message  # beside its field and in the summary
    assert set(_summary_links(body)) == {"team_max", "weeks", "start_date"}
    assert "3 problems to fix" in body
    assert "Typed words stay" in body and f'value="{past}"' in body and 'value="20"' in body
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == before


def test_a_scope_reports_its_skill_rule_beside_the_form_checks(client, login, world, db):  # noqa: F811
    login(world["users"]["staff"])
    resp = client.post(f"/staff/scoping/requests/{world['r']}/scope/{world['t']}",
                       data=scope_form(world, weeks="20", **{"skills-0-skill_id": ""}))
    body = resp.get_data(as_text=True)
    assert "A phase lasts 1 to 8 weeks" in body and "Add at least one skill the team needs." in body
    assert set(_summary_links(body)) == {"weeks", "skills"}


def test_a_help_request_reports_a_blank_goal_no_kind_of_help_and_a_past_start_together(client, login, make, db):
    from app.models import HelpRequest

    member = make.user("campaign")
    campaign = make.campaign(member)
    login(member)
    resp = client.post(f"/campaigns/{campaign.id}/requests/new", data={
        "goals": "", "timing": "Typed timing stays", "constraints": "",
        "desired_start": (date.today() - timedelta(days=2)).isoformat(),
    })
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    for message in ("Tick at least one kind of help.", "The earliest start is in the past."):
        assert message in body, message
    assert set(_summary_links(body)) == {"goals", "categories", "desired_start"}
    assert "Typed timing stays" in body
    assert db.session.scalar(db.select(db.func.count()).select_from(HelpRequest)) == 0


def test_a_profile_reports_a_blank_name_two_unknown_cities_and_inverted_dates_together(client, login, make):
    volunteer = make.volunteer()
    login(volunteer)
    resp = client.post("/volunteer/profile", data={
        "name": "", "headline": "Typed headline stays", "bio": "", "home_city": "Atlantis", "home_state": "VA",
        "current_city": "Gotham", "current_state": "NY", "hours_per_week": "5",
        "available_from": "2027-03-01", "available_until": "2027-01-01", "timezone": "America/New_York", "links": "",
    })
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "We could not find Atlantis in VA" in body and "We could not find Gotham in NY" in body
    assert "The end of your availability is before its start." in body
    assert set(_summary_links(body)) == {"name", "home_city", "current_city", "available_until"}
    assert "Typed headline stays" in body
