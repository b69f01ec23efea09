"""A double-clicked help request or campaign creates one record, even when both posts race."""
import re
from datetime import date, timedelta

import pytest

from app.models import Campaign, FormSubmission, HelpRequest
from tests.integration.concurrent_posts import logged_in_sessions, post_all_at_once


def _token(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="submission_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.fixture
def member(make):
    return make.user("campaign", name="Maria Member")


def campaign_form(token):
    return {
        "name": "Reyes for Delegate", "candidate_name": "Ana Reyes", "office": "House of Delegates",
        "office_level": "state", "state": "VA", "district": "68", "city": "Richmond",
        "timezone": "America/New_York", "election_date": (date.today() + timedelta(days=200)).isoformat(),
        "website": "", "description": "", "submission_token": token,
    }


def _race(live_server, user, path, data):
    """Four tabs of `user` send the same form at the same moment."""
    return post_all_at_once(live_server, logged_in_sessions(live_server, [user] * 4), path, lambda i: data)


def test_a_campaign_submitted_four_times_at_once_is_registered_once(live_server, db, client, login, member):
    login(member)
    token = _token(client, "/campaigns/new")
    answers = _race(live_server, member, "/campaigns/new", campaign_form(token))
    assert [a.status_code for a in answers] == [302] * 4
    assert len({a.headers["Location"] for a in answers}) == 1
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Campaign)) == 1


def test_a_help_request_submitted_four_times_at_once_is_recorded_once(live_server, db, client, login, member, make):
    campaign = make.campaign(member)
    login(member)
    path = f"/campaigns/{campaign.id}/requests/new"
    token = _token(client, path)
    data = {"goals": "Raise money online", "categories": ["fundraising"], "timing": "", "constraints": "",
            "submission_token": token}
    answers = _race(live_server, member, path, data)
    assert [a.status_code for a in answers] == [302] * 4
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(HelpRequest)) == 1
    # A new form (a new token) is a new request.
    data["submission_token"] = _token(client, path)
    assert client.post(path, data=data).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(HelpRequest)) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(FormSubmission)) == 2


def test_a_refused_submission_can_be_corrected_and_sent_with_the_same_token(db, client, login, member):
    login(member)
    token = _token(client, "/campaigns/new")
    bad = dict(campaign_form(token), city="Nowhereville")
    assert client.post("/campaigns/new", data=bad).status_code == 200
    assert client.post("/campaigns/new", data=campaign_form(token)).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Campaign)) == 1
