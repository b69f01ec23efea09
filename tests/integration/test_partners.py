"""Partners: referral into a portfolio, priority tiers (queues, batch weights), the portfolio page, exports."""
import json

import pytest

from app.models import PartnerCampaign, PartnerMember
from app.partners import services
from app.recruiting import priority
from tests.integration import org_helpers
from tests.integration.team_helpers import active_team


@pytest.fixture
def caucus(make):
    member = make.user("campaign", name="Pat Partner")
    return org_helpers.partner(make, member=member), member


def test_staff_register_a_partner_with_its_first_member(client, login, make, db):
    staff = make.user("staff")
    pat = make.user("campaign", email="pat@caucus.org")
    login(staff)
    resp = client.post("/partners/", data={"name": "Virginia House Caucus", "kind": "caucus", "state": "VA",
                                           "owner_email": "pat@caucus.org"})
    assert resp.status_code == 302
    assert db.session.scalar(db.select(PartnerMember.user_id)) == pat.id
    bad = client.post("/partners/", data={"name": "X", "kind": "caucus", "state": "", "owner_email": "no@one.org"})
    assert "No campaign-side account" in bad.get_data(as_text=True)


def test_referral_link_adds_an_existing_campaign_and_a_new_one(client, login, make, db, caucus):
    partner, _ = caucus
    owner = make.user("campaign")
    existing = make.campaign(owner, name="Existing Campaign")
    login(owner)
    assert client.get(f"/partners/r/{partner.referral_code}").status_code == 200
    client.post(f"/partners/r/{partner.referral_code}", data={"campaign_id": existing.id})
    # a new campaign registered after opening the link joins too
    client.get(f"/partners/r/{partner.referral_code}")
    resp = client.post("/campaigns/new", data={
        "name": "New Campaign", "candidate_name": "Nia", "office": "State House", "office_level": "state",
        "state": "VA", "city": "Richmond", "timezone": "America/New_York",
        "election_date": "2030-11-05"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    names = db.session.scalars(db.select(PartnerCampaign.campaign_id).where(PartnerCampaign.status == "active")).all()
    assert len(names) == 2 and existing.id in names
    # a member who is not an owner cannot put the campaign in a portfolio
    member = make.user("campaign")
    from app.models import CampaignMember

    other = make.campaign(None)
    db.session.add(CampaignMember(campaign_id=other.id, user_id=member.id, role="member"))
    db.session.commit()
    from app.errors.domain import DomainError

    with pytest.raises(DomainError):
        services.join_portfolio(member, partner, other.id)


def test_priority_shows_in_staff_queues_and_weighs_batch_matching(client, login, make, db, caucus):
    partner, pat = caucus
    team = active_team(make)
    db.session.add(PartnerCampaign(partner_id=partner.id, campaign_id=team.campaign.id, status="active"))
    db.session.commit()
    other = make.project(make.campaign(None), status="recruiting", title="Unpartnered")
    assert priority.project_weights([team.project.id, other.id]) == {team.project.id: 1.0, other.id: 1.0}
    login(pat)
    client.post(f"/partners/{partner.id}/campaigns/{team.campaign.id}/priority", data={"tier": "1"})
    weights = priority.project_weights([team.project.id, other.id])
    assert weights == {team.project.id: priority.TIER_MULTIPLIER[1], other.id: 1.0} and weights[team.project.id] > 1
    # the solver's view: with equal raw scores the priority project's seat is worth more
    seats = priority.weighted({team.project.id: [0.8], other.id: [0.8]}, weights)
    assert seats[team.project.id][0] > seats[other.id][0]
    recruiting = make.project(team.campaign, status="recruiting", title="Second phase")
    from app.models import HelpRequest

    db.session.add(HelpRequest(campaign_id=team.campaign.id, goals="More help", categories=["website"], status="new"))
    db.session.commit()
    client.post("/auth/logout")
    login(team.staff)
    assert "Top priority" in client.get("/staff/scoping/").get_data(as_text=True)
    assert "Top priority" in client.get("/staff/recruiting/").get_data(as_text=True)
    assert recruiting.id
    # a bad tier changes nothing
    client.post("/auth/logout")
    login(pat)
    client.post(f"/partners/{partner.id}/campaigns/{team.campaign.id}/priority", data={"tier": "9"})
    assert db.session.scalar(db.select(PartnerCampaign.priority_tier)) == 1


def test_portfolio_page_shows_projects_health_hours_and_counts_queries_independent_of_campaigns(
        client, login, make, db, caucus, app):
    from sqlalchemy import event

    partner, pat = caucus
    login(pat)

    def queries_for_page():
        count = [0]

        def on_execute(*_):
            count[0] += 1

        event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            resp = client.get(f"/partners/{partner.id}")
        finally:
            event.remove(db.engine, "before_cursor_execute", on_execute)
        assert resp.status_code == 200
        return count[0], resp.get_data(as_text=True)

    def add_campaign(i):
        c = make.campaign(None, name=f"Campaign {i}")
        db.session.add(PartnerCampaign(partner_id=partner.id, campaign_id=c.id, status="active"))
        make.project(c, status="approved", title=f"Project {i}")
        db.session.commit()

    for i in range(20):
        add_campaign(i)
    few, _ = queries_for_page()
    for i in range(20, 200):
        add_campaign(i)
    many, page = queries_for_page()
    assert many == few, (few, many)
    assert "Campaign 11" in page and "Project 11" in page and "200</strong> campaigns" in page
    last = client.get(f"/partners/{partner.id}?page=10").get_data(as_text=True)
    assert "Page 10 of 10" in last and "200</strong> campaigns" in last and "<h3>Campaign 99</h3>" in last
    assert "<h3>Campaign 11</h3>" not in last


def test_exports_stream_the_whole_record_and_only_consented_contacts(client, login, make, db):
    world = org_helpers.build(make)
    login(world.team.campaign_user)
    resp = client.get(f"/exports/campaigns/{world.team.campaign.id}.json")
    assert resp.status_code == 200 and resp.is_streamed
    body = json.loads(resp.get_data(as_text=True))
    kinds = {r["record"] for r in body["records"]}
    assert {"help_request", "project", "contact"} <= kinds
    contacts = [r["detail"]["email"] for r in body["records"] if r["record"] == "contact"]
    assert contacts == [world.consenting.email]
    assert "Other goals" not in resp.get_data(as_text=True)
    csv_text = client.get(f"/exports/campaigns/{world.team.campaign.id}.csv").get_data(as_text=True)
    assert csv_text.startswith("record,id,campaign_id") and world.silent.email not in csv_text
    client.post("/auth/logout")
    login(world.partner_user)
    partner_json = json.loads(client.get(f"/exports/partners/{world.partner.id}.json").get_data(as_text=True))
    assert any(r["record"] == "project" for r in partner_json["records"])
    # someone else's campaign and partner: nothing
    client.post("/auth/logout")
    login(make.user("campaign"))
    assert client.get(f"/exports/campaigns/{world.team.campaign.id}.json").status_code == 404
    assert client.get(f"/exports/partners/{world.partner.id}.json").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member", "outsider", "volunteer", "staff"])
def test_partner_routes_for_every_role(client, login, make, db, caucus, role):
    partner, pat = caucus
    users = {"member": pat, "outsider": make.user("campaign"), "volunteer": make.user("volunteer"),
             "staff": make.user("staff")}
    if role != "anonymous":
        login(users[role])
    expected = {"anonymous": "L", "member": "200", "outsider": "404", "volunteer": "403", "staff": "200"}[role]
    for path in (f"/partners/{partner.id}", f"/partners/{partner.id}/keys", f"/partners/{partner.id}/webhooks"):
        resp = client.get(path)
        got = "L" if resp.status_code == 302 and "/auth/login" in resp.headers["Location"] else str(resp.status_code)
        assert got == expected, (path, role, got)
