"""People leave, seats fill, teams form: departures, replacements, full teams and who is told."""
import threading
from datetime import date, timedelta

import pytest

from app.errors.domain import DomainError
from app.models import (
    Invitation,
    MatchCandidate,
    MatchRun,
    Notification,
    OutboxEmail,
    Project,
    ProjectSkill,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)
from app.opportunities import services
from app.recruiting import runs
from app.teams import departures, formation, health, seats
from tests.integration.team_helpers import active_team

# Seats move by conditional UPDATEs and the replacement race is about the dialect: both passes.
pytestmark = pytest.mark.postgres

ROLES = ("anon", "member", "outsider", "lead", "campaign", "other_campaign", "staff")


@pytest.fixture
def team(db, make):
    return active_team(make, weeks=4, start=date.today() - timedelta(days=3))


def _told(db, user, key_prefix):
    """Subjects of the in-app notifications `user` got for events whose key starts with `key_prefix`."""
    return [n.subject for n in db.session.scalars(
        db.select(Notification).where(Notification.user_id == user.id, Notification.key.startswith(key_prefix)))]


def _emailed(db, user, key_prefix):
    return db.session.scalars(db.select(OutboxEmail).where(
        OutboxEmail.to_email == user.email, OutboxEmail.idempotency_key.startswith(key_prefix))).all()


def _profile(db, user):
    return db.session.get(VolunteerProfile, user.volunteer_profile.id)


def test_a_member_who_leaves_frees_the_seat_counts_as_leaving_and_everyone_is_told(db, make, team):
    leaver, stays = team.members[2], team.members[1]
    m = team.memberships[2]
    state = departures.leave_team(leaver, m, "Family emergency")
    db.session.expire_all()
    m = db.session.get(TeamMembership, m.id)
    assert m.status == "dropped" and m.ended_at is not None and m.end_reason == "Family emergency"
    project = db.session.get(Project, team.project.id)
    assert project.seats_filled == 2 and seats.open_seats(project) == 3
    assert _profile(db, leaver).projects_dropped == 1 and _profile(db, leaver).projects_completed == 0
    assert state == {"members": 2, "has_lead": True, "needs_replacement": True, "open_seats": 3, "short_by": 1}
    key = f"member-left:{m.id}"
    assert _told(db, stays, key) and _told(db, team.lead, key) and _told(db, team.campaign_user, key)
    assert _told(db, team.staff, key) == [f"Needs a replacement: {project.title}"]
    assert _told(db, leaver, key) == [f"You left the {project.title} team"]
    # The lead and staff read the reason; the campaign and teammates only that the member left.
    assert "Family emergency" in _emailed(db, team.lead, f"notify:{key}")[0].text_body
    assert "Family emergency" not in _emailed(db, team.campaign_user, f"notify:{key}")[0].text_body
    assert "Family emergency" not in _emailed(db, stays, f"notify:{key}")[0].text_body
    # Leaving twice changes nothing and tells nobody again.
    with pytest.raises(DomainError, match="no longer on this team"):
        departures.leave_team(leaver, m, "Again")
    assert db.session.get(Project, team.project.id).seats_filled == 2


def test_needs_a_replacement_shows_on_the_health_board_and_recruiting_board(db, client, login, team):
    row = next(r for r in health.board()["rows"] if r["project_id"] == team.project.id)
    assert not row["needs_replacement"]
    departures.leave_team(team.staff, team.memberships[1], "Stopped answering")
    row = next(r for r in health.board()["rows"] if r["project_id"] == team.project.id)
    assert row["needs_replacement"] and row["level"] == "needs-replacement" and row["members"] == 2
    assert health.board()["summary"]["needs_replacement"] == 1
    login(team.staff)
    assert "Needs a replacement" in client.get("/teams/health").get_data(as_text=True)
    board = client.get("/staff/recruiting/").get_data(as_text=True)
    assert team.project.title in board and "Needs a replacement" in board
    page = client.get(f"/staff/recruiting/projects/{team.project.id}").get_data(as_text=True)
    assert "needs-replacement" in page and "3 open" in page and "the team is complete" not in page
    assert "Find one on the recruiting page" in client.get(f"/teams/{team.project.id}").get_data(as_text=True)


