"""Keyboard only, on a phone-sized screen: a volunteer accepts an invitation and a lead logs a
check-in with Tab, Enter, Space and typing; no mouse click anywhere."""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.models import CheckIn, Invitation, TeamMembership
from app.opportunities.services import invite_volunteers
from tests.factories import PASSWORD
from tests.integration.team_helpers import active_team

pytestmark = pytest.mark.browser
FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el) return '';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return (el.getAttribute('aria-label') || label || el.innerText || el.value || '').trim().replace(/\\s+/g, ' ');
}"""


def tab_to(page, pattern, limit=80):
    """Press Tab until the focused element's name matches `pattern`; fails if it never does."""
    page.wait_for_load_state()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if re.search(pattern, page.evaluate(FOCUSED_NAME)):
            return
    raise AssertionError(f"Tab never reached {pattern!r}")


def log_in_by_keyboard(page, user):
    page.goto("/auth/login")
    tab_to(page, "^Email")
    page.keyboard.type(user.email)
    tab_to(page, "^Password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/auth/login" not in url)


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_volunteer_accepts_an_invitation_with_the_keyboard(phone_page, db, make):
    page = phone_page
    staff = make.user("staff")
    skill = make.skill("React")
    project = make.project(make.campaign(make.user("campaign")), skills=[(skill, 2)], status="approved",
                           title="Volunteer phone bank app")
    volunteer = make.volunteer(skills=[(skill, 3)], hours=20)
    invite_volunteers(staff, project, [volunteer.volunteer_profile.id])

    log_in_by_keyboard(page, volunteer)
    tab_to(page, "^Volunteer phone bank app")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Yes, I'm in")).to_be_visible()
    tab_to(page, "^Yes, I'm in")
    page.keyboard.press("Space")  # a real button answers Space as well as Enter
    expect(page.get_by_text("You're on the team!")).to_be_visible()

    db.session.rollback()
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.project_id == project.id))
    assert invitation.status == "accepted"
    assert db.session.scalar(db.select(TeamMembership).where(TeamMembership.project_id == project.id))


def test_a_lead_logs_a_check_in_with_the_keyboard(phone_page, db, make):
    page = phone_page
    team = active_team(make, weeks=4, start=date.today() - timedelta(days=3), title="Online fundraising page")
    log_in_by_keyboard(page, team.lead)
    # The folded menu opens from the keyboard.
    tab_to(page, "^Menu")
    page.keyboard.press("Enter")
    for link in ("^My teams", "^Online fundraising page", "^Log the sprint 1 check-in"):
        tab_to(page, link)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log the check-in")).to_be_visible()

    tab_to(page, "^On track")  # a radio group is one Tab stop; the arrow keys choose inside it
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("At risk")).to_be_checked()
    tab_to(page, "^What was done")
    page.keyboard.type("Donation page designed.")
    tab_to(page, "^What is next")
    page.keyboard.type("Launch it.")
    tab_to(page, "^Hours")  # pre-filled with each member's commitment; the first is typed over
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    tab_to(page, "^Log the check-in")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Sprint 1 check-in saved")).to_be_visible()

    db.session.rollback()
    checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.project_id == team.project.id))
    assert checkin.status == "at_risk" and checkin.done == "Donation page designed."
    assert sorted(float(h.hours) for h in checkin.hours) == [5.0, 6.0, 6.0]
