"""No 500 on out-of-range input: huge ids and pages, '²' as an id, NUL bytes, inf/nan/negative numbers."""
import pytest

from app.models import CheckIn, MetricValue, Project, User
from tests.integration.team_helpers import active_team
from tests.integration.test_intake_routes import scope_form, world  # noqa: F401 -- fixture

HUGE = "99999999999999999999"


@pytest.fixture
def team(db, make):
    return active_team(make, weeks=3)


@pytest.mark.parametrize("path", [
    f"/campaigns/{HUGE}", "/teams/{p}/sprints/" + HUGE, f"/teams/{HUGE}", f"/opportunities/{HUGE}",
    f"/staff/scoping/projects/{HUGE}", f"/staff/recruiting/projects/{HUGE}", "/teams/{p}/sprints/2147483648",
    "/teams/0", "/staff/scoping/?page=" + HUGE, "/staff/users?page=" + HUGE, "/staff/outbox/?page=-1",
    "/teams/health?page=²",
])
def test_out_of_range_ids_and_pages_are_404(client, login, team, path):
    login(team.staff if "/staff/" in path or "health" in path else team.lead)
    assert client.get(path.format(p=team.project.id)).status_code == 404


def test_the_largest_id_is_still_an_ordinary_404(client, login, team):
    login(team.lead)
    assert client.get("/teams/2147483647").status_code == 404


def test_a_superscript_digit_is_not_a_volunteer_id(client, login, team):
    login(team.staff)
    resp = client.post(f"/staff/recruiting/projects/{team.project.id}/invite",
                       data={"volunteer_id": ["²", HUGE, "-3"]})
    assert resp.status_code == 302


def test_nul_and_control_characters_are_removed_from_every_field(client, db):
    resp = client.post("/auth/register", data={
        "name": "Ada\x00 Love\x07lace", "email": "ada@example.org", "password": "a-long-enough-password",
        "confirm": "a-long-enough-password", "role": "volunteer",
    })
    assert resp.status_code == 302
    assert db.session.scalar(db.select(User.name).where(User.email == "ada@example.org")) == "Ada Lovelace"


def checkin_post(team, metric):
    data = {"status": "on_track", "done": "Shipped", "next_steps": "", "blockers": ""}
    for m in team.memberships:
        data[f"hours_{m.id}"] = "4"
    for d in team.project.deliverables:
        data[f"progress_{d.id}"] = "50"
    data[f"metric_{team.project.metrics[0].id}"] = metric
    return data


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-5", "Infinity", "1e400"])
def test_checkin_metrics_must_be_finite_and_not_negative(db, client, login, team, value):
    login(team.lead)
    resp = client.post(f"/teams/{team.project.id}/sprints/1/checkin", data=checkin_post(team, value))
    assert resp.status_code == 200 and "field-error" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(MetricValue)) == 0


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_checkin_hours_must_be_finite(db, client, login, team, value):
    login(team.lead)
    data = checkin_post(team, "10")
    data[f"hours_{team.memberships[0].id}"] = value
    resp = client.post(f"/teams/{team.project.id}/sprints/1/checkin", data=data)
    assert resp.status_code == 200 and "field-error" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 0


@pytest.mark.parametrize("field", ["metrics-0-target", "skills-0-weight"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_scoping_numbers_must_be_finite(client, login, world, db, field, value):  # noqa: F811
    login(world["users"]["staff"])
    before = db.session.scalar(db.select(db.func.count()).select_from(Project))
    resp = client.post(f"/staff/scoping/requests/{world['r']}/scope/{world['t']}",
                       data=scope_form(world, **{field: value}))
    assert resp.status_code == 200 and "field-error" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == before


# ---------------------------------------------------------------- invisible names, double submits


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u202e\u2066\u200f", "\u3164", " \u200d\ufeff "])
def test_a_name_of_invisible_characters_is_refused(client, db, name):
    resp = client.post("/auth/register", data={
        "name": name, "email": "ghost@example.org", "password": "a-long-enough-password",
        "confirm": "a-long-enough-password", "role": "volunteer",
    })
    assert resp.status_code == 200 and "field-error" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_a_name_with_a_joiner_inside_visible_letters_is_kept(client, db):
    resp = client.post("/auth/register", data={
        "name": "Ana\u200dMaria", "email": "ana@example.org", "password": "a-long-enough-password",
        "confirm": "a-long-enough-password", "role": "volunteer",
    })
    assert resp.status_code == 302