def test_a_lead_who_leaves_is_replaced_through_name_lead_on_the_active_project(db, make, team):
    trained = make.volunteer(hours=20, lead_trained=True)
    joined = TeamMembership(project_id=team.project.id, volunteer_id=trained.volunteer_profile.id, hours_per_week=6)
    db.session.add(joined)
    team.project.seats_filled += 1
    db.session.commit()
    state = departures.leave_team(team.lead, team.memberships[0], "Burnt out")
    assert state["needs_replacement"] and not state["has_lead"] and state["members"] == 3
    assert not db.session.get(TeamMembership, team.memberships[0].id).is_lead
    assert formation.name_lead(team.staff, team.project, joined.id) is False  # already active
    db.session.expire_all()
    assert db.session.get(TeamMembership, joined.id).is_lead
    assert not seats.replacement_state(db.session.get(Project, team.project.id))["needs_replacement"]
    key = f"lead-named:{team.project.id}:{joined.id}"
    assert _told(db, team.campaign_user, key) and _told(db, team.members[1], key) and _told(db, trained, key)
    assert trained.email in _emailed(db, team.campaign_user, f"notify:{key}")[0].text_body


def test_who_may_record_a_departure(db, make, team):
    outsider, member = make.volunteer(), team.members[1]
    for actor, target in ((outsider, team.memberships[2]), (member, team.memberships[2]),
                          (team.campaign_user, team.memberships[2])):
        with pytest.raises(DomainError, match="Only the member, the team's lead or staff"):
            departures.leave_team(actor, target, "No")
    with pytest.raises(DomainError, match="why") as err:
        departures.leave_team(member, team.memberships[1], "   ")
    assert err.value.field == "reason"
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(db.select(TeamMembership))} == {"active"}
    assert db.session.get(Project, team.project.id).seats_filled == 3
    departures.leave_team(team.lead, team.memberships[2], "Recorded by the lead")  # the lead may
    assert db.session.get(TeamMembership, team.memberships[2].id).status == "dropped"


def _skilled_team(db, make, team, candidates=4):
    skill = make.skill()
    db.session.add(ProjectSkill(project_id=team.project.id, skill_id=skill.id, level=2, weight=1.0))
    for user in team.members:
        db.session.add(VolunteerSkill(volunteer_id=user.volunteer_profile.id, skill_id=skill.id, level=3))
    db.session.commit()
    return [make.volunteer(hours=20, skills=[(skill, 3)]) for _ in range(candidates)]


def test_replacement_run_ranks_only_new_people_for_exactly_the_open_seats(db, make, team):
    _skilled_team(db, make, team)
    departures.leave_team(team.members[2], team.memberships[2], "Moving")  # 2 left of min 3: 3 seats open
    run = db.session.scalar(db.select(MatchRun).where(MatchRun.project_id == team.project.id))
    assert run is not None and run.status == "done", "staff get a replacement run without pressing anything"
    ranked = set(db.session.scalars(db.select(MatchCandidate.volunteer_id).where(MatchCandidate.run_id == run.id)))
    on_team_ever = {u.volunteer_profile.id for u in team.members}
    assert ranked and not ranked & on_team_ever  # current and former members are left out
    assert len(run.suggested_team) <= seats.open_seats(db.session.get(Project, team.project.id)) == 3
    project = db.session.get(Project, team.project.id)
    nxt = runs.next_candidates(project, run=run)
    assert len(nxt) == 3 and not {r["candidate"].volunteer_id for r in nxt} & on_team_ever


def test_a_replacement_joins_the_working_team_and_the_lead_campaign_and_staff_hear_who(db, make, team):
    newcomers = _skilled_team(db, make, team, candidates=1)
    departures.leave_team(team.members[2], team.memberships[2], "Moving")
    project = db.session.get(Project, team.project.id)
    invited, _ = services.invite_volunteers(team.staff, project, [newcomers[0].volunteer_profile.id])
    membership = services.accept(invited[0], newcomers[0])
    db.session.expire_all()
    project = db.session.get(Project, team.project.id)
    assert project.status == "active" and project.seats_filled == 3
    assert not seats.replacement_state(project)["needs_replacement"]
    key = f"member-joined:{membership.id}"
    subject = f"{newcomers[0].name} joined {project.title} as a replacement"
    for person in (team.lead, team.campaign_user, team.staff):
        assert _told(db, person, key) == [subject]
    welcome = _emailed(db, newcomers[0], f"notify:joined:{membership.id}")[0].text_body
    assert team.lead.name in welcome and "sprint 1 of 4" in welcome and "when the lead is named" not in welcome
    assert "sprint 1 of 4" in services.joined_message(db.session.get(TeamMembership, membership.id))


