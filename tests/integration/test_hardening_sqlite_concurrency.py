"""SQLite in the default setup: simultaneous saves wait their turn instead of failing (503) or vanishing.
On PostgreSQL the same test shows that path is unchanged."""
from datetime import date, timedelta

from app.models import AuditEntry, Campaign, CampaignMember
from tests.integration.concurrent_posts import logged_in_sessions, post_all_at_once


def test_six_simultaneous_saves_by_two_members_all_land(live_server, db, make):
    first = make.user("campaign", name="First Member")
    second = make.user("campaign", name="Second Member")
    campaign = make.campaign(first, name="Reyes for Delegate")
    db.session.add(CampaignMember(campaign_id=campaign.id, user_id=second.id, title="Staff"))
    db.session.commit()
    sessions = logged_in_sessions(live_server, [first, second] * 3)

    def edit(i):
        return {
            "name": "Reyes for Delegate", "candidate_name": "Ana Reyes", "office": "House of Delegates",
            "office_level": "state", "state": "VA", "district": "68", "city": "Richmond",
            "timezone": "America/New_York", "election_date": (date.today() + timedelta(days=200)).isoformat(),
            "website": "", "description": f"edit {i}",
        }

    answers = post_all_at_once(live_server, sessions, f"/campaigns/{campaign.id}/edit", edit)
    assert [a.status_code for a in answers] == [302] * 6
    db.session.commit()  # a fresh snapshot
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "campaign.updated")) == 6
    assert db.session.get(Campaign, campaign.id).description in {f"edit {i}" for i in range(6)}


def test_a_double_clicked_sign_up_answers_both_clicks(live_server, db):
    import requests

    from app.models import User

    sessions = [requests.Session() for _ in range(4)]
    form = {"name": "Ada Lovelace", "email": "ada@example.org", "password": "a-long-enough-password",
            "confirm": "a-long-enough-password", "role": "volunteer"}
    answers = post_all_at_once(live_server, sessions, "/auth/register", lambda i: form)
    assert [a.status_code for a in answers] == [302] * 4
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
