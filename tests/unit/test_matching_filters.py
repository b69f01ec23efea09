"""Hard filters: each one, their counts, and the optional date filter."""
from app.matching import MatchParams, rank_volunteers
from tests.unit.matching_fixtures import DAY0, REACT, features, project


def ranked_ids(result):
    return [c.volunteer_id for c in result.candidates]


def test_each_hard_filter_excludes_and_is_counted():
    f = features(
        {"id": 1, "skills": {REACT: 3}},                                  # eligible
        {"id": 2, "skills": {REACT: 3}, "paused": True},                  # paused / opted out
        {"id": 3, "skills": {REACT: 3}},                                  # already invited
        {"id": 4, "skills": {REACT: 3}, "hours_per_week": 10, "committed_hours": 4.5},  # 5.5 free < 6
        {"id": 5, "skills": {REACT: 3}, "available_until": DAY0 - 1},     # gone before the start
        {"id": 6, "skills": {REACT: 3}, "available_from": DAY0 + 28},     # back after the end
        {"id": 7, "skills": {REACT: 3}, "hours_per_week": 6},             # exactly enough: eligible
        {"id": 8, "skills": {REACT: 3}, "available_until": DAY0},         # one day overlap: eligible
    )
    r = rank_volunteers(f, project(hours_per_week=6, exclude_ids={3}))
    assert sorted(ranked_ids(r)) == [1, 7, 8]
    assert r.eligible_count == 3
    assert r.filtered == {"paused": 1, "already_invited": 1, "not_enough_hours": 1, "unavailable_dates": 2}


def test_volunteer_failing_several_filters_counted_once_under_first():
    f = features({"id": 1, "paused": True, "hours_per_week": 1, "available_until": DAY0 - 5}, {"id": 2})
    r = rank_volunteers(f, project(exclude_ids={1}))
    assert r.filtered == {"paused": 1, "already_invited": 0, "not_enough_hours": 0, "unavailable_dates": 0}
    assert sum(r.filtered.values()) + r.eligible_count == len(f)


def test_date_filter_can_be_switched_off():
    f = features({"id": 1, "available_until": DAY0 - 1}, {"id": 2})
    r = rank_volunteers(f, project(), params=MatchParams(filter_no_date_overlap=False))
    assert ranked_ids(r) == [2, 1]
    assert r.filtered["unavailable_dates"] == 0
    assert r.candidates[1].components["availability"] == 0.0


def test_nobody_eligible():
    f = features({"id": 1, "paused": True}, {"id": 2, "hours_per_week": 2})
    r = rank_volunteers(f, project())
    assert r.candidates == [] and r.eligible_count == 0
    assert r.team.member_ids == [] and r.team.lead_id is None
