"""Invitations: invite once, accept (idempotent, within hours, never past the team size), decline, expire."""
import threading
from datetime import timedelta

import pytest

from app.errors.domain import DomainError
from app.models import Invitation, OutboxEmail, Project, Sprint, TeamMembership
from app.models.base import utcnow
from app.opportunities import services
from app.teams import formation

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): concurrency: the last seat is taken by a
# conditional UPDATE raced from two connections.
pytestmark = pytest.mark.postgres


@pytest.fixture
def setup(db, make):
    staff = make.user("staff")
    campaign = make.campaign(make.user("campaign"))
    project = make.project(campaign, status="approved", team_min=3, team_max=3, hours=6)
    vols = [make.volunteer(hours=10, lead_trained=(i == 0)) for i in range(5)]
    return staff, project, vols


def _invite(staff, project, vols):
    invited, skipped = services.invite_volunteers(staff, project, [v.volunteer_profile.id for v in vols])
    return invited


def test_invite_sends_one_email_each_and_marks_recruiting(db, setup):
    staff, project, vols = setup
    invited = _invite(staff, project, vols[:3])
    assert len(invited) == 3 and project.status == "recruiting"
    keys = set(db.session.scalars(db.select(OutboxEmail.idempotency_key)))
    assert keys == {f"invite:{i.id}" for i in invited}
    mail = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == f"invite:{invited[0].id}"))
    assert "/opportunities/link/" in mail.text_body and f"{project.hours_per_week} hours a week" in mail.text_body


def test_invite_twice_skips_the_already_invited(db, setup):
    staff, project, vols = setup
    _invite(staff, project, vols[:2])
    invited, skipped = services.invite_volunteers(staff, project, [v.volunteer_profile.id for v in vols[:3]])
    assert [i.volunteer_id for i in invited] == [vols[2].volunteer_profile.id]
    assert set(skipped.values()) == {"already invited"}
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 3


def test_paused_volunteers_are_not_invited(db, setup):
    staff, project, vols = setup
    vols[0].volunteer_profile.paused = True
    db.session.commit()
    invited, skipped = services.invite_volunteers(staff, project, [vols[0].volunteer_profile.id])
    assert invited == [] and skipped == {vols[0].volunteer_profile.id: "paused"}


def test_accept_is_idempotent(db, setup):
    staff, project, vols = setup
    inv = _invite(staff, project, vols[:1])[0]
    m1 = services.accept(inv, vols[0])
    m2 = services.accept(inv, vols[0])
    assert m1.id == m2.id
    db.session.refresh(project)
    assert project.seats_filled == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(TeamMembership)) == 1


def test_accept_refused_without_enough_free_hours(db, setup, make):
    staff, project, vols = setup
    vols[0].volunteer_profile.hours_per_week = 4
    db.session.commit()
    inv = _invite(staff, project, vols[:1])[0]
    with pytest.raises(DomainError, match="needs 6 h/week and you have 4 h/week free"):
        services.accept(inv, vols[0])
    db.session.refresh(inv)
    assert inv.status == "pending" and project.seats_filled == 0


def test_someone_else_cannot_accept(db, setup):
    staff, project, vols = setup
    inv = _invite(staff, project, vols[:1])[0]
    with pytest.raises(DomainError, match="someone else"):
        services.accept(inv, vols[1])


def test_expired_invitation_cannot_be_accepted(db, setup):
    staff, project, vols = setup
    inv = _invite(staff, project, vols[:1])[0]
    with pytest.raises(DomainError, match="expired"):
        services.accept(inv, vols[0], now=utcnow() + timedelta(days=6))
    assert inv.status == "expired"


def test_expire_invitations_command_counts(db, setup):
    staff, project, vols = setup
    _invite(staff, project, vols[:2])
    assert services.expire_invitations(now=utcnow() + timedelta(days=1)) == 0
    assert services.expire_invitations(now=utcnow() + timedelta(days=6)) == 2


def test_decline_with_reason(db, setup):
    staff, project, vols = setup
    inv = _invite(staff, project, vols[:1])[0]
    services.decline(inv, vols[0], "Busy with exams")
    assert inv.status == "declined" and inv.decline_reason == "Busy with exams"
    services.decline(inv, vols[0])  # harmless twice
    with pytest.raises(DomainError, match="declined"):
        services.accept(inv, vols[0])


