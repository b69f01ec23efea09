"""Intake and scoping routes: every route with every role, forms that succeed and refuse, the audit trail."""
import re
from datetime import date, timedelta

import pytest

from app.extensions import db as _db
from app.models import AuditEntry, HelpRequest, Project, ProjectTemplate, Skill

ROLES = ("anonymous", "volunteer", "member", "other_member", "staff")


@pytest.fixture
def world(make, db):
    member = make.user("campaign", name="Maria Member")
    other_member = make.user("campaign")
    skill = make.skill("React")
    template = make.template(skills=[(skill, 3)], title="Online fundraising page", category="fundraising")
    campaign = make.campaign(member, name="Reyes for Delegate")
    other = make.campaign(other_member, name="Other campaign")
    req = HelpRequest(campaign_id=campaign.id, goals="Raise money online", categories=["fundraising"])
    other_req = HelpRequest(campaign_id=other.id, goals="Their secret plan", categories=["email"])
    db.session.add_all([req, other_req])
    db.session.commit()
    awaiting = make.project(campaign, skills=[(skill, 3)], status="awaiting_approval", help_request_id=req.id,
                            title="Donation page")
    draft = make.project(campaign, skills=[(skill, 3)], status="draft", title="Draft page")
    other_project = make.project(other, skills=[(skill, 3)], status="awaiting_approval", title="Their project")
    return {
        "users": {
            "volunteer": make.user("volunteer"), "member": member, "other_member": other_member,
            "staff": make.user("staff", name="Sam Staff"),
        },
        "c": campaign.id, "oc": other.id, "r": req.id, "or": other_req.id, "p": awaiting.id, "d": draft.id,
        "op": other_project.id, "t": template.id, "s": skill.id,
    }


def as_role(client, login, world, role):
    if role != "anonymous":
        login(world["users"][role])


# Expected status per role: anonymous, volunteer, member of this campaign, member of another, staff.
MEMBER_PAGE = (302, 403, 200, 404, 200)
STAFF_PAGE = (302, 403, 403, 403, 200)

GET_ROUTES = [
    ("/campaigns/{c}", MEMBER_PAGE),
    ("/campaigns/{c}/edit", MEMBER_PAGE),
    ("/campaigns/{c}/requests/new", MEMBER_PAGE),
    ("/campaigns/{c}/requests/{r}", MEMBER_PAGE),
    ("/campaigns/{c}/projects/{p}", MEMBER_PAGE),
    ("/campaigns/{c}/projects/{d}", MEMBER_PAGE),
    ("/campaigns/", (302, 403, 200, 200, 403)),
    # Another campaign's record under this campaign's id: nothing, for everyone.
    ("/campaigns/{c}/requests/{or}", (302, 403, 404, 404, 404)),
    ("/campaigns/{c}/projects/{op}", (302, 403, 404, 404, 404)),
    ("/staff/scoping/", STAFF_PAGE),
    ("/staff/scoping/?status=new&q=reyes", STAFF_PAGE),
    ("/staff/scoping/requests/{r}", STAFF_PAGE),
    ("/staff/scoping/requests/{r}/scope/{t}", STAFF_PAGE),
    ("/staff/scoping/projects/{p}", STAFF_PAGE),
    ("/staff/scoping/projects/{d}/edit", STAFF_PAGE),
    ("/staff/scoping/menu", STAFF_PAGE),
    ("/staff/scoping/menu/new", STAFF_PAGE),
    ("/staff/scoping/menu/{t}/edit", STAFF_PAGE),
    ("/staff/scoping/skills", STAFF_PAGE),
    ("/staff/scoping/skills/new", STAFF_PAGE),
    ("/staff/scoping/skills/{s}/edit", STAFF_PAGE),
]

POST_ROUTES = [
    ("/campaigns/{c}/requests/new", {"goals": "More volunteers", "categories": "email"}, (302, 403, 302, 404, 302)),
    ("/campaigns/{c}/projects/{p}/approve", {}, (302, 403, 302, 404, 403)),
    ("/campaigns/{c}/projects/{p}/changes", {"comment": "Earlier, please"}, (302, 403, 302, 404, 403)),
    ("/campaigns/{oc}/projects/{op}/approve", {}, (302, 403, 404, 302, 403)),
    ("/staff/scoping/requests/{r}/status", {"status": "in_conversation"}, (302, 403, 403, 403, 302)),
    ("/staff/scoping/projects/{d}/send", {}, (302, 403, 403, 403, 302)),
    ("/staff/scoping/projects/{p}/phone-approval", {"note": "By phone"}, (302, 403, 403, 403, 302)),
    ("/staff/scoping/menu/{t}/retire", {"retired": "1"}, (302, 403, 403, 403, 302)),
    ("/staff/scoping/skills/{s}/retire", {"retired": "1"}, (302, 403, 403, 403, 302)),
]