def test_an_answer_after_the_team_is_full_changes_nothing(db, make):
    staff = make.user("staff")
    campaign = make.campaign(make.user("campaign"))
    project = make.project(campaign, status="approved", team_min=3, team_max=3, hours=6)
    vols = [make.volunteer(hours=10, lead_trained=(i == 0)) for i in range(4)]
    invs, _ = services.invite_volunteers(staff, project, [v.volunteer_profile.id for v in vols])
    members = [services.accept(i, v) for i, v in zip(invs[:2], vols[:2])]
    # Two members and a named lead: the team forms when the third accepts, and staff were told of nothing yet.
    formation.name_lead(staff, project, members[0].id)
    third = services.accept(invs[2], vols[2])
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert project.status == "active" and seats.is_full(project)
    assert db.session.get(Invitation, invs[3].id).status == "closed"  # closed at once, kindly
    assert _told(db, vols[3], f"invite-closed:{invs[3].id}")
    before = db.session.get(Invitation, invs[3].id).responded_at
    with pytest.raises(DomainError, match="This team is full, thank you"):
        services.accept(db.session.get(Invitation, invs[3].id), vols[3])
    with pytest.raises(DomainError, match="This team is full, thank you"):
        services.decline(db.session.get(Invitation, invs[3].id), vols[3])
    assert db.session.get(Invitation, invs[3].id).responded_at == before
    assert db.session.get(Project, project.id).seats_filled == 3
    with pytest.raises(DomainError, match="full"):
        services.invite_volunteers(staff, project, [make.volunteer().volunteer_profile.id])
    # The volunteer whose yes formed the team hears who leads and when sprint 1 starts.
    msg = services.joined_message(db.session.get(TeamMembership, third.id))
    assert vols[0].name in msg and "when the lead is named" not in msg and "sprint 1 starts" in msg
    welcome = _emailed(db, vols[2], f"notify:joined:{third.id}")[0].text_body
    assert "The team is formed" in welcome and vols[0].name in welcome
    # Formed: every member and the campaign are told, with the lead's name and email for the campaign.
    campaign_note = _emailed(db, campaign.members[0].user, f"notify:team-formed:{project.id}")[0].text_body
    assert vols[0].name in campaign_note and vols[0].email in campaign_note
    assert all(_told(db, v, f"team-formed:{project.id}") for v in vols[:3])


def test_reaching_the_minimum_without_a_lead_tells_staff_to_name_one(db, make):
    staff = make.user("staff")
    campaign = make.campaign(make.user("campaign"))
    project = make.project(campaign, status="approved", team_min=3, team_max=5, hours=6)
    vols = [make.volunteer(hours=10, lead_trained=(i == 1)) for i in range(3)]
    invs, _ = services.invite_volunteers(staff, project, [v.volunteer_profile.id for v in vols])
    services.accept(invs[0], vols[0])
    services.accept(invs[1], vols[1])
    assert not _told(db, staff, f"team-minimum:{project.id}")
    services.accept(invs[2], vols[2])
    notes = db.session.scalars(db.select(Notification).where(Notification.user_id == staff.id,
                                                             Notification.key == f"team-minimum:{project.id}")).all()
    assert len(notes) == 1 and "Name a lead" in notes[0].subject and vols[1].name in notes[0].body
    msg = services.joined_message(db.session.scalar(db.select(TeamMembership).where(
        TeamMembership.volunteer_id == vols[2].volunteer_profile.id)))
    assert "when the lead is named" in msg and "Sprint 1 starts" in msg


# --- routes x roles -------------------------------------------------------------------------------

@pytest.fixture
def users(make, team):
    other_campaign = make.user("campaign")
    make.campaign(other_campaign)
    return {"anon": None, "member": team.members[1], "outsider": make.volunteer(), "lead": team.lead,
            "campaign": team.campaign_user, "other_campaign": other_campaign, "staff": team.staff}


LEAVE_GET = {"anon": 302, "member": 200, "outsider": 404, "lead": 200, "campaign": 403, "other_campaign": 403,
             "staff": 403}
DROP_GET = {"anon": 302, "member": 403, "outsider": 404, "lead": 200, "campaign": 403, "other_campaign": 404,
            "staff": 200}


@pytest.mark.parametrize("role", ROLES)
def test_leave_and_record_pages_for_every_role(client, login, team, users, role):
    if users[role] is not None:
        login(users[role])
    p, m = team.project.id, team.memberships[2].id
    assert client.get(f"/teams/{p}/leave").status_code == LEAVE_GET[role]
    assert client.get(f"/teams/{p}/members/{m}/drop").status_code == DROP_GET[role]


