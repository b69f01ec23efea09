"""A full sprint in Chromium: the lead logs a check-in (at risk), the campaign acknowledges it,
staff see the health board change; screenshots of the dashboards are kept in tests/artifacts/."""
import os
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.models import CheckIn
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.integration.team_helpers import active_team

pytestmark = pytest.mark.browser


def _log_in(page, user):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _log_out(page):
    page.get_by_role("button", name=re.compile(r"^Log out")).click()


def _shot(page, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, name), full_page=True)


def _charts_drawn(page, count):
    expect(page.locator("canvas[data-drawn='1']")).to_have_count(count)


def test_a_full_sprint(page, db, make):
    team = active_team(make, weeks=4, start=date.today() - timedelta(days=3), title="Online fundraising page")
    project = team.project
    health_row = f"tr[data-project-id='{project.id}']"

    # Staff: the new project is healthy (nothing due yet).
    _log_in(page, team.staff)
    page.get_by_role("link", name="Health board", exact=True).click()
    expect(page.locator(health_row)).to_contain_text("Healthy")
    _log_out(page)

    # The lead logs the sprint 1 check-in: at risk.
    _log_in(page, team.lead)
    page.get_by_role("link", name="My teams").click()
    page.get_by_role("link", name="Online fundraising page").click()
    page.get_by_role("link", name="Log the sprint 1 check-in").click()
    page.get_by_label("At risk").check()
    page.get_by_label("What was done").fill("Designed the donation page; ActBlue form embedded.")
    page.get_by_label("What is next").fill("Launch and A/B test the ask amounts.")
    page.get_by_label("Blockers").fill("Waiting for the campaign's brand colours.")
    for m, hours in zip(team.memberships, ("6", "5", "4.5")):
        page.locator(f"#hours_{m.id}").fill(hours)
    d1, d2 = project.deliverables
    page.locator(f"#progress_{d1.id}").fill("40")
    page.locator(f"#progress_{d2.id}").fill("10")
    page.locator(f"#metric_{project.metrics[0].id}").fill("850")
    page.get_by_role("button", name="Log the check-in").click()
    expect(page.get_by_text("Sprint 1 check-in saved")).to_be_visible()
    page.get_by_role("link", name="Online fundraising page").click()
    expect(page.locator(".sprint-table")).to_contain_text("At risk")
    page.locator("#workspace-progress").scroll_into_view_if_needed()  # htmx loads it when revealed
    _charts_drawn(page, 2)
    _shot(page, "sprint-workspace.png")
    _log_out(page)

    db.session.rollback()
    checkin = db.session.scalar(db.select(CheckIn).where(CheckIn.project_id == project.id))
    assert checkin.status == "at_risk" and checkin.on_time and len(checkin.hours) == 3

    # The campaign acknowledges with a comment.
    _log_in(page, team.campaign_user)
    page.get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="Online fundraising page").click()
    expect(page.get_by_text(team.lead.email)).to_be_visible()
    page.get_by_role("link", name="Read", exact=True).click()
    expect(page.get_by_text("Waiting for the campaign's brand colours.")).to_be_visible()
    page.get_by_label("Comment (optional)").fill("Brand kit sent today — thank you!")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Sprint 1 check-in acknowledged")).to_be_visible()
    expect(page.locator(".ack")).to_contain_text("Acknowledged by Casey Campaign")
    _log_out(page)

    db.session.rollback()
    db.session.refresh(checkin)
    assert checkin.acknowledged_by_id == team.campaign_user.id
    assert checkin.campaign_comment == "Brand kit sent today — thank you!"

    # Staff: the board now shows the project at risk, on the overview first.
    _log_in(page, team.staff)
    expect(page.get_by_role("heading", name="Active projects needing attention")).to_be_visible()
    expect(page.locator(health_row)).to_contain_text("At risk")
    _charts_drawn(page, 1)
    _shot(page, "sprint-staff-dashboard.png")
    page.get_by_role("link", name="Health board", exact=True).click()
    expect(page.locator(health_row)).to_contain_text("At risk")
    expect(page.locator(health_row)).to_have_class(re.compile("health-at-risk"))
    _shot(page, "sprint-health-board.png")
    _log_out(page)

    # A member sees their commitments, the next due date and their hours so far.
    _log_in(page, team.members[1])
    expect(page.get_by_role("heading", name="My commitments")).to_be_visible()
    expect(page.get_by_role("heading", name="Upcoming check-ins")).to_be_visible()
    expect(page.get_by_role("heading", name="My history")).to_be_visible()
    _charts_drawn(page, 1)
    _shot(page, "sprint-volunteer-dashboard.png")
