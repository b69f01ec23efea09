"""The OSDI API: key auth, scopes, organisation walls, consent, paging, errors, audit, rate limits."""
import pytest

from app.extensions import db
from app.models import ApiKey, AuditEntry, User
from app.orgs import keys
from app.orgs.scope import Org
from tests.integration import org_helpers
from tests.mailbox import latest_email, link_path

HAL = "application/hal+json"


@pytest.fixture
def world(make):
    return org_helpers.build(make)


def _get(client, path, key):
    return client.get(f"/api/v1{path}", headers={"OSDI-API-Token": key} if key else {})


def test_no_key_bad_key_and_revoked_key_are_refused_in_osdi_form(client, world):
    for key in (None, "bsk_nope_nope", world.keys["campaign_read"][:-2] + "xx"):
        resp = _get(client, "/people", key)
        assert resp.status_code == 401 and resp.mimetype == HAL
        assert resp.json["osdi:error"]["response_code"] == 401
    row = db.session.scalar(db.select(ApiKey).where(ApiKey.name == "campaign_read"))
    keys.revoke_key(world.team.campaign_user, Org("campaign", world.team.campaign.id), row.id)
    assert _get(client, "/people", world.keys["campaign_read"]).status_code == 401


def test_key_is_stored_only_as_a_hash(world):
    for clear in world.keys.values():
        assert db.session.scalar(db.select(db.func.count(ApiKey.id)).where(ApiKey.key_hash == clear)) == 0
    assert all(k.key_hash and len(k.key_hash) == 64 for k in db.session.scalars(db.select(ApiKey)))


def test_people_are_only_the_consented_contacts_of_my_organisation(client, world):
    body = _get(client, "/people", world.keys["campaign_read"]).json
    emails = [p["email_addresses"][0]["address"] for p in body["_embedded"]["osdi:people"]]
    assert emails == [world.consenting.email]
    assert body["total_records"] == 1 and body["_links"]["osdi:people"]
    silent_id = world.silent.volunteer_profile.id
    assert _get(client, f"/people/{silent_id}", world.keys["campaign_read"]).status_code == 404
    # the partner with this campaign in its portfolio sees the same consented person
    partner_people = _get(client, "/people", world.keys["partner_read"]).json["_embedded"]["osdi:people"]
    assert [p["id"] for p in partner_people] == [str(world.consenting.volunteer_profile.id)]
    # another campaign's key sees its own consented volunteer, never ours
    other = _get(client, "/people", world.keys["other_read"]).json["_embedded"]["osdi:people"]
    assert world.consenting.email not in str(other)
    assert _get(client, f"/people/{world.consenting.volunteer_profile.id}", world.keys["other_read"]).status_code == 404


def test_projects_checkins_requests_stay_behind_the_organisation_wall(client, world):
    pid = world.team.project.id
    mine = _get(client, "/projects", world.keys["campaign_read"]).json
    assert [p["id"] for p in mine["_embedded"]["barnstorm:projects"]] == [str(pid)]
    assert _get(client, f"/projects/{pid}/sprints", world.keys["campaign_read"]).json["total_records"] == 3
    assert _get(client, f"/projects/{pid}/check_ins", world.keys["partner_read"]).status_code == 200
    for path in (f"/projects/{pid}", f"/projects/{pid}/sprints", f"/projects/{pid}/check_ins",
                 f"/tags/project-{pid}", f"/tags/project-{pid}/taggings"):
        assert _get(client, path, world.keys["other_read"]).status_code == 404, path
    theirs = _get(client, "/help_requests", world.keys["other_read"]).json["_embedded"]["barnstorm:help_requests"]
    assert [r["goals"] for r in theirs] == ["Other goals"]


def test_tags_and_taggings(client, world, make):
    skill = make.skill("React")
    profile = world.consenting.volunteer_profile
    from app.models import VolunteerSkill

    db.session.add(VolunteerSkill(volunteer_id=profile.id, skill_id=skill.id, level=3))
    db.session.commit()
    key = world.keys["campaign_read"]
    tag_ids = [t["id"] for t in _get(client, "/tags", key).json["_embedded"]["osdi:tags"]]
    assert f"skill-{skill.id}" in tag_ids and f"project-{world.team.project.id}" in tag_ids
    taggings = _get(client, f"/tags/skill-{skill.id}/taggings", key).json["_embedded"]["osdi:taggings"]
    assert [t["_links"]["osdi:person"]["href"] for t in taggings] == [f"/api/v1/people/{profile.id}"]
    one = _get(client, taggings[0]["_links"]["self"]["href"].removeprefix("/api/v1"), key)
    assert one.status_code == 200
    team_tag = _get(client, f"/tags/project-{world.team.project.id}/taggings", key).json
    assert team_tag["total_records"] == 1  # the team has 3 members; one consented
    mine = _get(client, f"/people/{profile.id}/taggings", key).json
    assert {t["id"] for t in mine["_embedded"]["osdi:taggings"]} == {
        f"skill-{skill.id}.{profile.id}", f"project-{world.team.project.id}.{profile.id}"}


