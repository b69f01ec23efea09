"""From an empty database to a running team, in Chromium: the production recipe (real `flask` CLI),
then a volunteer signs up, asks to lead, is invited to a training session that staff call off (from a
phone), is back in the queue, is invited to another (moved a day later), attends, is marked
lead-trained, is invited from the staff directory to a project, accepts, is named lead, and the
project becomes active. No demo data anywhere."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db as _db
from app.models import OutboxEmail, Project, TeamMembership, TrainingSession, User, VolunteerProfile
from app.models.base import utcnow
from tests import factories, recipe
from tests.browser.test_every_page import AXE, AXE_TAGS, OVERFLOW_JS
from tests.conftest import PG_URL, LiveServer, _make_app
from tests.mailbox import confirmation_path

pytestmark = pytest.mark.browser

ADMIN = "ada@campaign-tech.org"


@pytest.fixture
def fresh_site(tmp_path):
    url, drop = recipe.empty_database(PG_URL, tmp_path)
    recipe.run_recipe(url, tmp_path / "cli-instance", ADMIN)
    app = _make_app(url, tmp_path / "instance", SECRET_KEY=recipe.SECRET_KEY)
    ctx = app.app_context()
    ctx.push()
    server = LiveServer(app).start()
    yield server
    server.stop()
    _db.session.remove()
    _db.engine.dispose()
    ctx.pop()
    drop()


def _log_in(page, email, password):
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _log_out(page):
    page.get_by_role("button", name=re.compile(r"Log out")).click()


def _team_waiting_for_a_lead():
    """A campaign's approved project with two members already on it (made directly: the campaign side
    of the journey is covered by the scoping and recruiting journeys)."""
    campaign = factories.campaign(factories.user("campaign"), name="Reyes for Delegate")
    project = factories.project(campaign, status="recruiting", title="Online fundraising page", hours=4,
                                team_min=3, team_max=3)
    for _ in range(2):
        other = factories.volunteer()
        _db.session.add(TeamMembership(project_id=project.id, volunteer_id=other.volunteer_profile.id,
                                       hours_per_week=4))
    project.seats_filled = 2
    _db.session.commit()
    return project


def _schedule_and_invite_lena(page, days_ahead):
    page.get_by_role("button", name="Schedule a training session").click()
    page.get_by_label("Day").fill((utcnow() + timedelta(days=days_ahead)).date().isoformat())
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_label("Meeting link").fill("https://meet.example.org/lead-training")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Session scheduled")).to_be_visible()
    page.get_by_label(re.compile("Lena Lead")).check()
    page.get_by_role("button", name="Invite to this session").click()
    expect(page.get_by_text("Invited 1.")).to_be_visible()


def _call_off_on_a_phone(page):
    """On the session's page at 390 px: open the disclosure, give a reason, confirm with the labelled button."""
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()  # laid out for a phone from the start (the menu folds on load)
    page.get_by_text("The trainer cannot make it? Cancel the session").click()
    page.get_by_label("Why is it called off? (optional)").fill("Our trainer is ill.")
    button = page.get_by_role("button", name="Cancel this session and tell 1 person")
    assert button.bounding_box()["height"] >= 44
    assert page.evaluate(OVERFLOW_JS)["overflow"] <= 0
    assert _serious_axe_violations(page) == []
    page.screenshot(path="tests/artifacts/lead-journey-cancel-phone.png", full_page=True)
    button.click()
    expect(page.get_by_text("The session is cancelled. 1 invitee was told and is back in the queue.")).to_be_visible()
    assert page.evaluate(OVERFLOW_JS)["overflow"] <= 0
    page.set_viewport_size(size)