@pytest.mark.parametrize("path,expected", GET_ROUTES, ids=[p for p, _ in GET_ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_get_routes_by_role(client, login, world, path, expected, role):
    as_role(client, login, world, role)
    resp = client.get(path.format(**world))
    assert resp.status_code == expected[ROLES.index(role)]
    if resp.status_code == 404:
        body = resp.get_data(as_text=True)
        assert "Their secret plan" not in body and "Their project" not in body


@pytest.mark.parametrize("path,data,expected", POST_ROUTES, ids=[p for p, _, _ in POST_ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_post_routes_by_role(client, login, world, path, data, expected, role):
    as_role(client, login, world, role)
    before = _db.session.scalar(_db.select(_db.func.count()).select_from(AuditEntry))
    resp = client.post(path.format(**world), data=data)
    assert resp.status_code == expected[ROLES.index(role)]
    after = _db.session.scalar(_db.select(_db.func.count()).select_from(AuditEntry))
    if role == "anonymous" or resp.status_code in (403, 404):
        assert after == before  # refused: nothing written
        if role == "anonymous":
            assert "/auth/login" in resp.headers["Location"]
    else:
        assert after > before  # every change is in the audit log


# ---------------------------------------------------------------- campaign side


def test_member_submits_a_request(client, login, world, db):
    login(world["users"]["member"])
    resp = client.post(f"/campaigns/{world['c']}/requests/new", data={
        "goals": "Grow the email list to 5,000", "categories": ["email", "data"], "timing": "Before June",
        "desired_start": (date.today() + timedelta(days=10)).isoformat(), "constraints": "We use NGP VAN",
    }, follow_redirects=True)
    assert "your request is with our staff" in resp.get_data(as_text=True)
    req = db.session.scalars(db.select(HelpRequest).order_by(HelpRequest.id.desc())).first()
    assert req.campaign_id == world["c"] and req.categories == ["email", "data"] and req.status == "new"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "help_request.submitted"))
    assert entry.actor_id == world["users"]["member"].id and entry.object_id == req.id


def test_request_without_category_is_refused_keeping_input(client, login, world, db):
    login(world["users"]["member"])
    count = db.session.scalar(db.select(db.func.count()).select_from(HelpRequest))
    resp = client.post(f"/campaigns/{world['c']}/requests/new", data={"goals": "Grow the list", "timing": "June"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Tick at least one kind of help." in body
    assert "Grow the list" in body and "June" in body
    assert db.session.scalar(db.select(db.func.count()).select_from(HelpRequest)) == count


def test_dashboard_lists_requests_and_projects_with_status(client, login, world):
    login(world["users"]["member"])
    body = client.get("/campaigns/").get_data(as_text=True)
    assert "Donation page" in body and "badge-awaiting-approval" in body
    assert "badge-new" in body and "Online fundraising" in body
    assert "Draft page" not in body  # staff are still scoping it
    assert "Their project" not in body and "Other campaign" not in body


def test_scope_page_in_plain_language(client, login, world, db):
    login(world["users"]["member"])
    project = db.session.get(Project, world["p"])
    body = client.get(f"/campaigns/{world['c']}/projects/{world['p']}").get_data(as_text=True)
    assert "What the team will deliver" in body and "What the campaign provides" in body
    # The page names the last sprint's last day (the day before end_date, which is exclusive).
    last_day = project.end_date - timedelta(days=1)
    assert "6 h/week" in body and last_day.strftime("%b %-d, %Y") in body
    assert "check-in" in body and "Approve this scope" in body and "Ask for changes" in body
    assert "after election day" not in body


def test_scope_page_warns_when_ending_after_election(client, login, world, make, db):
    campaign = db.session.get(Project, world["p"]).campaign
    late = make.project(campaign, status="awaiting_approval", start_in_days=195, weeks=8)
    login(world["users"]["member"])
    body = client.get(f"/campaigns/{world['c']}/projects/{late.id}").get_data(as_text=True)
    assert "after election day" in body
    client.post("/auth/logout")
    login(world["users"]["staff"])
    assert "after election day" in client.get(f"/staff/scoping/projects/{late.id}").get_data(as_text=True)


def test_ask_for_changes_needs_a_comment(client, login, world, db):
    login(world["users"]["member"])
    resp = client.post(f"/campaigns/{world['c']}/projects/{world['p']}/changes", data={"comment": ""})
    assert resp.status_code == 422 and "Tell us what should change." in resp.get_data(as_text=True)
    assert db.session.get(Project, world["p"]).status == "awaiting_approval"
    client.post(f"/campaigns/{world['c']}/projects/{world['p']}/changes", data={"comment": "Add Spanish copy"})
    db.session.expire_all()
    assert db.session.get(Project, world["p"]).status == "changes_requested"
    body = client.get(f"/campaigns/{world['c']}/projects/{world['p']}").get_data(as_text=True)
    assert "Add Spanish copy" in body  # the history shows the conversation


def test_member_approves(client, login, world, db):
    login(world["users"]["member"])
    resp = client.post(f"/campaigns/{world['c']}/projects/{world['p']}/approve", follow_redirects=True)
    assert "Scope approved" in resp.get_data(as_text=True)
    db.session.expire_all()
    project = db.session.get(Project, world["p"])
    assert project.status == "approved" and project.approved_by_id == world["users"]["member"].id
    # Approving twice is refused with a message, not an error page.
    resp = client.post(f"/campaigns/{world['c']}/projects/{world['p']}/approve")
    assert resp.status_code == 422 and "not waiting for your approval" in resp.get_data(as_text=True)


def test_csrf_is_required_to_approve(csrf_app, make):
    member = make.user("campaign")
    campaign = make.campaign(member)
    project = make.project(campaign, status="awaiting_approval")
    client = csrf_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"csrf_token": token, "email": member.email, "password": make.PASSWORD})
    assert client.post(f"/campaigns/{campaign.id}/projects/{project.id}/approve").status_code == 400


# ---------------------------------------------------------------- staff side


def scope_form(world, **over):
    data = {
        "title": "Donation page for Reyes", "summary": "Take money online.", "deliverables": "Page live\nThank-you email",
        "campaign_provides": "Copy and an ActBlue account",
        "metrics-0-name": "Online donations", "metrics-0-unit": "$", "metrics-0-target": "5000",
        "metrics-1-name": "", "metrics-1-unit": "", "metrics-1-target": "",
        "skills-0-skill_id": str(world["s"]), "skills-0-level": "3", "skills-0-weight": "1",
        "skills-1-skill_id": "", "skills-1-level": "2", "skills-1-weight": "1",
        "team_min": "3", "team_max": "5", "hours_per_week": "6", "weeks": "6",
        "start_date": (date.today() + timedelta(days=7)).isoformat(), "previous_project_id": "",
    }
    data.update(over)
    return data


def test_scope_form_is_prefilled_from_the_menu_item(client, login, world):
    login(world["users"]["staff"])
    body = client.get(f"/staff/scoping/requests/{world['r']}/scope/{world['t']}").get_data(as_text=True)
    assert 'value="Online fundraising page"' in body and "First deliverable\nSecond deliverable" in body
    assert 'value="Online donations"' in body and f'<option selected value="{world["s"]}">' in body
    assert 'name="skills-3-skill_id"' in body  # spare rows


def test_staff_scope_a_project(client, login, world, db):
    login(world["users"]["staff"])
    resp = client.post(f"/staff/scoping/requests/{world['r']}/scope/{world['t']}", data=scope_form(world))
    assert resp.status_code == 302
    project = db.session.scalars(db.select(Project).order_by(Project.id.desc())).first()
    assert resp.headers["Location"].endswith(f"/staff/scoping/projects/{project.id}")
    assert project.title == "Donation page for Reyes" and project.status == "draft"
    assert [(m.name, m.unit, m.target) for m in project.metrics] == [("Online donations", "$", 5000.0)]
    assert len(project.skills) == 1 and project.help_request.status == "scoped"
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "project.scoped")).actor_id == \
        world["users"]["staff"].id
    body = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Send to the campaign for approval" in body


