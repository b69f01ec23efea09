"""A volunteer on a phone browses recruiting projects, filters them and raises a hand."""
import pytest
from playwright.sync_api import expect

from app.models import HandRaise
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_browse_filter_and_raise_a_hand_on_a_phone(page, db, make):
    react = make.skill("React")
    make.project(make.campaign(make.user("campaign"), city=("Richmond", "VA")), skills=[(react, 3)],
                 status="recruiting", hours=4, title="Donation page")
    make.project(make.campaign(make.user("campaign"), city=("Seattle", "WA")), skills=[(react, 2)],
                 status="recruiting", hours=10, title="Volunteer app")
    vol = make.volunteer(city=("Norfolk", "VA"), skills=[(react, 3)])
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/auth/login")
    page.get_by_label("Email").fill(vol.email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Browse projects looking for volunteers").click()
    expect(page.get_by_role("heading", name="Volunteer app")).to_be_visible()
    page.get_by_text("Filter").click()
    page.get_by_label("At most h/week").fill("6")
    page.get_by_role("button", name="Show projects").click()
    expect(page.get_by_role("heading", name="Volunteer app")).to_have_count(0)
    page.get_by_role("button", name="Raise my hand").click()
    expect(page.get_by_text("You raised a hand.")).to_be_visible()
    # nothing on this page is wider than the phone (the site header is the layout's business)
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > 375).map(e => e.tagName)""")
    assert wide == []
    page.screenshot(path="tests/artifacts/raise-hand-phone.png", full_page=True)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(HandRaise)) == 1
