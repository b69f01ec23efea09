"""Issue 13 journeys in real Chromium: a campaign team hands over without losing anything; a partner
refers a campaign, sets it to top priority and watches its project in the portfolio."""
import re

import pytest
from playwright.sync_api import expect

from app.models import CampaignMember, HelpRequest, PartnerCampaign, Project
from tests.factories import PASSWORD
from tests.integration import org_helpers
from tests.mailbox import latest_email, link_path

pytestmark = pytest.mark.browser


def _log_in(page, email):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _log_out(page):
    page.get_by_role("button", name=re.compile(r"Log out")).click()


def _join_by_link(page, path, email, button):
    """Open an emailed invitation link logged out, log in from it, and join."""
    page.goto(path)
    page.get_by_role("button", name="Log in to join").click()
    page.get_by_label("Email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=button).click()


def test_owner_invites_colleague_who_approves_then_owner_hands_over_and_leaves(page, db, make):
    owner = make.user("campaign", name="Olga Owner")
    campaign = make.campaign(owner, name="Rivera for Delegate")
    db.session.add(HelpRequest(campaign_id=campaign.id, submitted_by_id=owner.id, goals="Raise money online",
                               categories=["website"], status="scoped"))
    db.session.commit()
    project = make.project(campaign, status="awaiting_approval", title="Donation page for Rivera")
    cleo = make.user("campaign", email="cleo@rivera.example.org", name="Cleo Colleague")

    _log_in(page, owner.email)
    page.goto(f"/campaigns/{campaign.id}")
    page.get_by_role("link", name="Campaign team").click()
    page.get_by_label("Colleague's email").fill("cleo@rivera.example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to cleo@rivera.example.org.")).to_be_visible()
    _log_out(page)

    db.session.rollback()
    _join_by_link(page, link_path(latest_email("cleo@rivera.example.org", "campaign-invite:"), "/campaigns/join/"),
                  cleo.email, "Join Rivera for Delegate")
    expect(page.get_by_text("Welcome to Rivera for Delegate's team.")).to_be_visible()
    page.get_by_role("link", name="Donation page for Rivera").click()
    page.get_by_role("button", name="Approve this scope").click()
    expect(page.get_by_text("Scope approved.")).to_be_visible()
    _log_out(page)

    _log_in(page, owner.email)
    page.goto(f"/campaigns/{campaign.id}/team")
    page.get_by_label("New owner").select_option(label="Cleo Colleague")
    page.get_by_label("And take me off this campaign's team").check()
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_text("Cleo Colleague is now an owner of Rivera for Delegate.")).to_be_visible()
    # A former member no longer sees the campaign among theirs.
    expect(page.get_by_role("heading", name="My campaigns")).to_be_visible()
    expect(page.get_by_role("link", name="Rivera for Delegate")).to_have_count(0)
    _log_out(page)

    # Nothing of the campaign is lost: the request, the approval and its author stay.
    db.session.rollback()
    assert db.session.get(Project, project.id).approved_by_id == cleo.id
    assert db.session.scalar(db.select(HelpRequest.submitted_by_id).where(HelpRequest.campaign_id == campaign.id)) \
        == owner.id
    assert [m.role for m in db.session.scalars(db.select(CampaignMember).where(
        CampaignMember.campaign_id == campaign.id))] == ["owner"]
    _log_in(page, cleo.email)
    page.goto(f"/campaigns/{campaign.id}")
    expect(page.get_by_role("link", name="Donation page for Rivera")).to_be_visible()
    expect(page.get_by_text("Request of")).to_be_visible()


def test_partner_refers_a_campaign_sets_top_priority_and_watches_the_portfolio(page, db, make):
    pat = make.user("campaign", name="Pat Partner")
    partner = org_helpers.partner(make, name="Virginia House Caucus", member=pat)
    owner = make.user("campaign", name="Nia Nominee")
    campaign = make.campaign(owner, name="Nominee for Senate")
    make.project(campaign, status="recruiting", title="Voter file cleanup")
    staff = make.user("staff")

    _log_in(page, pat.email)
    page.goto(f"/partners/{partner.id}")
    referral = page.locator("#referral-link").inner_text()
    _log_out(page)

    _log_in(page, owner.email)
    page.goto(re.sub(r"^https?://[^/]+", "", referral))
    page.get_by_role("button", name="Join Virginia House Caucus's portfolio").click()
    expect(page.get_by_text("Your campaign is now in Virginia House Caucus's portfolio.")).to_be_visible()
    _log_out(page)

    _log_in(page, pat.email)
    page.goto(f"/partners/{partner.id}")
    expect(page.get_by_role("heading", name="Nominee for Senate")).to_be_visible()
    page.get_by_label("Priority").select_option("1")
    page.get_by_role("button", name="Set").click()
    expect(page.get_by_text("Priority set to top priority.")).to_be_visible()
    expect(page.get_by_role("cell", name="Voter file cleanup")).to_be_visible()
    _log_out(page)
    db.session.rollback()
    assert db.session.scalar(db.select(PartnerCampaign.priority_tier)) == 1

    _log_in(page, staff.email)
    page.goto("/staff/recruiting/")
    expect(page.get_by_text("Top priority")).to_be_visible()


def test_partner_invites_a_colleague_and_an_existing_campaign_which_accepts(page, db, make):
    pat = make.user("campaign", name="Pat Partner")
    partner = org_helpers.partner(make, name="Virginia House Caucus", member=pat)
    quinn = make.user("campaign", email="quinn@caucus.example.org", name="Quinn Colleague")
    owner = make.user("campaign", email="nia@nominee.example.org", name="Nia Nominee")
    campaign = make.campaign(owner, name="Nominee for Senate")
    make.project(campaign, status="recruiting", title="Voter file cleanup")

    _log_in(page, pat.email)
    page.goto(f"/partners/{partner.id}")
    page.get_by_role("link", name="Our team").click()
    page.get_by_label("Colleague's email").fill(quinn.email)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {quinn.email}.")).to_be_visible()
    page.goto(f"/partners/{partner.id}")
    page.get_by_text("Invite a campaign already on Barnstorm").click()
    page.get_by_label("Email of someone who runs the campaign").fill(owner.email)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to Nominee for Senate.")).to_be_visible()
    _log_out(page)

    # The campaign's owner follows the email to the campaign's page and accepts.
    db.session.rollback()
    mail = latest_email(owner.email, "notify:portfolio-invite:")
    _log_in(page, owner.email)
    page.goto(link_path(mail, f"/campaigns/{campaign.id}"))
    expect(page.get_by_text("invites your campaign into its portfolio")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Your campaign is now in Virginia House Caucus's portfolio.")).to_be_visible()
    _log_out(page)

    # The colleague joins through the emailed link and sees the campaign's project in the portfolio.
    _join_by_link(page, link_path(latest_email(quinn.email, "partner-invite:"), "/partners/join/"), quinn.email,
                  "Join Virginia House Caucus")
    expect(page.get_by_text("Welcome to Virginia House Caucus's team.")).to_be_visible()
    expect(page.get_by_role("heading", name="Nominee for Senate")).to_be_visible()
    expect(page.get_by_role("cell", name="Voter file cleanup")).to_be_visible()