@pytest.mark.parametrize("over,message", [
    ({"weeks": "9"}, "A phase lasts 1 to 8 weeks; plan more work as a follow-on project."),
    ({"weeks": "0"}, "A phase lasts 1 to 8 weeks; plan more work as a follow-on project."),
    ({"team_min": "2"}, "A team has 3 to 5 members."),
    ({"start_date": (date.today() - timedelta(days=3)).isoformat()}, "The start date is in the past."),
    ({"skills-0-skill_id": ""}, "Add at least one skill the team needs."),
])
def test_scope_refused_beside_the_field_keeping_input(client, login, world, db, over, message):
    login(world["users"]["staff"])
    resp = client.post(f"/staff/scoping/requests/{world['r']}/scope/{world['t']}",
                       data=scope_form(world, title="My adapted title", **over))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and message in body and "field-error" in body
    assert 'value="My adapted title"' in body and 'value="Online donations"' in body
    assert db.session.scalar(db.select(db.func.count()).select_from(Project).where(Project.status == "draft")) == 1


def test_scope_ending_after_election_is_flagged(client, login, world, db):
    login(world["users"]["staff"])
    election = db.session.get(HelpRequest, world["r"]).campaign.election_date
    start = (election - timedelta(days=7)).isoformat()
    resp = client.post(f"/staff/scoping/requests/{world['r']}/scope/{world['t']}",
                       data=scope_form(world, start_date=start), follow_redirects=True)
    assert "after election day" in resp.get_data(as_text=True)


