"""Changes of plan: a request edited or withdrawn, a draft deleted, a project rescheduled or cancelled.

Each is checked for what it changes, what it keeps, who is told (in the app and by email), and what
it refuses with a clear message."""
import threading
from datetime import date, timedelta

import pytest

from app.errors.domain import DomainError
from app.extensions import db as _db
from app.lifecycle import InvitationStatus, MembershipStatus, ProjectStatus, RequestStatus
from app.models import (
    CheckIn,
    HelpRequest,
    Invitation,
    Notification,
    OutboxEmail,
    Project,
    TeamMembership,
)
from app.opportunities import services as invitations
from app.scoping import approval, changes, services as scoping
from app.teams import checkins, commitments, health
from tests.conftest import PG_URL
from tests.integration.team_helpers import active_team, checkin_data

# Conditional updates, constraints and the JSON audit details behave per dialect: both passes.
pytestmark = pytest.mark.postgres


def _told(user, key_part):
    """Notifications `user` got whose key contains `key_part`."""
    return list(_db.session.scalars(
        _db.select(Notification).where(Notification.user_id == user.id, Notification.key.contains(key_part))
    ))


def _emailed(user, key_part):
    return list(_db.session.scalars(
        _db.select(OutboxEmail).where(OutboxEmail.to_email == user.email,
                                      OutboxEmail.idempotency_key.contains(key_part))
    ))


@pytest.fixture
def desk(db, make):
    staff = make.user("staff", name="Sam Staff")
    member = make.user("campaign", name="Casey Campaign")
    campaign = make.campaign(member)
    request = HelpRequest(campaign_id=campaign.id, submitted_by_id=member.id, goals="Raise money online",
                          categories=["fundraising"])
    db.session.add(request)
    db.session.commit()
    return {"staff": staff, "member": member, "campaign": campaign, "request": request}


# ---------------------------------------------------------------- requests


def test_submitting_a_request_confirms_to_the_campaign_and_tells_staff(client, login, desk, db):
    login(desk["member"])
    resp = client.post(f"/campaigns/{desk['campaign'].id}/requests/new",
                       data={"goals": "Grow the email list", "categories": "email"})
    assert resp.status_code == 302
    req = db.session.scalars(db.select(HelpRequest).order_by(HelpRequest.id.desc())).first()
    assert _told(desk["member"], f"request-received:{req.id}") and _emailed(desk["member"], f"request-received:{req.id}")
    staff_note = _told(desk["staff"], f"request-received:{req.id}")[0]
    assert "Grow the email list" in staff_note.body and staff_note.link.endswith(f"/staff/scoping/requests/{req.id}")


def test_campaign_edits_its_request_until_scoped_and_staff_see_what_changed(client, login, desk, db, make):
    login(desk["member"])
    url = f"/campaigns/{desk['campaign'].id}/requests/{desk['request'].id}"
    page = client.get(url + "/edit")
    assert page.status_code == 200 and "Raise money online" in page.get_data(as_text=True)
    # a bad edit keeps what was typed and changes nothing
    bad = client.post(url + "/edit", data={"goals": "Raise more, faster"})
    assert bad.status_code == 200 and "Raise more, faster" in bad.get_data(as_text=True)
    assert "Tick at least one kind of help" in bad.get_data(as_text=True)
    db.session.refresh(desk["request"])
    assert desk["request"].goals == "Raise money online"
    ok = client.post(url + "/edit", data={"goals": "Raise more, faster", "categories": ["fundraising", "email"]})
    assert ok.status_code == 302
    db.session.refresh(desk["request"])
    assert desk["request"].goals == "Raise more, faster" and desk["request"].categories == ["fundraising", "email"]
    note = _told(desk["staff"], "request-edited:")[0]
    assert "goals" in note.body and "categories" in note.body
    # once scoped, the request is frozen
    desk["request"].status = RequestStatus.SCOPED
    db.session.commit()
    frozen = client.post(url + "/edit", data={"goals": "Something else", "categories": "email"})
    assert frozen.status_code == 302
    db.session.refresh(desk["request"])
    assert desk["request"].goals == "Raise more, faster"


