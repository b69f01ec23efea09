"""The staff directory of volunteers and a volunteer's staff profile: filters done in the database,
a query count that does not grow with the page, emails only for staff, inviting from the directory."""
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.extensions import db as _db
from app.models import Invitation, Project, Rating, TeamMembership
from app.models.base import utcnow
from app.pool import directory
from tests.integration.lead_world import ROLES, lead_world


@pytest.fixture
def world(make):
    w = lead_world(make)
    campaign = make.campaign(make.user("campaign"), name="Reyes for Delegate")
    project = make.project(campaign, status="recruiting", title="Donation page", hours=6)
    _db.session.add(TeamMembership(project_id=project.id, volunteer_id=w["tv"], hours_per_week=6, is_lead=True))
    done = make.project(campaign, status="completed", title="Voter file clean-up")
    _db.session.add(TeamMembership(project_id=done.id, volunteer_id=w["v"], hours_per_week=4, status="completed"))
    _db.session.add(Rating(project_id=done.id, rater_id=w["users"]["campaign"].id, kind="campaign", score=5,
                           comment="Saved our field program"))
    approved = make.project(campaign, status="approved", title="Texting program", hours=4)
    _db.session.commit()
    w.update(p=project.id, done=done.id, approved=approved.id)
    return w


def as_role(login, world, role):
    if role != "anonymous":
        login(world["users"][role])


STAFF_ONLY = (302, 403, 403, 200, 200, 403)
GET_ROUTES = [
    ("/staff/volunteers/", STAFF_ONLY),
    ("/staff/volunteers/?q=ana&state=VA&lead_trained=no&paused=no&active_within=30&min_free_hours=2", STAFF_ONLY),
    ("/staff/volunteers/{v}", STAFF_ONLY),
    ("/staff/volunteers/{tv}", STAFF_ONLY),
    ("/staff/volunteers/999999", (302, 403, 403, 404, 404, 403)),
    ("/staff/volunteers/lead-of/{p}", (302, 403, 403, 302, 302, 403)),
    ("/staff/volunteers/lead-of/{done}", (302, 403, 403, 404, 404, 403)),
]


def _fill(text, world):
    return text.format(**{k: v for k, v in world.items() if isinstance(v, int)})