def test_edit_send_and_phone_approval(client, login, world, db):
    login(world["users"]["staff"])
    resp = client.post(f"/staff/scoping/projects/{world['d']}/edit", data=scope_form(world, weeks="4"))
    assert resp.status_code == 302
    client.post(f"/staff/scoping/projects/{world['d']}/send")
    db.session.expire_all()
    assert db.session.get(Project, world["d"]).status == "awaiting_approval"
    resp = client.post(f"/staff/scoping/projects/{world['d']}/phone-approval", data={"note": ""})
    assert resp.status_code == 422 and "Say who approved" in resp.get_data(as_text=True)
    client.post(f"/staff/scoping/projects/{world['d']}/phone-approval", data={"note": "Maria, by phone"})
    db.session.expire_all()
    project = db.session.get(Project, world["d"])
    assert project.status == "approved" and project.weeks == 4
    # An approved scope is frozen: the edit page sends staff back with a message.
    resp = client.get(f"/staff/scoping/projects/{world['d']}/edit", follow_redirects=True)
    assert "follow-on project" in resp.get_data(as_text=True)


def test_request_queue_filters_and_status(client, login, world, db):
    login(world["users"]["staff"])
    body = client.get("/staff/scoping/?q=reyes").get_data(as_text=True)
    assert "Reyes for Delegate" in body and "Other campaign" not in body
    body = client.get("/staff/scoping/?status=declined").get_data(as_text=True)
    assert "No request matches." in body
    resp = client.post(f"/staff/scoping/requests/{world['or']}/status", data={"status": "declined", "note": ""})
    assert resp.status_code == 422 and "Say why the request is declined" in resp.get_data(as_text=True)
    client.post(f"/staff/scoping/requests/{world['or']}/status", data={"status": "declined", "note": "Not our area"})
    body = client.get("/staff/scoping/?status=declined").get_data(as_text=True)
    assert "Other campaign" in body and "Reyes for Delegate" not in body


def test_menu_management_and_retiring(client, login, world, db):
    login(world["users"]["staff"])
    data = {k: v for k, v in scope_form(world, title="Peer-to-peer texting program", category="texting").items()
            if k not in ("start_date", "previous_project_id")}
    resp = client.post("/staff/scoping/menu/new", data={**data, "weeks": "12"})
    assert "A phase lasts 1 to 8 weeks" in resp.get_data(as_text=True)
    assert client.post("/staff/scoping/menu/new", data=data).status_code == 302
    template = db.session.scalar(db.select(ProjectTemplate).where(ProjectTemplate.slug == "peer-to-peer-texting-program"))
    assert template.category == "texting" and template.skills[0].level == 3
    assert client.post(f"/staff/scoping/menu/{template.id}/edit", data={**data, "hours_per_week": "4"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProjectTemplate, template.id).hours_per_week == 4
    assert "Peer-to-peer texting program" in client.get(f"/staff/scoping/requests/{world['r']}").get_data(as_text=True)
    client.post(f"/staff/scoping/menu/{template.id}/retire", data={"retired": "1"}, follow_redirects=True)
    assert "Peer-to-peer texting program" not in client.get(f"/staff/scoping/requests/{world['r']}").get_data(as_text=True)
    assert "Retired" in client.get("/staff/scoping/menu").get_data(as_text=True)
    actions = set(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_type == "ProjectTemplate")))
    assert actions == {"template.created", "template.updated", "template.retired"}


def test_skills_management(client, login, world, db):
    login(world["users"]["staff"])
    assert client.post("/staff/scoping/skills/new", data={"name": "Figma", "category": "design"}).status_code == 302
    resp = client.post("/staff/scoping/skills/new", data={"name": "react", "category": "engineering"})
    assert "already exists" in resp.get_data(as_text=True) and 'value="react"' in resp.get_data(as_text=True)
    figma = db.session.scalar(db.select(Skill).where(Skill.name == "Figma"))
    client.post(f"/staff/scoping/skills/{figma.id}/edit", data={"name": "Figma", "category": "design", "description": "UI"})
    client.post(f"/staff/scoping/skills/{figma.id}/retire", data={"retired": "1"})
    db.session.expire_all()
    figma = db.session.get(Skill, figma.id)
    assert figma.description == "UI" and figma.retired
    body = client.get("/staff/scoping/skills").get_data(as_text=True)
    assert "Design" in body and "Figma" in body


def test_staff_nav_shows_requests_and_menu(client, login, world):
    login(world["users"]["staff"])
    body = client.get("/staff/scoping/skills").get_data(as_text=True)
    assert 'href="/staff/scoping/"' in body and 'href="/staff/scoping/menu"' in body
