"""A campaign asks for help, staff scope a project from the menu, the campaign approves it, in real Chromium."""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.models import Campaign, HelpRequest, Project
from tests.factories import PASSWORD
from tests.mailbox import confirmation_path

pytestmark = pytest.mark.browser


def _log_in(page, email, password=PASSWORD):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_request_scope_approve(page, db, make):
    react, copy = make.skill("React"), make.skill("Copywriting", category="design")
    make.template(skills=[(react, 3), (copy, 2)], title="Online fundraising page", category="fundraising",
                  weeks=6, hours=6, team_min=3, team_max=4)
    make.template(title="Volunteer CRM cleanup", category="crm")
    staff = make.user("staff", name="Sam Staff")

    # A campaign member joins, registers the campaign and asks for help.
    page.goto("/")
    page.get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("a member of a campaign's staff").check()
    page.get_by_label("Your name").fill("Maria Reyes")
    page.get_by_label("Email").fill("maria@reyes.example.org")
    page.locator("#password").fill("knock-doors-2026")
    page.get_by_label("Repeat password").fill("knock-doors-2026")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    db.session.rollback()
    page.goto(confirmation_path("maria@reyes.example.org"))
    expect(page.get_by_role("heading", name="Register your campaign")).to_be_visible()
    page.get_by_label("Campaign name").fill("Reyes for Delegate")
    page.get_by_label("Candidate").fill("Maria Reyes")
    page.get_by_label("Office sought").fill("House of Delegates, District 68")
    page.get_by_label("Level").select_option("state")
    page.get_by_label("City", exact=False).first.fill("Richmond")
    page.locator("#state").select_option("VA")
    page.get_by_label("District").fill("68")
    page.get_by_label("Election date").fill((date.today() + timedelta(days=150)).isoformat())
    page.get_by_label("Website").fill("https://reyes.example.org")
    page.get_by_role("button", name="Register the campaign").click()
    expect(page.get_by_text("Reyes for Delegate is registered.")).to_be_visible()

    page.get_by_role("link", name="Ask for help").click()
    page.get_by_label("What do you want to achieve?").fill("Raise $20,000 online before the primary.")
    page.get_by_role("button", name="Send the request").click()
    # Refused beside the field, and the goals are still there.
    expect(page.get_by_text("Tick at least one kind of help.", exact=True)).to_be_visible()
    expect(page.get_by_label("What do you want to achieve?")).to_have_value("Raise $20,000 online before the primary.")
    page.get_by_label("Online fundraising").check()
    page.get_by_label("Earliest start").fill((date.today() + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("your request is with our staff")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Log out")).click()

    # Staff open the request and scope a project from the menu.
    _log_in(page, staff.email)
    page.get_by_role("link", name="Requests", exact=True).click()
    page.get_by_role("link", name="Reyes for Delegate").click()
    expect(page.get_by_text("Raise $20,000 online before the primary.")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Scope from this\W+Online fundraising page$")).click()
    expect(page.get_by_label("Title")).to_have_value("Online fundraising page")
    page.get_by_label("Weeks").fill("9")
    page.get_by_role("button", name="Create the draft project").click()
    expect(page.get_by_text("A phase lasts 1 to 8 weeks; plan more work as a follow-on project.", exact=True)).to_be_visible()
    page.get_by_label("Title").fill("Donation page for Reyes")
    page.get_by_label("Weeks").fill("5")
    page.get_by_label("Start date").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Create the draft project").click()
    expect(page.get_by_text("Project scoped as a draft")).to_be_visible()
    page.get_by_role("button", name="Send to the campaign for approval").click()
    expect(page.get_by_text("Sent to the campaign for approval; we emailed them a link to review it.")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Log out")).click()

    # The member reads the scope in plain language and approves it.
    _log_in(page, "maria@reyes.example.org", "knock-doors-2026")
    expect(page.get_by_text("1 scope waiting for your approval.")).to_be_visible()
    page.get_by_role("link", name="Donation page for Reyes").click()
    expect(page.get_by_role("heading", name="What the team will deliver")).to_be_visible()
    expect(page.get_by_text("6 h/week")).to_be_visible()
    page.get_by_role("button", name="Approve this scope").click()
    expect(page.get_by_text("Scope approved.")).to_be_visible()

    db.session.rollback()
    campaign = db.session.scalar(db.select(Campaign).where(Campaign.name == "Reyes for Delegate"))
    project = db.session.scalar(db.select(Project).where(Project.campaign_id == campaign.id))
    request = db.session.scalar(db.select(HelpRequest).where(HelpRequest.campaign_id == campaign.id))
    assert project.status == "approved" and project.weeks == 5 and project.team_max == 4
    assert project.end_date == project.start_date + timedelta(weeks=5)
    assert request.status == "scoped" and project.help_request_id == request.id