@pytest.mark.parametrize("role", ROLES)
def test_leaving_by_post_for_every_role(db, client, login, team, users, role):
    if users[role] is not None:
        login(users[role])
    p = team.project.id
    # Without the confirmation: the error beside the box, nothing changes.
    resp = client.post(f"/teams/{p}/leave", data={"reason": "Too busy"})
    assert resp.status_code == LEAVE_GET[role]  # the form again, with the error
    if role in ("member", "lead"):
        assert "Tick the box to confirm." in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(TeamMembership)
                             .where(TeamMembership.status == "dropped")) == 0
    resp = client.post(f"/teams/{p}/leave", data={"reason": "Too busy", "confirm": "y"})
    assert resp.status_code == {**LEAVE_GET, "member": 302, "lead": 302}[role]
    dropped = set(db.session.scalars(db.select(TeamMembership.volunteer_id).where(TeamMembership.status == "dropped")))
    assert dropped == ({users[role].volunteer_profile.id} if role in ("member", "lead") else set())


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_departure_by_post_for_every_role(db, client, login, team, users, role):
    if users[role] is not None:
        login(users[role])
    target = team.memberships[2]
    url = f"/teams/{team.project.id}/members/{target.id}/drop"
    resp = client.post(url, data={"confirm": "y"})  # no reason: refused beside the field
    assert resp.status_code == DROP_GET[role]
    assert db.session.get(TeamMembership, target.id).status == "active"
    resp = client.post(url, data={"reason": "Moved away", "confirm": "y"})
    assert resp.status_code == {**DROP_GET, "lead": 302, "staff": 302}[role]
    db.session.expire_all()
    status = db.session.get(TeamMembership, target.id).status
    assert status == ("dropped" if role in ("lead", "staff") else "active")


def test_a_member_who_left_no_longer_sees_the_workspace(client, login, team):
    login(team.members[1])
    client.post(f"/teams/{team.project.id}/leave", data={"reason": "Too busy", "confirm": "y"})
    assert client.get(f"/teams/{team.project.id}").status_code == 404
    assert client.get(f"/teams/{team.project.id}/leave").status_code == 404


# --- concurrency ----------------------------------------------------------------------------------

def test_two_replacements_race_for_one_open_seat(app, db, make):
    """Two invited replacements accept the one open seat of a working team at the same instant."""
    team = active_team(make, weeks=4, start=date.today() - timedelta(days=3))
    project = db.session.get(Project, team.project.id)
    project.team_max = 3  # a full team of three ...
    db.session.commit()
    departures.leave_team(team.members[2], team.memberships[2], "Moving")  # ... with one seat open again
    racers = [make.volunteer(hours=20) for _ in range(2)]
    invs, _ = services.invite_volunteers(team.staff, db.session.get(Project, project.id),
                                         [v.volunteer_profile.id for v in racers])
    ids = [(i.id, v.id) for i, v in zip(invs, racers)]
    barrier = threading.Barrier(2)
    outcomes = {}

    def attempt(inv_id, user_id):
        from app.extensions import db as _db
        from app.models import User

        with app.app_context():
            inv = _db.session.get(Invitation, inv_id)
            user = _db.session.get(User, user_id)
            inv.project, user.volunteer_profile  # load before the race
            barrier.wait()
            try:
                services.accept(inv, user)
                outcomes[inv_id] = "won"
            except DomainError as err:
                outcomes[inv_id] = err.message
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=attempt, args=a) for a in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    db.session.rollback()
    assert sorted(v == "won" for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != "won")
    assert "This team is full, thank you" in loser
    project = db.session.get(Project, project.id)
    active = db.session.scalar(db.select(db.func.count()).select_from(TeamMembership).where(
        TeamMembership.project_id == project.id, TeamMembership.status == "active"))
    assert project.seats_filled == active == 3
    statuses = sorted(db.session.scalars(db.select(Invitation.status).where(Invitation.id.in_([i for i, _ in ids]))))
    assert statuses == ["accepted", "closed"]


def test_leaving_a_forming_team_frees_the_seat_and_says_it_is_still_forming(db, make):
    staff = make.user("staff")
    campaign = make.campaign(make.user("campaign"))
    project = make.project(campaign, status="approved", team_min=3, team_max=5, hours=6)
    vols = [make.volunteer(hours=10) for _ in range(2)]
    invs, _ = services.invite_volunteers(staff, project, [v.volunteer_profile.id for v in vols])
    memberships = [services.accept(i, v) for i, v in zip(invs, vols)]
    state = departures.leave_team(vols[0], memberships[0], "Exams came up")
    assert not state["needs_replacement"]  # only a working team "needs a replacement"
    db.session.expire_all()
    assert db.session.get(Project, project.id).seats_filled == 1
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == vols[1].id,
                                                           Notification.key == f"member-left:{memberships[0].id}"))
    assert "still forming" in note.body and note.link == ""
    assert _profile(db, vols[0]).projects_dropped == 1
