"""XSS payloads in every user text field stay inert on every page that shows them."""
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Campaign, CheckIn, CheckInNote, Deliverable, FinalReport, HelpRequest, Invitation, Metric, Project,
    ProjectTemplate, Rating, Skill, User, VolunteerProfile,
)
from tests.integration.security_world import ROLES, build_world, url_for_rule
from tests.mailbox import confirmation_path

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
# What must never reach a page unescaped (a tag a browser would parse from user text).
RAW = re.compile(r"<script>alert\(1\)</script>|<img src=x onerror=alert\(1\)>")

# Every free-text column people type into (names, profiles, campaigns, requests, scopes, check-ins,
# comments, notes, ratings, reports). Enumerated columns (status, state, role...) cannot hold text.
TEXT_FIELDS = {
    User: ("name",),
    VolunteerProfile: ("headline", "bio", "links", "home_city", "current_city"),
    Campaign: ("name", "candidate_name", "office", "district", "description"),
    HelpRequest: ("goals", "timing", "constraints", "staff_notes"),
    Project: ("title", "summary", "campaign_provides", "approval_note"),
    ProjectTemplate: ("title", "summary", "campaign_provides"),
    Deliverable: ("title",),
    Metric: ("name",),
    Skill: ("name", "description"),
    CheckIn: ("done", "next_steps", "blockers", "campaign_comment"),
    CheckInNote: ("body",),
    Invitation: ("decline_reason",),
    FinalReport: ("deliverables_done", "metrics_reached", "handover_notes"),
    Rating: ("comment",),
}


def _poison_everything(world):
    team = world.team
    db.session.add(FinalReport(project_id=team.project.id, author_id=team.lead.id))
    db.session.add(Rating(project_id=team.project.id, rater_id=team.campaign_user.id, kind="campaign", score=4))
    db.session.flush()
    for model, fields in TEXT_FIELDS.items():
        for row in db.session.scalars(sa.select(model)):
            for i, name in enumerate(fields):
                # Both payloads, and a row id so unique names stay unique.
                setattr(row, name, f"{PAYLOADS[i % 2]} {PAYLOADS[(i + 1) % 2]} #{row.id}"[
                    : getattr(model.__table__.c, name).type.length or None])
    db.session.commit()


def _check(resp, where, problems, seen):
    if "html" not in resp.content_type:
        return
    body = resp.get_data(as_text=True)
    if RAW.search(body):
        problems.append(f"{where}: a payload is rendered as HTML")
    if "&lt;script&gt;alert(1)&lt;/script&gt;" in body or "&#34;&gt;&lt;img src=x" in body:
        seen.add(where)


@pytest.mark.parametrize("role", ROLES)
def test_payloads_stored_in_every_text_field_are_escaped_on_every_page(app, client, make, role):
    world = build_world(make)
    _poison_everything(world)
    world.login_as(client, role)
    problems, seen = [], set()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            url = url_for_rule(rule, world.params)
            resp = client.get(url, follow_redirects=True)
            _check(resp, f"GET {url} as {role}", problems, seen)
    assert not problems, "\n".join(problems)
    if role != "anonymous":
        assert seen, "no page showed the payloads at all: the test would prove nothing"


def test_payloads_submitted_through_the_forms_are_escaped(app, client, make):
    """The same, typed into the real forms: name at sign-up, campaign, help request, note, comment."""
    world = build_world(make)
    p, c = world.params["project_id"], world.params["campaign_id"]
    script, img = PAYLOADS
    problems, seen = [], set()

    resp = client.post("/auth/register", data={
        "name": script, "email": "xss@example.org", "password": "a-long-enough-password",
        "confirm": "a-long-enough-password", "role": "campaign"})
    assert resp.status_code == 302
    assert client.get(confirmation_path("xss@example.org")).status_code == 302  # the emailed link logs in
    resp = client.post("/campaigns/new", data={
        "name": img, "candidate_name": script, "office": img, "office_level": "state", "state": "VA",
        "district": script, "city": "Richmond", "timezone": "America/New_York", "election_date": "2099-11-03",
        "website": "", "description": img})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    new_campaign = resp.headers["Location"]
    resp = client.post(f"{new_campaign}/requests/new", data={
        "goals": script, "categories": ["website"], "timing": img, "constraints": script})
    assert resp.status_code == 302
    for path in (new_campaign, "/campaigns/", f"{new_campaign}/edit"):
        _check(client.get(path), path, problems, seen)
    # A validation error re-renders what was typed: escaped there too.
    resp = client.post(f"{new_campaign}/edit", data={"name": img, "city": script, "election_date": "bad"})
    _check(resp, "campaign form with errors", problems, seen)
    client.post("/auth/logout")

    world.login_as(client, "volunteer")
    assert client.post(f"/teams/{p}/sprints/1/notes", data={"body": img}).status_code == 302
    client.post("/auth/logout")
    world.login_as(client, "campaign")
    assert client.post(f"/teams/{p}/sprints/1/acknowledge", data={"comment": script}).status_code == 302
    for path in (f"/teams/{p}/sprints/1", f"/teams/{p}", f"/campaigns/{c}"):
        _check(client.get(path), path, problems, seen)
    client.post("/auth/logout")

    world.login_as(client, "staff")
    for path in ("/staff/scoping/", "/staff/", f"/teams/{p}/sprints/1"):
        _check(client.get(path), path, problems, seen)
    assert not problems, "\n".join(problems)
    assert len(seen) >= 5, seen


def test_campaign_website_must_be_a_web_address(client, make):
    """A javascript: (or javascript://) URL in an href runs on click; only http(s) links are kept."""
    user = make.user("campaign")
    client.post("/auth/login", data={"email": user.email, "password": make.PASSWORD})
    form = {"name": "C", "candidate_name": "K", "office": "Mayor", "office_level": "municipal", "state": "VA",
            "city": "Richmond", "timezone": "America/New_York", "election_date": "2099-11-03"}
    for bad in ("javascript://example.com/%0Aalert(1)", "data://example.com/x", "ftp://example.com/x"):
        resp = client.post("/campaigns/new", data={**form, "website": bad})
        assert resp.status_code == 200, bad
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0
    resp = client.post("/campaigns/new", data={**form, "website": "https://example.com/"})
    assert resp.status_code == 302