def test_campaign_withdraws_a_request_and_staff_are_told(client, login, desk, db):
    login(desk["member"])
    url = f"/campaigns/{desk['campaign'].id}/requests/{desk['request'].id}/withdraw"
    assert client.post(url, data={"reason": "We found a vendor"}).status_code == 302
    db.session.refresh(desk["request"])
    assert desk["request"].status == RequestStatus.WITHDRAWN
    assert "We found a vendor" in _told(desk["staff"], "request-withdrawn:")[0].body
    assert _told(desk["member"], "request-withdrawn:")
    # withdrawing twice is refused with a reason, nothing changes
    again = client.post(url, data={"reason": "again"})
    assert again.status_code == 422 and "can no longer be changed" in again.get_data(as_text=True)


def test_staff_decline_tells_the_campaign_with_the_note(desk, db):
    from app.scoping import queue

    queue.set_request_status(desk["staff"], desk["request"], "declined", "We have no volunteers for SMS this cycle.")
    note = _told(desk["member"], "request-declined:")[0]
    assert "no volunteers for SMS" in note.body


# ---------------------------------------------------------------- drafts


def test_staff_delete_a_draft_and_the_request_returns_to_the_queue(client, login, desk, db, make):
    skill = make.skill()
    template = make.template(skills=[(skill, 2)])
    from tests.integration.test_scoping_rules import scope_data

    project_id = scoping.scope_project(desk["staff"], desk["request"], template, scope_data(skill)).id
    assert desk["request"].status == RequestStatus.SCOPED
    login(desk["staff"])
    assert client.post(f"/staff/scoping/projects/{project_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project_id) is None
    db.session.refresh(desk["request"])
    assert desk["request"].status == RequestStatus.IN_CONVERSATION


def test_only_a_draft_can_be_deleted(desk, db, make):
    project = make.project(desk["campaign"], status="awaiting_approval", help_request_id=desk["request"].id)
    with pytest.raises(DomainError) as err:
        scoping.delete_draft(desk["staff"], project)
    assert "cancelled instead" in err.value.message
    assert db.session.get(Project, project.id) is not None


# ---------------------------------------------------------------- reschedule


@pytest.fixture
def recruiting(desk, db, make):
    """A recruiting project with one volunteer on the team and one open invitation."""
    project = make.project(desk["campaign"], status="approved", team_min=3, team_max=4, hours=5)
    vols = [make.volunteer(hours=10) for _ in range(2)]
    invited, _ = invitations.invite_volunteers(desk["staff"], project, [v.volunteer_profile.id for v in vols])
    invitations.accept(invited[0], vols[0])
    db.session.refresh(project)
    return {**desk, "project": project, "joined": vols[0], "invited": vols[1], "invitation": invited[1]}


def test_reschedule_asks_the_campaign_again_and_tells_everyone_the_new_dates(recruiting, db):
    project, staff = recruiting["project"], recruiting["staff"]
    new_start = project.start_date + timedelta(days=14)
    old_expiry = recruiting["invitation"].expires_at
    changes.reschedule_project(staff, project, new_start, 4)
    db.session.refresh(project)
    assert project.status == ProjectStatus.AWAITING_APPROVAL
    assert project.start_date == new_start and project.weeks == 4 and project.end_date == new_start + timedelta(weeks=4)
    assert _told(recruiting["member"], "rescheduled:")  # asked to approve the new dates
    note = _told(recruiting["invited"], "rescheduled:")[0]
    assert f"{new_start:%b %-d}" in note.body and "invitation stays open" in note.body
    assert _told(recruiting["joined"], "rescheduled:")
    db.session.refresh(recruiting["invitation"])
    assert recruiting["invitation"].status == InvitationStatus.PENDING
    assert recruiting["invitation"].expires_at >= old_expiry
    # the campaign approves: the project goes straight back to recruiting, the invitee hears they can answer
    approval.approve_scope(recruiting["member"], project)
    db.session.refresh(project)
    assert project.status == ProjectStatus.RECRUITING
    assert "can answer now" in _told(recruiting["invited"], "dates-confirmed:")[0].body
    accepted = invitations.accept(recruiting["invitation"], recruiting["invited"])
    assert accepted.project_id == project.id


@pytest.mark.parametrize("start_offset,weeks,field,message", [
    (-1, None, "start_date", "in the past"),
    (10, 9, "weeks", "1 to 8 weeks"),
    (0, None, "start_date", "already has"),
])
def test_reschedule_refuses_bad_dates_and_changes_nothing(recruiting, db, start_offset, weeks, field, message):
    project = recruiting["project"]
    start = date.today() + timedelta(days=start_offset) if start_offset < 0 else (
        project.start_date + timedelta(days=start_offset))
    before = (project.start_date, project.weeks, project.status)
    with pytest.raises(DomainError) as err:
        changes.reschedule_project(recruiting["staff"], project, start, weeks)
    assert err.value.field == field and message in err.value.message
    db.session.rollback()
    db.session.refresh(project)
    assert (project.start_date, project.weeks, project.status) == before


def test_a_running_team_keeps_its_dates(make, db):
    team = active_team(make)
    with pytest.raises(DomainError) as err:
        changes.reschedule_project(team.staff, team.project, team.project.start_date + timedelta(days=7))
    assert "approved or recruiting" in err.value.message


def test_reschedule_route_shows_errors_beside_the_field(client, login, recruiting):
    login(recruiting["staff"])
    resp = client.post(f"/staff/scoping/projects/{recruiting['project'].id}/reschedule",
                       data={"start_date": "2001-01-01", "weeks": "3"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "The new start date is in the past." in body and "2001-01-01" in body


# ---------------------------------------------------------------- cancel


def test_cancelling_an_active_project_keeps_its_record_and_tells_everyone(make, db):
    team = active_team(make, start=date.today() - timedelta(days=3))
    checkins.submit_checkin(team.lead, team.sprint(1), checkin_data(team))
    outsider = make.volunteer(hours=10)
    team.project.seats_filled = 3
    db.session.commit()
    inv, _ = invitations.invite_volunteers(team.staff, team.project, [outsider.volunteer_profile.id])
    before_hours = commitments.committed_hours(team.members[1].volunteer_profile.id)
    assert before_hours == team.project.hours_per_week

    changes.cancel_project(team.campaign_user, team.project, "The candidate withdrew from the race.")
    db.session.refresh(team.project)
    assert team.project.status == ProjectStatus.CANCELLED and team.project.cancel_reason.startswith("The candidate")
    # nothing logged is lost
    assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn).where(
        CheckIn.project_id == team.project.id)) == 1
    assert len(team.sprints) == 3
    # open invitations close kindly, seats end (neither completed nor left), hours are freed
    db.session.refresh(inv[0])
    assert inv[0].status == InvitationStatus.CLOSED
    assert "asks nothing more of you" in _told(outsider, "project-cancelled:")[0].body
    statuses = set(db.session.scalars(db.select(TeamMembership.status).where(
        TeamMembership.project_id == team.project.id)))
    assert statuses == {MembershipStatus.ENDED}
    assert commitments.committed_hours(team.members[1].volunteer_profile.id) == 0
    for person in [*team.members, team.campaign_user, team.staff, outsider]:
        assert _told(person, "project-cancelled:"), person.name
        assert _emailed(person, "project-cancelled:"), person.name
    # it leaves every queue: no check-ins, no health board row
    with pytest.raises(DomainError):
        checkins.submit_checkin(team.lead, team.sprint(2), checkin_data(team))
    assert team.project.id not in {row["project_id"] for row in health.board()["rows"]}
    # and it cannot be cancelled twice
    with pytest.raises(DomainError):
        changes.cancel_project(team.staff, team.project, "again")


def test_a_cancelled_projects_workspace_stays_readable_by_its_team(client, login, make, db):
    team = active_team(make, start=date.today() - timedelta(days=3))
    checkins.submit_checkin(team.lead, team.sprint(1), checkin_data(team, done="Shipped the donation page"))
    changes.cancel_project(team.staff, team.project, "The candidate withdrew from the race.")
    login(team.members[1])
    page = client.get(f"/teams/{team.project.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Cancelled" in body
    sprint = client.get(f"/teams/{team.project.id}/sprints/1").get_data(as_text=True)
    assert "Shipped the donation page" in sprint
    # read-only: nothing can be logged any more
    assert client.get(f"/teams/{team.project.id}/sprints/2/checkin").status_code in (403, 404)


def test_cancel_needs_a_reason_and_the_right_person(client, login, make, db):
    team = active_team(make)
    other = make.user("campaign")
    make.campaign(other, name="Someone else")
    with pytest.raises(DomainError) as err:
        changes.cancel_project(team.staff, team.project, "  ")
    assert err.value.field == "reason"
    with pytest.raises(DomainError):
        changes.cancel_project(other, team.project, "not mine")
    with pytest.raises(DomainError):
        changes.cancel_project(team.lead, team.project, "volunteers cannot")
    login(team.campaign_user)
    url = f"/campaigns/{team.campaign.id}/projects/{team.project.id}/cancel"
    resp = client.post(url, data={"reason": ""})
    assert resp.status_code == 422 and "Say why the project is cancelled" in resp.get_data(as_text=True)
    db.session.refresh(team.project)
    assert team.project.status == ProjectStatus.ACTIVE


@pytest.mark.skipif(not PG_URL, reason="row locks: the race needs PostgreSQL (SQLite serialises writers)")
def test_cancel_racing_an_accept_leaves_one_consistent_story(app, db, make):
    """Staff cancel while a volunteer accepts the last seat: either the volunteer joined and was then
    released with everyone, or the accept was refused; never a seat on a cancelled project."""
    staff = make.user("staff")
    campaign = make.campaign(make.user("campaign"))
    project = make.project(campaign, status="approved", team_min=3, team_max=3, hours=5)
    vol = make.volunteer(hours=10)
    inv = invitations.invite_volunteers(staff, project, [vol.volunteer_profile.id])[0][0]
    inv_id, vol_id, project_id, staff_id = inv.id, vol.id, project.id, staff.id  # read here, not in the threads
    barrier = threading.Barrier(2)
    outcomes = {}

    def accept():
        from app.models import User

        with app.app_context():
            i, u = _db.session.get(Invitation, inv_id), _db.session.get(User, vol_id)
            i.project, u.volunteer_profile
            try:
                barrier.wait(timeout=10)
                invitations.accept(i, u)
                outcomes["accept"] = "ok"
            except DomainError as err:
                outcomes["accept"] = err.message
            except Exception as err:  # noqa: BLE001 -- reported by the assertions below
                outcomes["accept"] = repr(err)
            finally:
                _db.session.remove()

    def cancel():
        from app.models import User

        with app.app_context():
            p, s = _db.session.get(Project, project_id), _db.session.get(User, staff_id)
            try:
                barrier.wait(timeout=10)
                changes.cancel_project(s, p, "Plans changed")
                outcomes["cancel"] = "ok"
            except DomainError as err:
                outcomes["cancel"] = err.message
            except Exception as err:  # noqa: BLE001 -- reported by the assertions below
                outcomes["cancel"] = repr(err)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=accept), threading.Thread(target=cancel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), outcomes
    db.session.rollback()
    assert outcomes["cancel"] == "ok", outcomes
    p = db.session.get(Project, project_id)
    assert p.status == ProjectStatus.CANCELLED
    memberships = list(db.session.scalars(db.select(TeamMembership).where(TeamMembership.project_id == project_id)))
    invitation = db.session.get(Invitation, inv_id)
    if outcomes["accept"] == "ok":
        # joined first, then released by the cancel like every member
        assert [m.status for m in memberships] == [MembershipStatus.ENDED]
        assert invitation.status == InvitationStatus.ACCEPTED
    else:
        assert memberships == [] and invitation.status == InvitationStatus.CLOSED
        assert p.seats_filled == 0
