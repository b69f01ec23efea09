"""The end of a project: final report, completion (track records feed matching), ratings. Nothing is deleted."""
from datetime import timedelta

import numpy as np
import pytest

from app.errors.domain import DomainError
from app.matching.components import reliability
from app.matching.weights import DEFAULT_PARAMS
from app.models import CheckIn, CheckInHours, OutboxEmail, Project, Rating, Sprint, TeamMembership, VolunteerProfile
from app.recruiting.features import load_volunteer_features
from app.teams import checkins, completion
from tests.integration.team_helpers import active_team, at, checkin_data


@pytest.fixture
def team(db, make):
    return active_team(make, weeks=3)


def _all_checkins(team, late_sprint=None):
    for s in team.sprints:
        when = s.due_on + timedelta(days=3) if s.number == late_sprint else s.due_on
        checkins.submit_checkin(team.lead, s, checkin_data(team), now=at(when))


REPORT = {"deliverables_done": "Donation page live; thank-you email sent",
          "metrics_reached": "$5,400 online", "handover_notes": "Logins handed to Casey."}


def test_final_report_opens_with_the_last_checkin_or_the_end_date(db, team):
    s1 = team.sprint(1)
    checkins.submit_checkin(team.lead, s1, checkin_data(team), now=at(s1.due_on))
    with pytest.raises(DomainError, match="opens when the last sprint"):
        completion.file_final_report(team.lead, team.project, REPORT, now=at(s1.due_on))
    report = completion.file_final_report(team.lead, team.project, REPORT, now=at(team.project.end_date))
    assert report.deliverables_done.startswith("Donation page live")


def test_final_report_after_the_last_checkin_and_only_by_lead_or_staff(db, team):
    _all_checkins(team)
    day = at(team.sprint(3).due_on)
    for user in (team.members[1], team.campaign_user):
        with pytest.raises(DomainError, match="Only the team lead or staff"):
            completion.file_final_report(user, team.project, REPORT, now=day)
    with pytest.raises(DomainError, match="Say which deliverables"):
        completion.file_final_report(team.lead, team.project, {**REPORT, "deliverables_done": " "}, now=day)
    completion.file_final_report(team.lead, team.project, REPORT, now=day)
    completion.file_final_report(team.staff, team.project, {**REPORT, "handover_notes": "More"}, now=day)
    assert completion.final_report_of(team.project).handover_notes == "More"


@pytest.mark.postgres
def test_completing_updates_track_records_and_deletes_nothing(db, make, team):
    extra = make.volunteer(hours=20)
    dropped = TeamMembership(project_id=team.project.id, volunteer_id=extra.volunteer_profile.id, hours_per_week=6)
    db.session.add(dropped)
    db.session.commit()
    completion.drop_member(team.staff, dropped, "Moved abroad")
    _all_checkins(team, late_sprint=2)
    completion.file_final_report(team.lead, team.project, REPORT, now=at(team.sprint(3).due_on))
    counts_before = {m: db.session.scalar(db.select(db.func.count()).select_from(m))
                     for m in (CheckIn, CheckInHours, Sprint, TeamMembership)}

    completion.complete_project(team.staff, team.project)

    db.session.expire_all()
    project = db.session.get(Project, team.project.id)
    assert project.status == "completed" and project.completed_at is not None
    for m in team.memberships:
        m = db.session.get(TeamMembership, m.id)
        assert m.status == "completed" and m.ended_at is not None
    lead = db.session.get(VolunteerProfile, team.lead.volunteer_profile.id)
    member = db.session.get(VolunteerProfile, team.members[1].volunteer_profile.id)
    gone = db.session.get(VolunteerProfile, extra.volunteer_profile.id)
    assert (lead.checkins_due, lead.checkins_on_time, lead.projects_completed, lead.projects_led) == (3, 2, 1, 1)
    assert (member.checkins_due, member.checkins_on_time, member.projects_completed, member.projects_led) == (3, 2, 1, 0)
    assert (gone.projects_dropped, gone.projects_completed, gone.checkins_due) == (1, 0, 0)
    assert db.session.get(TeamMembership, dropped.id).status == "dropped"
    assert {m: db.session.scalar(db.select(db.func.count()).select_from(m)) for m in counts_before} == counts_before
    keys = set(db.session.scalars(db.select(OutboxEmail.idempotency_key).where(
        OutboxEmail.idempotency_key.like(f"rate-request:{project.id}:%"))))
    assert keys == {f"rate-request:{project.id}:{u.id}" for u in [team.campaign_user, *team.members]}

    with pytest.raises(DomainError, match="Only an active project"):
        completion.complete_project(team.staff, project)
    assert db.session.get(VolunteerProfile, lead.id).projects_completed == 1  # counted once


