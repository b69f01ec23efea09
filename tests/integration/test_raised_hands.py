"""Two-sided signals: volunteers browse and raise a hand, staff see it, it lifts the ranking;
decline categories are stored and feed the next run."""
from datetime import timedelta

import pytest

from app.models import HandRaise, Invitation, MatchCandidate, MatchRun
from app.models.base import utcnow
from app.recruiting.features import load_project_needs, load_volunteer_features


@pytest.fixture
def world(db, make):
    react, copy = make.skill("React"), make.skill("Copywriting", category="design")
    climate = make.cause("Climate")
    va = make.campaign(make.user("campaign"), city=("Richmond", "VA"))
    va.causes.append(climate)
    wa = make.campaign(make.user("campaign"), city=("Seattle", "WA"))
    short = make.project(va, skills=[(react, 3)], hours=4, weeks=3, title="Donation page")
    long = make.project(wa, skills=[(copy, 2)], hours=8, weeks=8, title="Email program")
    draft = make.project(va, skills=[(react, 2)], status="draft", title="Not yet scoped")
    twins = [make.volunteer(city=("Norfolk", "VA"), skills=[(react, 3)]) for _ in range(2)]
    db.session.commit()
    return {"react": react, "climate": climate, "short": short, "long": long, "draft": draft, "twins": twins,
            "staff": make.user("staff")}


def _titles(page):
    return [t for t in ("Donation page", "Email program", "Not yet scoped") if t in page]


@pytest.mark.parametrize("query, titles", [
    ("", ["Donation page", "Email program"]),
    ("skill={react}", ["Donation page"]),
    ("hours=5", ["Donation page"]),
    ("weeks=4", ["Donation page"]),
    ("state=WA", ["Email program"]),
    ("cause={climate}", ["Donation page"]),
    ("near_me=y", ["Donation page"]),
])
def test_volunteers_browse_recruiting_projects_with_filters(client, login, world, query, titles):
    login(world["twins"][0])
    query = query.format(react=world["react"].id, climate=world["climate"].id)
    page = client.get(f"/volunteer/projects/?{query}").get_data(as_text=True)
    assert _titles(page) == titles


def test_a_bad_filter_is_explained_next_to_the_field(client, login, world):
    login(world["twins"][0])
    page = client.get("/volunteer/projects/?weeks=12").get_data(as_text=True)
    assert "Projects last 1 to 8 weeks." in page and _titles(page) == []


def test_raise_and_lower_a_hand_staff_see_it_and_it_lifts_the_ranking(app, client, db, login, world):
    a, b = world["twins"]
    project = world["short"]
    login(b)
    assert client.post(f"/volunteer/projects/{project.id}/hand", data={"action": "raise"}).status_code == 302
    client.post(f"/volunteer/projects/{project.id}/hand", data={"action": "raise"})  # twice is harmless
    assert db.session.scalar(db.select(db.func.count()).select_from(HandRaise)) == 1
    assert "You raised a hand." in client.get("/volunteer/projects/").get_data(as_text=True)

    needs = load_project_needs(project)
    assert needs.raised_hand_ids == {b.volunteer_profile.id}
    staff = app.test_client()
    login(world["staff"], c=staff)
    page = staff.get(f"/staff/recruiting/projects/{project.id}").get_data(as_text=True)
    assert "Raised hands" in page and b.name in page
    staff.post(f"/staff/recruiting/projects/{project.id}/match")
    run = db.session.scalar(db.select(MatchRun))
    assert run.status == "done", run.error
    cands = db.session.scalars(db.select(MatchCandidate).where(MatchCandidate.run_id == run.id)
                               .order_by(MatchCandidate.rank)).all()
    assert cands[0].volunteer_id == b.volunteer_profile.id  # the twin who raised a hand comes first
    assert "raised a hand for this project" in cands[0].reasons
    assert cands[0].components["interest"] > cands[1].components["interest"]

    client.post(f"/volunteer/projects/{project.id}/hand", data={"action": "lower"})
    assert db.session.scalar(db.select(db.func.count()).select_from(HandRaise)) == 0


def test_no_hand_on_a_project_that_is_not_recruiting(client, db, login, world):
    login(world["twins"][0])
    resp = client.post(f"/volunteer/projects/{world['draft'].id}/hand", data={"action": "raise"},
                       follow_redirects=True)
    assert "not looking for volunteers" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(HandRaise)) == 0


def test_a_decline_category_is_stored_and_counts_in_the_next_run(client, db, login, world):
    vol = world["twins"][0]
    inv = Invitation(project_id=world["short"].id, volunteer_id=vol.volunteer_profile.id, status="pending",
                     expires_at=utcnow() + timedelta(days=3))
    db.session.add(inv)
    db.session.commit()
    login(vol)
    resp = client.post(f"/opportunities/{inv.id}", data={"answer": "decline", "category": "time", "reason": "exams"})
    assert resp.status_code == 302
    db.session.refresh(inv)
    assert (inv.status, inv.decline_category, inv.decline_reason) == ("declined", "time", "exams")
    f, _ = load_volunteer_features()
    row = f.rows_for_ids([vol.volunteer_profile.id])[0]
    assert (f.declined_time[row], f.declined_skills[row], f.declined_dates[row]) == (1, 0, 0)


def test_an_unknown_decline_category_is_refused_and_changes_nothing(client, db, login, world):
    vol = world["twins"][0]
    inv = Invitation(project_id=world["short"].id, volunteer_id=vol.volunteer_profile.id, status="pending",
                     expires_at=utcnow() + timedelta(days=3))
    db.session.add(inv)
    db.session.commit()
    login(vol)
    client.post(f"/opportunities/{inv.id}", data={"answer": "decline", "category": "bored"})
    db.session.refresh(inv)
    assert inv.status == "pending" and inv.decline_category == ""


@pytest.mark.parametrize("role,expected", [(None, 302), ("volunteer", 200), ("campaign", 403), ("staff", 403),
                                           ("admin", 403)])
def test_browse_and_hand_routes_are_for_volunteers(client, make, login, world, role, expected):
    if role:
        login(make.volunteer() if role == "volunteer" else make.user(role))
    assert client.get("/volunteer/projects/").status_code == expected
    post = client.post(f"/volunteer/projects/{world['short'].id}/hand", data={"action": "raise"}).status_code
    assert post == (302 if expected == 200 else expected)