def test_full_team_closes_other_invitations_with_a_kind_email(db, setup):
    staff, project, vols = setup
    invs = _invite(staff, project, vols)
    for inv, v in zip(invs[:3], vols[:3]):
        services.accept(inv, v)
    statuses = [db.session.get(Invitation, i.id).status for i in invs]
    assert statuses == ["accepted"] * 3 + ["closed"] * 2
    closed_mail = db.session.scalar(
        db.select(OutboxEmail).where(OutboxEmail.idempotency_key == f"notify:invite-closed:{invs[3].id}:{vols[3].id}")
    )
    assert "thank you" in closed_mail.text_body.lower()
    with pytest.raises(DomainError, match="This team is full, thank you"):
        services.accept(invs[4], vols[4])


def test_lead_and_minimum_size_activate_the_project_with_sprints(db, setup):
    staff, project, vols = setup
    invs = _invite(staff, project, vols[:3])
    members = [services.accept(inv, v) for inv, v in zip(invs, vols[:3])]
    with pytest.raises(DomainError, match="lead training"):
        formation.name_lead(staff, project, members[1].id)
    assert formation.name_lead(staff, project, members[0].id) is True
    assert project.status == "active"
    sprints = db.session.scalars(db.select(Sprint).where(Sprint.project_id == project.id).order_by(Sprint.number)).all()
    assert [s.number for s in sprints] == list(range(1, project.weeks + 1))
    assert sprints[0].starts_on == project.start_date and sprints[-1].ends_on < project.end_date
    assert db.session.scalar(
        db.select(db.func.count()).select_from(OutboxEmail).where(OutboxEmail.idempotency_key.like("notify:team-formed:%"))
    ) == 3 + 1  # every member, and the campaign's member


def test_last_seat_race_exactly_one_wins(app, db, setup):
    """Two volunteers press accept on the last seat at the same instant, in two connections."""
    staff, project, vols = setup
    invs = _invite(staff, project, vols[:4])
    services.accept(invs[0], vols[0])
    services.accept(invs[1], vols[1])
    ids = [(invs[2].id, vols[2].id), (invs[3].id, vols[3].id)]
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
            except DomainError as err:  # SeatTaken, or closed when the winner closed it first
                outcomes[inv_id] = err.message
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=attempt, args=a) for a in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    db.session.rollback()  # a new transaction sees what the two threads committed
    assert sorted(v == "won" for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != "won")
    assert "This team is full, thank you" in loser
    assert db.session.get(Project, project.id).seats_filled == 3
    assert db.session.scalar(
        db.select(db.func.count()).select_from(TeamMembership).where(TeamMembership.project_id == project.id)
    ) == 3


def test_the_opportunity_page_shows_scope_skills_and_team_and_expires_on_sight(app, db, make, login, client):
    from app.models import Deliverable, Metric, ProjectSkill

    staff = make.user("staff")
    project = make.project(make.campaign(make.user("campaign")), status="approved", team_min=3, team_max=4, hours=6)
    project.deliverables = [Deliverable(title="Donation page live", position=0)]
    project.metrics = [Metric(name="Online donations", unit="$", target=5000, position=0)]
    project.skills = [ProjectSkill(skill_id=make.skill("Copywriting").id, level=3, weight=1.0)]
    db.session.commit()
    mate, me, late = (make.volunteer(hours=10, city=("Norfolk", "VA")) for _ in range(3))
    first, mine, theirs = _invite(staff, project, [mate, me, late])
    services.accept(first, mate)
    login(me)
    page = client.get(f"/opportunities/{mine.id}").get_data(as_text=True)
    for text in ("Donation page live", "Online donations: target 5,000 $", "Copywriting (advanced)",
                 f"{mate.name.split(' ')[0]} (Norfolk, VA)", "Decline this opportunity", "Pending"):
        assert text in page, text
    assert mate.email not in page  # no emails before joining
    assert client.get(f"/opportunities/{theirs.id}").status_code == 404
    # Past its time, the first look marks it expired and offers no answer.
    db.session.get(Invitation, mine.id).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/opportunities/{mine.id}").get_data(as_text=True)
    assert "Expired" in page and "Decline this opportunity" not in page
    db.session.expire_all()
    assert db.session.get(Invitation, mine.id).status == "expired"
    # A volunteer who accepted and left later reads when they left.
    other = app.test_client()
    login(mate, c=other)
    assert "You are on this team." in other.get(f"/opportunities/{first.id}").get_data(as_text=True)
    membership = db.session.scalar(db.select(TeamMembership).where(TeamMembership.invitation_id == first.id))
    membership.status, membership.ended_at = "dropped", utcnow()
    db.session.commit()
    assert "You left this team on" in other.get(f"/opportunities/{first.id}").get_data(as_text=True)
