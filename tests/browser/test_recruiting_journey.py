"""Staff run matching, invite the suggested team, volunteers accept from their emails, the project goes live."""
import re

import pytest
from playwright.sync_api import expect

from app.models import Invitation, OutboxEmail, Project
from tests.factories import PASSWORD
from tests.mailbox import link_path

pytestmark = pytest.mark.browser


def _log_in(page, user):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_match_invite_accept_activate(page, db, make):
    react, copy = make.skill("React"), make.skill("Copywriting", category="design")
    staff = make.user("staff", name="Sam Staff")
    campaign = make.campaign(make.user("campaign"), city=("Richmond", "VA"), name="Spanberger for Delegate")
    project = make.project(campaign, skills=[(react, 3), (copy, 2)], status="approved", hours=6,
                           title="Online fundraising page", team_min=3, team_max=3)
    make.volunteer(city=("Richmond", "VA"), skills=[(react, 4), (copy, 3)], lead_trained=True)
    for city in (("Norfolk", "VA"), ("Arlington", "VA"), ("Baltimore", "MD"), ("Raleigh", "NC")):
        make.volunteer(city=city, skills=[(react, 3), (copy, 2)])

    _log_in(page, staff)
    page.get_by_role("link", name="Matching").click()
    page.get_by_role("link", name="Online fundraising page").click()
    page.get_by_role("button", name="Find volunteers").click()
    expect(page.locator(".eligible-summary")).to_contain_text("5 eligible volunteers")
    expect(page.locator("meter.score").first).to_be_visible()
    page.screenshot(path="tests/artifacts/recruiting-ranking.png", full_page=True)
    page.get_by_role("button", name=re.compile(r"Invite the suggested team")).click()
    expect(page.get_by_text(re.compile(r"Invited \d volunteers"))).to_be_visible()

    db.session.rollback()
    invitations = db.session.scalars(db.select(Invitation).where(Invitation.project_id == project.id)).all()
    assert len(invitations) == 3
    page.get_by_role("button", name=re.compile(r"Log out")).click()

    # Each volunteer follows the link in their email.
    for inv in invitations:
        mail = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == f"invite:{inv.id}"))
        path = link_path(mail, "/opportunities/link/")
        page.goto(path)
        expect(page.get_by_role("heading", name="Online fundraising page")).to_be_visible()
        expect(page.get_by_text("6 h/week")).to_be_visible()
        page.get_by_role("button", name="Yes, I'm in").click()
        expect(page.get_by_text("You're on the team!")).to_be_visible()

    _log_in(page, staff)
    page.goto(f"/staff/recruiting/projects/{project.id}")
    page.get_by_role("button", name=re.compile(r"^Name .* lead$")).first.click()
    expect(page.get_by_text("the project is active")).to_be_visible()
    db.session.rollback()
    project = db.session.get(Project, project.id)
    assert project.status == "active" and project.seats_filled == 3 and len(project.sprints) == project.weeks