def test_paging_links_and_bad_paging(client, world):
    key = world.keys["campaign_read"]
    first = _get(client, f"/projects/{world.team.project.id}/sprints?per_page=2", key).json
    assert first["total_pages"] == 2 and first["page"] == 1 and "next" in first["_links"]
    second = client.get(first["_links"]["next"]["href"], headers={"OSDI-API-Token": key}).json
    assert second["page"] == 2 and len(second["_embedded"]["barnstorm:sprints"]) == 1 and "prev" in second["_links"]
    bad = _get(client, "/people?page=0", key)
    assert bad.status_code == 400 and bad.json["osdi:error"]["resource_status"][0]["error_descriptions"][0][
        "properties"] == ["page"]


def test_unknown_paths_and_methods_answer_osdi_errors(client, world):
    key = world.keys["campaign_read"]
    assert _get(client, "/nothing-here", key).json["osdi:error"]["response_code"] == 404
    resp = client.delete("/api/v1/people", headers={"OSDI-API-Token": key})
    assert resp.status_code == 405 and resp.mimetype == HAL and "GET" in resp.headers["Allow"]


def test_person_signup_helper_emails_and_creates_nothing_until_confirmed(client, world):
    body = {"person": {"given_name": "Rae", "family_name": "Referred",
                       "email_addresses": [{"address": "Rae@Example.org", "primary": True}]}, "add_tags": []}
    url = "/api/v1/people/person_signup_helper"
    refused = client.post(url, json=body, headers={"OSDI-API-Token": world.keys["campaign_read"]})
    assert refused.status_code == 403
    users_before = db.session.scalar(db.select(db.func.count(User.id)))
    resp = client.post(url, json=body, headers={"OSDI-API-Token": world.keys["partner_read"]})
    assert resp.status_code == 202 and resp.json["email_address"] == "rae@example.org"
    assert db.session.scalar(db.select(db.func.count(User.id))) == users_before
    mail = latest_email("rae@example.org", "api-signup:")
    assert "Virginia House Caucus" in mail.subject
    client.post(url, json=body, headers={"OSDI-API-Token": world.keys["partner_read"]})
    assert db.session.scalar(db.select(db.func.count()).select_from(type(mail)).where(
        type(mail).to_email == "rae@example.org")) == 1  # one email per organisation, address and day
    path = link_path(mail, "/orgs/referred/")
    assert client.get(path).status_code == 200
    resp = client.post(path, data={"password": "long enough pw", "confirm": "long enough pw"})
    assert resp.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "rae@example.org"))
    assert user.role == "volunteer" and user.name == "Rae Referred" and not user.confirmation_pending


@pytest.mark.parametrize("body", [None, [], {"person": "x"}, {"person": {"email_addresses": []}},
                                  {"person": {"email_addresses": [{"address": "nope"}]}},
                                  {"person": {"email_addresses": [{"address": "a@b.org"}], "given_name": 3}}])
def test_person_signup_helper_rejects_bad_input(client, world, body):
    resp = client.post("/api/v1/people/person_signup_helper", json=body,
                       headers={"OSDI-API-Token": world.keys["partner_read"]})
    assert resp.status_code == 400 and resp.json["osdi:error"]["response_code"] == 400


def test_every_call_is_audited(client, world):
    key = world.keys["campaign_read"]
    _get(client, "/people", key)
    _get(client, "/projects/987654", key)
    _get(client, "/people", None)
    calls = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "api.call").order_by(AuditEntry.id)).all()
    assert [(c.details["path"], c.details["status"]) for c in calls] == [
        ("/api/v1/people", 200), ("/api/v1/projects/987654", 404), ("/api/v1/people", 401)]
    assert calls[0].object_id is not None and calls[2].object_id is None
    assert db.session.scalar(db.select(ApiKey).where(ApiKey.name == "campaign_read")).last_used_at is not None