def test_without_a_final_report_only_after_the_end_date(db, team):
    with pytest.raises(DomainError, match="final report"):
        completion.complete_project(team.staff, team.project, now=at(team.project.end_date))
    completion.complete_project(team.staff, team.project, now=at(team.project.end_date + timedelta(days=1)))
    profile = db.session.get(VolunteerProfile, team.lead.volunteer_profile.id)
    assert (profile.checkins_due, profile.checkins_on_time) == (3, 0)


def test_only_staff_complete(db, team):
    _all_checkins(team)
    completion.file_final_report(team.lead, team.project, REPORT, now=at(team.sprint(3).due_on))
    with pytest.raises(DomainError, match="Only staff"):
        completion.complete_project(team.lead, team.project)


def test_reliability_used_by_matching_rises_with_a_good_record(db, make, team):
    newcomer = make.volunteer()
    _all_checkins(team)
    completion.file_final_report(team.lead, team.project, REPORT, now=at(team.sprint(3).due_on))
    features, _labels = load_volunteer_features()
    before = dict(zip(features.ids.tolist(), reliability(features, DEFAULT_PARAMS, slice(None)).tolist()))
    completion.complete_project(team.staff, team.project)
    features, _labels = load_volunteer_features()
    after = dict(zip(features.ids.tolist(), reliability(features, DEFAULT_PARAMS, slice(None)).tolist()))
    lead_id, newcomer_id = team.lead.volunteer_profile.id, newcomer.volunteer_profile.id
    assert np.isclose(before[lead_id], DEFAULT_PARAMS.reliability_prior)
    assert after[lead_id] > before[lead_id]
    assert np.isclose(after[newcomer_id], DEFAULT_PARAMS.reliability_prior)


def _reliability_by_volunteer():
    features, _labels = load_volunteer_features()
    return dict(zip(features.ids.tolist(), reliability(features, DEFAULT_PARAMS, slice(None)).tolist()))


def test_campaign_rating_feeds_the_teams_reliability(db, make, team):
    _all_checkins(team)
    completion.file_final_report(team.lead, team.project, REPORT, now=at(team.sprint(3).due_on))
    completion.complete_project(team.staff, team.project)
    member_ids = [m.volunteer_profile.id for m in team.members]
    unrated = _reliability_by_volunteer()
    completion.rate(team.members[1], team.project, 1)  # a volunteer rating their experience: not about them
    assert _reliability_by_volunteer() == unrated
    completion.rate(team.campaign_user, team.project, 5, "Excellent team")
    praised = _reliability_by_volunteer()
    completion.rate(team.campaign_user, team.project, 1, "Changed our mind")
    panned = _reliability_by_volunteer()
    for vid in member_ids:
        assert panned[vid] < unrated[vid] < praised[vid]


@pytest.mark.postgres
def test_ratings_one_per_rater_and_kind(db, make, team):
    _all_checkins(team)
    with pytest.raises(DomainError, match="open when the project is completed"):
        completion.rate(team.campaign_user, team.project, 5)
    completion.file_final_report(team.lead, team.project, REPORT, now=at(team.sprint(3).due_on))
    completion.complete_project(team.staff, team.project)
    r1 = completion.rate(team.campaign_user, team.project, 5, "Excellent team")
    assert r1.kind == "campaign"
    r2 = completion.rate(team.members[1], team.project, 4, "Learned a lot")
    assert r2.kind == "volunteer"
    again = completion.rate(team.members[1], team.project, 3)
    assert again.id == r2.id and again.score == 3
    assert db.session.scalar(db.select(db.func.count()).select_from(Rating)) == 2
    with pytest.raises(DomainError, match="score from 1 to 5"):
        completion.rate(team.lead, team.project, 7)
    for outsider in (make.volunteer(), make.user("campaign"), team.staff):
        with pytest.raises(DomainError, match="Only the campaign and the team"):
            completion.rate(outsider, team.project, 4)


def test_a_lead_who_leaves_stops_being_lead(db, team):
    completion.drop_member(team.staff, team.memberships[0], "New job")
    db.session.refresh(team.memberships[0])
    assert team.memberships[0].status == "dropped" and not team.memberships[0].is_lead
