"""A member leaves mid-project, staff see "needs a replacement", invite the next candidate, who accepts:
the team is whole again, and the campaign and the lead were told each step, by email and in the app."""
import os
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from app.models import Invitation, OutboxEmail, Project, ProjectSkill, TeamMembership, VolunteerSkill
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.integration.team_helpers import active_team
from tests.mailbox import latest_email, link_path

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


def test_a_member_leaves_and_a_replacement_makes_the_team_whole(page, db, make):
    team = active_team(make, weeks=4, start=date.today() - timedelta(days=3), title="Online fundraising page")
    project, leaver = team.project, team.members[2]
    react = make.skill("React")
    db.session.add(ProjectSkill(project_id=project.id, skill_id=react.id, level=2, weight=1.0))
    for user in team.members:
        db.session.add(VolunteerSkill(volunteer_id=user.volunteer_profile.id, skill_id=react.id, level=3))
    db.session.commit()
    newcomer = make.volunteer(city=("Richmond", "VA"), skills=[(react, 3)], hours=12)

    # The member leaves from their workspace: a reason, a confirmation.
    _log_in(page, leaver)
    page.goto(f"/teams/{project.id}")
    page.get_by_role("button", name="Leave this team").click()  # a link styled as a button
    expect(page.get_by_role("heading", name="Leave this team")).to_be_visible()
    page.get_by_role("button", name="Leave this team").click()
    expect(page.locator("#confirm-error")).to_have_text("Tick the box to confirm.")  # nothing happens without it
    page.get_by_label("Why?").fill("A new job takes my evenings")
    page.get_by_label(re.compile("Yes: end this membership now")).check()
    page.get_by_role("button", name="Leave this team").click()
    expect(page.get_by_text("You have left the team.")).to_be_visible()
    _log_out(page)

    # Staff see it on the health board and find the next-ranked candidate for the open seats.
    _log_in(page, team.staff)
    page.goto("/teams/health")
    row = page.locator(f"tr[data-project-id='{project.id}']")
    expect(row).to_contain_text("Needs a replacement")
    _shot(page, "replacement-health-board.png")
    row.get_by_role("link", name="find one").click()
    expect(page.locator("#needs-replacement")).to_contain_text("2 active members (minimum 3)")
    expect(page.locator("#next-candidates")).to_contain_text(newcomer.name)
    page.locator("#next-candidates").get_by_role("button", name="Invite the next candidates").click()
    expect(page.get_by_text("Invited 1 volunteer.")).to_be_visible()
    _log_out(page)

    # The candidate accepts from the email link and is told who leads and which sprint they join.
    db.session.rollback()
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.volunteer_id == newcomer.volunteer_profile.id))
    page.goto(link_path(latest_email(newcomer.email, f"invite:{invitation.id}"), "/opportunities/link/"))
    page.get_by_role("button", name="Yes, I'm in").click()
    expect(page.get_by_text(f"{team.lead.name} leads it")).to_be_visible()
    expect(page.get_by_text("you join in sprint 1 of 4")).to_be_visible()

    # The team is whole again.
    db.session.rollback()
    project = db.session.get(Project, project.id)
    active = db.session.scalar(db.select(db.func.count()).select_from(TeamMembership).where(
        TeamMembership.project_id == project.id, TeamMembership.status == "active"))
    assert project.status == "active" and project.seats_filled == active == 3
    _log_in(page, team.staff)
    page.goto("/teams/health")
    expect(page.locator(f"tr[data-project-id='{project.id}']")).not_to_contain_text("Needs a replacement")
    _log_out(page)

    # The lead and the campaign were told both steps, in the app and by email.
    left = f"{leaver.name} left the Online fundraising page team"
    joined = f"{newcomer.name} joined Online fundraising page as a replacement"
    for person, left_subject in ((team.lead, left), (team.campaign_user, "A volunteer left the Online fundraising page team")):
        _log_in(page, person)
        page.get_by_role("link", name=re.compile(r"^Notifications")).click()
        expect(page.get_by_text(left_subject)).to_be_visible()
        expect(page.get_by_text(joined)).to_be_visible()
        _shot(page, f"replacement-notifications-{person.role}.png")
        _log_out(page)
        subjects = set(db.session.scalars(db.select(OutboxEmail.subject).where(OutboxEmail.to_email == person.email)))
        assert {left_subject, joined} <= subjects, subjects
    assert "A new job takes my evenings" in latest_email(team.lead.email, "notify:member-left:").text_body