def test_api_takes_no_cookies_and_needs_no_csrf(csrf_app, make):
    world = org_helpers.build(make)
    client = csrf_app.test_client()
    body = {"person": {"email_addresses": [{"address": "csrf@example.org"}]}}
    resp = client.post("/api/v1/people/person_signup_helper", json=body,
                       headers={"OSDI-API-Token": world.keys["partner_read"]})
    assert resp.status_code == 202
    # A logged-in browser session is no key: the API still answers 401.
    from tests.factories import PASSWORD

    client.post("/auth/login", data={"email": world.team.campaign_user.email, "password": PASSWORD})
    assert client.get("/api/v1/people").status_code == 401


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute",
                "RATELIMIT_KEY_PREFIX": f"api-test-{id(self)}"}

    def test_each_key_has_its_own_budget(self, client, world):
        key, other = world.keys["campaign_read"], world.keys["other_read"]
        codes = [_get(client, "/people", key).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = _get(client, "/people", key)
        assert limited.mimetype == HAL and limited.json["osdi:error"]["response_code"] == 429
        assert _get(client, "/people", other).status_code == 200


def test_owner_creates_a_key_shown_once_and_revokes_it(client, login, make):
    owner = make.user("campaign")
    campaign = make.campaign(owner)
    login(owner)
    page = client.post(f"/orgs/campaigns/{campaign.id}/keys", data={"name": "VAN sync", "scope": "read"})
    shown = page.get_data(as_text=True)
    row = db.session.scalar(db.select(ApiKey).where(ApiKey.campaign_id == campaign.id))
    import re

    clear = re.search(r"bsk_[\w-]+", shown.split('id="new-api-key"')[1]).group(0)
    assert client.get("/api/v1/projects", headers={"OSDI-API-Token": clear}).status_code == 200
    assert clear not in client.get(f"/orgs/campaigns/{campaign.id}/keys").get_data(as_text=True)
    client.post(f"/orgs/campaigns/{campaign.id}/keys/{row.id}/revoke")
    assert client.get("/api/v1/projects", headers={"OSDI-API-Token": clear}).status_code == 401


def test_a_campaign_key_asks_for_help_with_the_forms_rules(client, world):
    from datetime import timedelta

    from app import clock
    from app.models import HelpRequest, Notification

    url = "/api/v1/help_requests"
    body = {"goals": "Grow the email list to 5,000", "categories": ["email", "website"],
            "desired_start": (clock.today() + timedelta(days=14)).isoformat(), "timing": "before the primary"}
    before = db.session.scalar(db.select(db.func.count(HelpRequest.id)))
    # A read key, a partner's key and no key are refused, and nothing is recorded.
    assert client.post(url, json=body, headers={"OSDI-API-Token": world.keys["campaign_read"]}).status_code == 403
    refused = client.post(url, json=body, headers={"OSDI-API-Token": world.keys["partner_read"]})
    assert refused.status_code == 403 and "campaign's own key" in refused.json["osdi:error"]["resource_status"][0][
        "error_descriptions"][0]["description"]
    assert client.post(url, json=body).status_code == 401
    assert db.session.scalar(db.select(db.func.count(HelpRequest.id))) == before

    resp = client.post(url, json=body, headers={"OSDI-API-Token": world.keys["campaign_write"]})
    assert resp.status_code == 201 and resp.mimetype == HAL
    assert resp.json["campaign_id"] == str(world.team.campaign.id) and resp.json["categories"] == ["email", "website"]
    row = db.session.get(HelpRequest, int(resp.json["id"]))
    assert row.status == "new" and row.submitted_by_id == world.team.campaign_user.id
    # Staff hear of it as they do of a form's request.
    assert db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.key == f"request-received:{row.id}")) >= 2


@pytest.mark.parametrize("body, prop", [
    (None, "goals"), ([], "goals"), ({"goals": 3, "categories": ["email"]}, "goals"),
    ({"goals": "x", "categories": "email"}, "categories"),
    ({"goals": "x", "categories": ["email"], "desired_start": "next week"}, "desired_start"),
    ({"goals": "", "categories": ["not-a-kind"], "desired_start": "2000-01-01"}, "goals"),
])
def test_bad_help_requests_are_refused_by_field_and_change_nothing(client, world, body, prop):
    from app.models import HelpRequest

    before = db.session.scalar(db.select(db.func.count(HelpRequest.id)))
    resp = client.post("/api/v1/help_requests", json=body, headers={"OSDI-API-Token": world.keys["campaign_write"]})
    assert resp.status_code == 400, resp.json
    detail = resp.json["osdi:error"]["resource_status"][0]["error_descriptions"][0]
    assert prop in detail["properties"]
    assert db.session.scalar(db.select(db.func.count(HelpRequest.id))) == before
    if body and body.get("categories") == ["not-a-kind"]:
        # Every broken rule at once, as on the form.
        assert {"goals", "categories", "desired_start"} <= set(detail["properties"])
