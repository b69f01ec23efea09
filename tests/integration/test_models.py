"""Constraints that live in the database, checked on SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.models import CheckIn, Invitation, OutboxEmail, Project, Sprint, TeamMembership

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): constraints: unique, check and partial unique
# indexes are enforced by each database.
pytestmark = pytest.mark.postgres


def _commit_fails(db, *objs):
    for o in objs:
        db.session.add(o)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("weeks", [0, 9])
def test_project_weeks_between_1_and_8(db, make, weeks):
    c = make.campaign()
    start = date.today()
    _commit_fails(db, Project(campaign_id=c.id, title="X", hours_per_week=5, weeks=weeks, start_date=start, end_date=start))


@pytest.mark.parametrize("team_min,team_max", [(2, 4), (3, 6), (5, 4)])
def test_team_size_between_3_and_5(db, make, team_min, team_max):
    c = make.campaign()
    start = date.today()
    _commit_fails(
        db,
        Project(campaign_id=c.id, title="X", hours_per_week=5, weeks=4, start_date=start, end_date=start,
                team_min=team_min, team_max=team_max),
    )


def test_seats_filled_cannot_exceed_team_max(db, make):
    p = make.project(make.campaign(), team_max=3)
    p.seats_filled = 4
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_one_invitation_per_volunteer_and_project(db, make):
    p = make.project(make.campaign())
    v = make.volunteer().volunteer_profile
    exp = datetime.utcnow() + timedelta(days=5)
    db.session.add(Invitation(project_id=p.id, volunteer_id=v.id, expires_at=exp))
    db.session.commit()
    _commit_fails(db, Invitation(project_id=p.id, volunteer_id=v.id, expires_at=exp))


def test_one_membership_and_one_lead_per_project(db, make):
    p = make.project(make.campaign())
    a, b = make.volunteer().volunteer_profile, make.volunteer().volunteer_profile
    db.session.add(TeamMembership(project_id=p.id, volunteer_id=a.id, hours_per_week=5, is_lead=True))
    db.session.commit()
    _commit_fails(db, TeamMembership(project_id=p.id, volunteer_id=a.id, hours_per_week=5))
    _commit_fails(db, TeamMembership(project_id=p.id, volunteer_id=b.id, hours_per_week=5, is_lead=True))
    db.session.add(TeamMembership(project_id=p.id, volunteer_id=b.id, hours_per_week=5, is_lead=False))
    db.session.commit()


def test_one_checkin_per_sprint(db, make):
    p = make.project(make.campaign(), status="active")
    s = Sprint(project_id=p.id, number=1, starts_on=p.start_date, ends_on=p.start_date, due_on=p.start_date)
    db.session.add(s)
    db.session.commit()
    db.session.add(CheckIn(sprint_id=s.id, project_id=p.id, status="on_track"))
    db.session.commit()
    _commit_fails(db, CheckIn(sprint_id=s.id, project_id=p.id, status="at_risk"))


def test_sprint_number_at_most_8(db, make):
    p = make.project(make.campaign())
    _commit_fails(db, Sprint(project_id=p.id, number=9, starts_on=p.start_date, ends_on=p.start_date, due_on=p.start_date))


def test_outbox_key_unique(db):
    db.session.add(OutboxEmail(idempotency_key="invite:1", to_email="a@b.org", subject="s", text_body="t"))
    db.session.commit()
    _commit_fails(db, OutboxEmail(idempotency_key="invite:1", to_email="a@b.org", subject="s", text_body="t"))


def test_status_values_are_checked(db, make):
    p = make.project(make.campaign())
    p.status = "floating"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
