"""Check-ins: one per sprint, only the lead or staff, the edit window, on time, acknowledgements and notes."""
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.errors.domain import DomainError
from app.models import AuditEntry, CheckIn, CheckInHours, CheckInNote, DeliverableProgress, MetricValue, OutboxEmail
from app.teams import checkins
from tests.integration.team_helpers import active_team, at, checkin_data


@pytest.fixture
def team(db, make):
    return active_team(make, weeks=3)


def _count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_lead_logs_a_checkin_with_hours_progress_and_metrics(db, team):
    s1 = team.sprint(1)
    c = checkins.submit_checkin(team.lead, s1, checkin_data(team, status="at_risk"), now=at(s1.due_on))
    assert c.status == "at_risk" and c.on_time and c.author_id == team.lead.id
    assert _count(db, CheckInHours) == 3 and _count(db, DeliverableProgress) == 2 and _count(db, MetricValue) == 1
    d1, d2 = team.project.deliverables
    assert (d1.progress, d2.progress) == (50, 20)
    assert team.project.metrics[0].current_value == 1000
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "checkin.submitted")) is not None
    mail = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key.like("notify:checkin-logged:%")))
    assert mail.to_email == team.campaign_user.email and "at risk" in mail.subject.lower()


def test_a_second_submit_edits_the_same_checkin(db, team):
    s1 = team.sprint(1)
    first = checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))
    second = checkins.submit_checkin(
        team.lead, s1, checkin_data(team, status="off_track", hours=7, progress=(60, 30), metric=1500),
        now=at(s1.due_on + timedelta(days=3)),
    )
    assert first.id == second.id and _count(db, CheckIn) == 1
    assert second.status == "off_track" and second.on_time  # on-time is decided by the first submission
    assert {h.hours for h in second.hours} == {7}
    assert team.project.deliverables[0].progress == 60 and team.project.metrics[0].current_value == 1500
    assert _count(db, CheckInHours) == 3  # edited in place, not duplicated


@pytest.mark.postgres
def test_one_checkin_per_sprint_in_the_database(db, team):
    s1 = team.sprint(1)
    checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))
    db.session.add(CheckIn(sprint_id=s1.id, project_id=team.project.id, status="on_track"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("who", ["member", "campaign", "outsider"])
def test_only_the_lead_or_staff_write_checkins(db, make, team, who):
    user = {"member": team.members[1], "campaign": team.campaign_user, "outsider": make.volunteer()}[who]
    s1 = team.sprint(1)
    with pytest.raises(DomainError, match="Only the team lead or staff"):
        checkins.submit_checkin(user, s1, checkin_data(team), now=at(s1.due_on))
    assert _count(db, CheckIn) == 0


def test_staff_can_write_the_checkin(db, team):
    s1 = team.sprint(1)
    c = checkins.submit_checkin(team.staff, s1, checkin_data(team), now=at(s1.due_on))
    assert c.author_id == team.staff.id


def test_a_lead_who_stepped_down_cannot_write(db, make, team):
    from app.teams import formation

    team.members[1].volunteer_profile.lead_trained = True
    db.session.commit()
    formation.name_lead(team.staff, team.project, team.memberships[1].id)
    s1 = team.sprint(1)
    with pytest.raises(DomainError):
        checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))
    assert checkins.submit_checkin(team.members[1], s1, checkin_data(team), now=at(s1.due_on))


def test_edit_window_closes_when_the_next_checkin_is_due(db, team):
    s1, s2 = team.sprint(1), team.sprint(2)
    assert checkins.edit_deadline(s1) == s2.due_on
    checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))
    checkins.submit_checkin(team.lead, s1, checkin_data(team, hours=2), now=at(s2.due_on))  # last day: still open
    with pytest.raises(DomainError, match="closed on"):
        checkins.submit_checkin(team.lead, s1, checkin_data(team, hours=9), now=at(s2.due_on + timedelta(days=1)))
    db.session.rollback()
    assert {h.hours for h in db.session.scalar(db.select(CheckIn)).hours} == {2}


def test_last_sprint_is_editable_until_two_days_after_the_end(db, team):
    s3 = team.sprint(3)
    end = team.project.end_date
    assert checkins.edit_deadline(s3) == end + timedelta(days=2)
    checkins.submit_checkin(team.lead, s3, checkin_data(team), now=at(end + timedelta(days=2)))
    with pytest.raises(DomainError, match="closed on"):
        checkins.submit_checkin(team.lead, s3, checkin_data(team), now=at(end + timedelta(days=3)))


