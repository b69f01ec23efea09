"""The whole transition table, walked: every allowed move works and is audited; every other one is
refused with a clear message and changes nothing (the row, the audit log)."""
import itertools
from datetime import timedelta

import pytest

from app import lifecycle
from app.extensions import db
from app.lifecycle import MACHINES, TransitionRefused, transition
from app.models import (
    AuditEntry,
    CheckIn,
    HelpRequest,
    Invitation,
    LeadApplication,
    Partner,
    PartnerCampaign,
    Sprint,
    TeamMembership,
    TrainingSeat,
    TrainingSession,
)
from app.models.base import utcnow

# Conditional updates, constraints and the JSON audit details behave per dialect: both passes.
pytestmark = pytest.mark.postgres


def _count_audit():
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))


@pytest.fixture
def things(make):
    """One row of each stateful model, to be put in any status by the test."""
    staff = make.user("staff")
    member = make.user("campaign")
    campaign = make.campaign(member)
    volunteer = make.volunteer()
    project = make.project(campaign, status="recruiting")
    request = HelpRequest(campaign_id=campaign.id, goals="Raise money", categories=["website"])
    invitation = Invitation(project_id=project.id, volunteer_id=volunteer.volunteer_profile.id,
                            expires_at=utcnow() + timedelta(days=5))
    membership = TeamMembership(project_id=project.id, volunteer_id=volunteer.volunteer_profile.id, hours_per_week=6)
    sprint = Sprint(project_id=project.id, number=1, starts_on=project.start_date,
                    ends_on=project.start_date + timedelta(days=6), due_on=project.start_date + timedelta(days=6))
    db.session.add_all([request, invitation, membership, sprint])
    db.session.flush()
    checkin = CheckIn(sprint_id=sprint.id, project_id=project.id, status="on_track")
    # The lead pipeline: an application to lead, a training session and a seat in it.
    application = LeadApplication(volunteer_id=volunteer.volunteer_profile.id, note="I ran a team of five.")
    session = TrainingSession(starts_at=utcnow() + timedelta(days=3), timezone="America/Chicago", capacity=4,
                              meeting_link="https://meet.example/lead", trainer_id=staff.id)
    db.session.add_all([checkin, application, session])
    db.session.flush()
    seat = TrainingSeat(session_id=session.id, volunteer_id=volunteer.volunteer_profile.id)
    # A campaign's place in a partner's portfolio.
    partner = Partner(name="Virginia House Caucus", kind="caucus", referral_code="vhc-lifecycle")
    db.session.add_all([seat, partner])
    db.session.flush()
    place = PartnerCampaign(partner_id=partner.id, campaign_id=campaign.id)
    db.session.add(place)
    db.session.commit()
    return {"HelpRequest": request, "Project": project, "Invitation": invitation, "TeamMembership": membership,
            "CheckIn": checkin, "LeadApplication": application, "TrainingSession": session, "TrainingSeat": seat,
            "PartnerCampaign": place, "actor": staff}


def test_every_status_of_every_machine_has_a_row_in_the_table():
    for name, machine in MACHINES.items():
        assert set(machine.moves) == set(machine.enum), name
        for frm, moves in machine.moves.items():
            assert set(moves) <= set(machine.enum) and frm not in moves, (name, frm)


# One test per machine walking all its (from, to) pairs: the same checks as a test per pair, at a
# fraction of the set-up cost.
@pytest.mark.parametrize("name", list(MACHINES))
def test_transition_table(things, name):
    obj, machine = things[name], MACHINES[name]
    walked = 0
    for frm, to in itertools.product(machine.enum, machine.enum):
        setattr(obj, machine.column, frm)
        db.session.commit()
        before = _count_audit()
        if machine.allowed(frm, to):
            entry = transition(obj, to, things["actor"])
            db.session.commit()
            db.session.expire_all()
            assert getattr(db.session.get(type(obj), obj.id), machine.column) == to, (frm, to)
            assert _count_audit() == before + 1, (frm, to)
            assert entry.details["old"] == frm and entry.details["new"] == to
        else:
            with pytest.raises(TransitionRefused) as refused:
                transition(obj, to, things["actor"])
            db.session.rollback()
            db.session.expire_all()
            assert getattr(db.session.get(type(obj), obj.id), machine.column) == frm, (frm, to)
            assert _count_audit() == before, (frm, to)
            message = refused.value.message
            assert message.startswith(f"This {machine.noun} is ") and "cannot be" in message, message
            assert "_" not in message, message  # people read labels, not identifiers
        obj = db.session.get(type(obj), obj.id)
        walked += 1
    assert walked == len(machine.enum) ** 2


def test_a_stale_state_loses_to_the_change_that_came_first(things):
    """Two people act on the same thing from the same state: the second is refused, nothing half-done."""
    project = things["Project"]
    db.session.execute(db.update(type(project)).where(type(project).id == project.id).values(status="cancelled"))
    db.session.commit()
    project.status = "recruiting"  # what the second person's page still showed (not flushed)
    db.session.expire(project, ["status"])
    db.session.refresh(project)
    assert project.status == "cancelled"
    stale = db.session.get(type(project), project.id)
    before = _count_audit()
    # Simulate the stale read: the object believes it is recruiting, the database says cancelled.
    from sqlalchemy.orm.attributes import set_committed_value

    set_committed_value(stale, "status", "recruiting")
    with pytest.raises(TransitionRefused) as refused:
        transition(stale, "active", things["actor"])
    assert "changed a moment ago" in refused.value.message
    db.session.expire_all()
    assert db.session.get(type(project), project.id).status == "cancelled"
    assert _count_audit() == before


def test_every_machine_is_walked(things):
    """A machine added to the table without a row in the fixture above would go unwalked."""
    assert set(MACHINES) <= set(things)


def test_can_answers_from_the_table(things):
    project = things["Project"]
    assert lifecycle.can(project, lifecycle.ProjectStatus.CANCELLED)
    assert not lifecycle.can(project, lifecycle.ProjectStatus.DRAFT)