def _serious_axe_violations(page):
    with open(AXE, encoding="utf-8") as fh:
        page.evaluate(fh.read())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_from_an_empty_database_to_an_active_team_led_by_a_newly_trained_lead(browser, fresh_site):
    context = browser.new_context(base_url=fresh_site.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    # A volunteer signs up and confirms the address.
    page.goto("/auth/register")
    page.get_by_label("Your name").fill("Lena Lead")
    page.get_by_label("Email").fill("lena@example.org")
    page.locator("#password").fill("lena's long password")
    page.locator("#confirm").fill("lena's long password")
    page.get_by_role("button", name="Create my account").click()
    page.goto(confirmation_path("lena@example.org"))
    lena = _db.session.scalar(_db.select(User).where(User.email == "lena@example.org"))
    profile_id = lena.volunteer_profile.id

    # She asks to lead.
    page.goto("/volunteer/")
    page.get_by_role("link", name="Lead a team").click()
    page.get_by_label("Your experience").fill("I coordinated a five-person data team for a school board race.")
    page.get_by_role("button", name="I want to lead").click()
    expect(page.get_by_text("Staff will invite you to the next lead training session")).to_be_visible()
    _log_out(page)

    # The first admin (made by the recipe) schedules a session and invites her.
    _log_in(page, ADMIN, recipe.ADMIN_PASSWORD)
    page.get_by_role("link", name="Leads").click()
    expect(page.get_by_text("I coordinated a five-person data team")).to_be_visible()
    _schedule_and_invite_lena(page, days_ahead=1)
    _db.session.rollback()
    assert _db.session.scalar(_db.select(OutboxEmail).where(OutboxEmail.to_email == "lena@example.org",
                                                            OutboxEmail.subject.like("%lead training%")))

    # The trainer falls ill: the admin calls the session off from a phone; Lena is told.
    _call_off_on_a_phone(page)
    _db.session.rollback()
    assert _db.session.scalar(_db.select(OutboxEmail).where(OutboxEmail.to_email == "lena@example.org",
                                                            OutboxEmail.subject.like("Called off%")))
    _log_out(page)
    _log_in(page, "lena@example.org", "lena's long password")
    page.goto("/leads/apply")
    expect(page.get_by_text("was called off. You are back in the queue")).to_be_visible()
    expect(page.get_by_text("Our trainer is ill")).to_be_visible()
    _log_out(page)

    # She is invited to another session, without asking again.
    _log_in(page, ADMIN, recipe.ADMIN_PASSWORD)
    page.get_by_role("link", name="Leads").click()
    expect(page.locator(".badge-cancelled")).to_be_visible()  # the called-off session stays listed
    _schedule_and_invite_lena(page, days_ahead=2)
    page.locator("summary", has_text="Another day or time").click()  # and it moves a day later: she keeps her seat
    page.get_by_label("Day").fill((utcnow() + timedelta(days=3)).date().isoformat())
    page.get_by_role("button", name="Move the session").click()
    expect(page.get_by_text("The session is moved. 1 invitee told; they keep their seats.")).to_be_visible()

    # The clock moves to the session (a test controls time rather than waiting for it).
    _db.session.rollback()  # a fresh snapshot (SQLite keeps the old one for the whole transaction)
    session = _db.session.scalar(_db.select(TrainingSession).where(TrainingSession.status == "scheduled"))
    session.starts_at = utcnow() - timedelta(minutes=30)
    _db.session.commit()
    page.reload()
    page.get_by_role("button", name="Attended Lena Lead").click()
    expect(page.get_by_text("Attendance recorded")).to_be_visible()
    _db.session.rollback()
    assert _db.session.get(VolunteerProfile, profile_id).lead_trained

    # Staff find her in the directory and invite her to a project that needs a lead.
    project = _team_waiting_for_a_lead()
    page.get_by_role("link", name="Volunteers").click()
    page.get_by_label("Lead-trained").select_option("yes")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Lena Lead").click()
    expect(page.get_by_text("lena@example.org")).to_be_visible()
    page.get_by_label("Invite to a recruiting project").select_option(str(project.id))
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Lena Lead is invited to Online fundraising page")).to_be_visible()
    _log_out(page)

    # She accepts.
    _log_in(page, "lena@example.org", "lena's long password")
    page.goto("/volunteer/")
    page.get_by_role("link", name="Online fundraising page").click()
    page.get_by_role("button", name="Yes, I'm in").click()
    expect(page.get_by_text("You're on the team!")).to_be_visible()
    _log_out(page)

    # Staff name her lead: the team is complete and the project becomes active.
    _log_in(page, ADMIN, recipe.ADMIN_PASSWORD)
    page.goto(f"/staff/recruiting/projects/{project.id}")
    page.get_by_role("button", name="Name Lena Lead lead").click()
    expect(page.get_by_text("the project is active")).to_be_visible()
    _db.session.rollback()
    assert _db.session.get(Project, project.id).status == "active"
    _log_out(page)

    # On her workspace she sets the team's chat: the form comes when she opens "Change the links" (htmx).
    _log_in(page, "lena@example.org", "lena's long password")
    page.goto(f"/teams/{project.id}")
    page.get_by_text("Change the links", exact=True).click()
    page.get_by_label("Team chat").fill("https://chat.example.org/fundraising")
    page.get_by_role("button", name="Save links").click()
    expect(page.get_by_text("The team's links are saved.")).to_be_visible()
    expect(page.get_by_role("link", name="https://chat.example.org/fundraising")).to_be_visible()

    # Her workspace links the lead's guide.
    page.get_by_role("link", name="The lead's guide").click()
    expect(page.get_by_role("heading", name="Talking to the campaign")).to_be_visible()
    page.screenshot(path="tests/artifacts/lead-journey-guide.png", full_page=True)
    context.close()
    assert not errors, errors