def test_a_sprint_that_has_not_started_cannot_be_reported(db, team):
    s3 = team.sprint(3)
    with pytest.raises(DomainError, match="opens then"):
        checkins.submit_checkin(team.lead, s3, checkin_data(team), now=at(s3.starts_on - timedelta(days=1)))


def test_on_time_has_one_day_of_grace(db, team):
    s1, s2 = team.sprint(1), team.sprint(2)
    c1 = checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on + timedelta(days=1), 23))
    c2 = checkins.submit_checkin(team.lead, s2, checkin_data(team), now=at(s2.due_on + timedelta(days=2)))
    assert c1.on_time is True and c2.on_time is False


def test_editing_an_older_checkin_does_not_override_the_latest_values(db, team):
    s1, s2 = team.sprint(1), team.sprint(2)
    checkins.submit_checkin(team.lead, s1, checkin_data(team, progress=(30, 10), metric=100), now=at(s1.due_on))
    checkins.submit_checkin(team.lead, s2, checkin_data(team, progress=(70, 40), metric=900), now=at(s2.due_on))
    checkins.submit_checkin(team.lead, s1, checkin_data(team, progress=(35, 15), metric=150), now=at(s2.due_on))
    assert [d.progress for d in team.project.deliverables] == [70, 40]
    assert team.project.metrics[0].current_value == 900


def test_blank_metric_keeps_the_previous_reading(db, team):
    s1, s2 = team.sprint(1), team.sprint(2)
    checkins.submit_checkin(team.lead, s1, checkin_data(team, metric=400), now=at(s1.due_on))
    checkins.submit_checkin(team.lead, s2, checkin_data(team, metric=None), now=at(s2.due_on))
    assert team.project.metrics[0].current_value == 400


@pytest.mark.parametrize("bad,field", [("progress", "progress_"), ("hours", "hours_"), ("status", "status")])
def test_bad_values_are_refused_and_nothing_is_saved(db, team, bad, field):
    data = checkin_data(team)
    if bad == "progress":
        data["progress"][team.project.deliverables[0].id] = 120
    elif bad == "hours":
        data["hours"][team.memberships[1].id] = 100
    else:
        data["status"] = "fine"
    s1 = team.sprint(1)
    with pytest.raises(DomainError) as err:
        checkins.submit_checkin(team.lead, s1, data, now=at(s1.due_on))
    assert err.value.field.startswith(field)
    assert _count(db, CheckIn) == 0 and team.project.deliverables[0].progress == 0


def test_no_checkins_once_the_project_is_completed(db, team):
    team.project.status = "completed"
    db.session.commit()
    s1 = team.sprint(1)
    with pytest.raises(DomainError, match="not running"):
        checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))


def test_the_campaign_acknowledges_with_a_comment(db, make, team):
    s1 = team.sprint(1)
    c = checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))
    checkins.acknowledge(team.campaign_user, c, "Great work, thanks!")
    assert c.acknowledged_at is not None and c.acknowledged_by_id == team.campaign_user.id
    assert c.campaign_comment == "Great work, thanks!"


@pytest.mark.parametrize("who", ["lead", "staff", "other_campaign"])
def test_only_the_projects_campaign_acknowledges(db, make, team, who):
    other = make.user("campaign")
    make.campaign(other)
    user = {"lead": team.lead, "staff": team.staff, "other_campaign": other}[who]
    s1 = team.sprint(1)
    c = checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))
    with pytest.raises(DomainError, match="Only the campaign"):
        checkins.acknowledge(user, c, "hi")
    assert c.acknowledged_at is None


def test_members_add_notes_others_cannot(db, make, team):
    s1 = team.sprint(1)
    c = checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))
    note = checkins.add_note(team.members[2], c, "I can take the email next week.")
    assert note.author_id == team.members[2].id
    for user in (team.campaign_user, make.volunteer()):
        with pytest.raises(DomainError, match="Only members"):
            checkins.add_note(user, c, "hello")
    with pytest.raises(DomainError, match="Write something"):
        checkins.add_note(team.members[1], c, "   ")
    assert _count(db, CheckInNote) == 1