@pytest.mark.parametrize("url,expected", GET_ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_with_every_role_and_emails_only_for_staff(client, login, world, url, expected, role):
    as_role(login, world, role)
    resp = client.get(_fill(url, world))
    assert resp.status_code == expected[ROLES.index(role)]
    body = resp.get_data(as_text=True)
    if role not in ("staff", "admin"):
        assert "ana@example.org" not in body and "theo@example.org" not in body


@pytest.mark.parametrize("role", ROLES)
def test_invite_from_the_profile_with_every_role(client, login, world, role):
    as_role(login, world, role)
    resp = client.post(f"/staff/volunteers/{world['v']}/invite", data={"project_id": world["approved"]})
    assert resp.status_code == STAFF_ONLY[ROLES.index(role)] if role not in ("staff", "admin") else 302
    invited = _db.session.scalar(_db.select(Invitation).where(Invitation.volunteer_id == world["v"]))
    assert (invited is not None) == (role in ("staff", "admin"))


def test_staff_see_the_email_in_the_directory_and_the_trainer_never_does(client, login, world, app):
    login(world["users"]["staff"])
    assert "ana@example.org" in client.get("/staff/volunteers/").get_data(as_text=True)
    trainer = app.test_client()
    login(world["users"]["trainer"], c=trainer)
    body = trainer.get(f"/leads/sessions/{world['own']}").get_data(as_text=True)
    assert world["applicant"].name in body and "ana@example.org" not in body


def test_the_profile_shows_history_ratings_commitments_invitations_and_lead_status(client, login, world):
    login(world["users"]["staff"])
    client.post(f"/staff/volunteers/{world['v']}/invite", data={"project_id": world["approved"]})
    body = client.get(f"/staff/volunteers/{world['v']}").get_data(as_text=True)
    for text in ("Voter file clean-up", "Reyes for Delegate", "5/5", "Saved our field program",
                 "Invited to Texting program", "I ran a team of five at work.", "Not lead-trained",
                 "10 h/week offered", "ana@example.org"):
        assert text in body, text
    body = client.get(f"/staff/volunteers/{world['tv']}").get_data(as_text=True)
    assert "Donation page" in body and "lead-trained" in body and "trainer" in body and "4 free" in body


def test_inviting_from_the_directory_follows_the_match_run_rules(client, login, world, make):
    login(world["users"]["staff"])
    busy = make.volunteer(hours=5)
    resp = client.post(f"/staff/volunteers/{busy.volunteer_profile.id}/invite", data={"project_id": world["p"]},
                       follow_redirects=True)
    assert "has 5 h/week free; Donation page needs 6" in resp.get_data(as_text=True)
    paused = make.volunteer(paused=True)
    resp = client.post(f"/staff/volunteers/{paused.volunteer_profile.id}/invite", data={"project_id": world["p"]},
                       follow_redirects=True)
    assert "Not invited: paused" in resp.get_data(as_text=True)
    resp = client.post(f"/staff/volunteers/{world['v']}/invite", data={"project_id": world["done"]},
                       follow_redirects=True)
    assert "Choose a project that is recruiting" in resp.get_data(as_text=True)
    client.post(f"/staff/volunteers/{world['v']}/invite", data={"project_id": world["approved"]})
    invitation = _db.session.scalar(_db.select(Invitation).where(Invitation.volunteer_id == world["v"]))
    assert invitation.project_id == world["approved"] and invitation.invited_by_id == world["users"]["staff"].id
    assert _db.session.get(Project, world["approved"]).status == "recruiting"  # as after a match run's invitations
    resp = client.post(f"/staff/volunteers/{world['v']}/invite", data={"project_id": world["approved"]},
                       follow_redirects=True)
    assert "Not invited: already invited" in resp.get_data(as_text=True)  # the invitation service's rule


def test_filters(world, make):
    skill = make.skill("React")
    now = utcnow()
    fits = make.volunteer(city=("Denver", "CO"), hours=12, skills=[(skill, 3)])
    fits.last_login_at = now - timedelta(days=10)
    make.volunteer(city=("Denver", "CO"), hours=12, skills=[(skill, 1)])  # level too low
    make.volunteer(city=("Richmond", "VA"), hours=12, skills=[(skill, 4)])  # elsewhere
    _db.session.commit()

    def names(**args):
        return [r["name"] for r in directory.search(directory.parse_filters(args), now=now).rows]

    assert names(skill_id=str(skill.id), min_level="3", state="CO") == [fits.name]
    assert names(skill_id=str(skill.id), min_level="3", state="co", city="Denver", active_within="30") == [fits.name]
    assert names(skill_id=str(skill.id), active_within="7") == []
    # Free hours subtract active commitments: the trainer offers 10 and leads a 6 h/week project.
    trainer_name = world["users"]["trainer"].name
    assert trainer_name in names(lead_trained="yes", min_free_hours="4")
    assert trainer_name not in names(lead_trained="yes", min_free_hours="5")
    assert trainer_name not in names(lead_trained="no")
    assert names(paused="yes") == []
    f = directory.parse_filters({"state": "ZZ", "min_free_hours": "99", "page": "x"})
    assert set(f.errors) == {"state", "min_free_hours", "page"} and f.state == "" and f.page == 1


def test_one_query_count_for_any_page_size(app, world, make):
    for _ in range(45):
        make.volunteer(skills=[(make.skill(), 2), (make.skill(), 3)])
    counts = {}
    for per_page in (5, 40):
        statements = []

        def on(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", on)
        try:
            page = directory.search(directory.parse_filters({"per_page": str(per_page)}))
        finally:
            event.remove(_db.engine, "before_cursor_execute", on)
        assert len(page.rows) == per_page and all(r["skills"] for r in page.rows)
        counts[per_page] = len([s for s in statements if s.lstrip().upper().startswith("SELECT")])
    assert counts[5] == counts[40] == 3, counts  # the count, the page's rows, the page's skills
