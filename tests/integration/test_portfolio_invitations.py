"""A partner invites an existing campaign into its portfolio by email; an owner of the campaign
accepts or declines on the campaign's page, and can take it out again later."""
import pytest

from app.models import CampaignMember, Notification, PartnerCampaign
from app.orgs.scope import Org, campaign_ids
from tests.integration import org_helpers
from tests.mailbox import latest_email, link_path


@pytest.fixture
def world(make, db):
    pat = make.user("campaign", name="Pat Partner")
    partner = org_helpers.partner(make, member=pat)
    owner = make.user("campaign", name="Olga Owner", email="olga@rivera.org")
    campaign = make.campaign(owner, name="Rivera for Delegate")
    member = make.user("campaign", name="Max Member")
    db.session.add(CampaignMember(campaign_id=campaign.id, user_id=member.id, role="member"))
    db.session.commit()
    return partner, pat, campaign, owner, member


def _in_portfolio(db, partner):
    return set(db.session.scalars(campaign_ids(Org("partner", partner.id))))


def test_invite_accept_then_leave_end_to_end(client, login, db, world):
    partner, pat, campaign, owner, member = world
    login(pat)
    resp = client.post(f"/partners/{partner.id}/campaigns/invite", data={"email": "Olga@Rivera.org"})
    assert resp.status_code == 302
    assert "Rivera for Delegate (since" in client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert _in_portfolio(db, partner) == set()  # invited is not in: the partner reads nothing yet
    # the campaign's people are told, in the app and by email, with a link to the campaign's page
    mail = latest_email("olga@rivera.org", "notify:portfolio-invite:")
    assert mail is not None and "Virginia House Caucus" in mail.subject
    path = link_path(mail, f"/campaigns/{campaign.id}")
    client.post("/auth/logout")

    # a member of the campaign sees the invitation but cannot answer it
    login(member)
    page = client.get(path).get_data(as_text=True)
    assert "invites your campaign" in page and "An owner of the campaign can accept" in page
    assert client.post(f"/partners/{partner.id}/campaigns/{campaign.id}/answer",
                       data={"answer": "accept"}).status_code == 403
    client.post("/auth/logout")

    login(owner)
    assert ">Accept</button>" in client.get(path).get_data(as_text=True)
    client.post(f"/partners/{partner.id}/campaigns/{campaign.id}/answer", data={"answer": "accept"})
    assert _in_portfolio(db, partner) == {campaign.id}
    assert db.session.scalar(db.select(Notification.user_id).where(
        Notification.key.startswith("portfolio-joined:"))) == pat.id
    # answering again changes nothing
    client.post(f"/partners/{partner.id}/campaigns/{campaign.id}/answer", data={"answer": "decline"})
    assert _in_portfolio(db, partner) == {campaign.id}
    assert "Leave this portfolio" in client.get(path).get_data(as_text=True)
    client.post(f"/partners/{partner.id}/campaigns/{campaign.id}/leave")
    assert _in_portfolio(db, partner) == set()
    assert db.session.scalar(db.select(Notification.user_id).where(
        Notification.key.startswith("portfolio-left:"))) == pat.id
    client.post("/auth/logout")
    login(pat)
    assert "<h3>Rivera for Delegate</h3>" not in client.get(f"/partners/{partner.id}").get_data(as_text=True)


def test_decline_and_invite_again(db, world):
    from app.partners import invitations

    partner, pat, campaign, owner, _ = world
    invitations.invite_campaign(pat, partner, owner.email)
    invitations.respond(owner, campaign, partner.id, False)
    assert db.session.scalar(db.select(PartnerCampaign.status)) == "declined"
    invitations.invite_campaign(pat, partner, owner.email)
    assert db.session.scalar(db.select(PartnerCampaign.status)) == "invited"
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.key.startswith("portfolio-invite:"), Notification.user_id == owner.id)) == 2


@pytest.mark.parametrize("email,message", [
    ("nobody@nowhere.org", "No campaign on Barnstorm is run from that address"),
    ("not-an-email", "valid email"),
])
def test_bad_invitations_keep_what_was_typed_and_change_nothing(client, login, db, world, email, message):
    partner, pat, *_ = world
    login(pat)
    resp = client.post(f"/partners/{partner.id}/campaigns/invite", data={"email": email})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and message in page and email in page
    assert db.session.scalar(db.select(db.func.count(PartnerCampaign.id))) == 0


def test_a_member_only_address_and_someone_elses_partner(client, login, make, db, world):
    partner, pat, campaign, owner, member = world
    login(pat)
    resp = client.post(f"/partners/{partner.id}/campaigns/invite", data={"email": member.email})
    assert resp.status_code == 422  # a member does not run the campaign: ask an owner's address
    client.post("/auth/logout")
    login(make.user("campaign"))
    assert client.post(f"/partners/{partner.id}/campaigns/invite", data={"email": owner.email}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(PartnerCampaign.id))) == 0
