"""Two-sided signals: a raised hand lifts the interest component; declines whose reason fits damp it."""
import dataclasses

import pytest

from app.matching import DEFAULT_PARAMS, rank_volunteers
from tests.unit.matching_fixtures import PYTHON, REACT, components, features, nowhere, project


def test_a_raised_hand_scores_one_and_has_its_own_reason():
    f = features(nowhere(id=1, skills={REACT: 3}), nowhere(id=2, skills={REACT: 3}))
    p = project(raised_hand_ids={2})
    got = components(f, p)["interest"]
    assert got.tolist() == [pytest.approx(DEFAULT_PARAMS.interest_neutral), 1.0]
    r = rank_volunteers(f, p)
    assert [c.volunteer_id for c in r.candidates] == [2, 1]
    assert "raised a hand for this project" in r.candidates[0].reasons
    assert "raised a hand for this project" not in r.candidates[1].reasons


def test_declines_count_only_where_their_reason_fits_the_project():
    k = DEFAULT_PARAMS
    f = features(nowhere(id=1, skills={REACT: 3}, declined_skills=2),   # fully skilled: skills decline moot
                 nowhere(id=2, skills={REACT: 1}, declined_skills=2),   # misses the level: counts
                 nowhere(id=3, skills={REACT: 3}, declined_time=1, declined_dates=1))
    got = components(f, project())["interest"]
    assert got[0] == pytest.approx(k.interest_neutral)
    assert got[1] == pytest.approx(k.interest_neutral / (1 + 2 * k.decline_damper))
    assert got[2] == pytest.approx(k.interest_neutral / (1 + 2 * k.decline_damper))
    r = rank_volunteers(f, project())
    three = next(c for c in r.candidates if c.volunteer_id == 3)
    assert "recently declined: 1 not enough time, 1 dates" in three.reasons


def test_a_raised_hand_does_not_beat_a_missing_level():
    f = features(nowhere(id=1, skills={REACT: 3, PYTHON: 2}), nowhere(id=2, skills={REACT: 3, PYTHON: 1}))
    p = project(needs=[(REACT, 3), (PYTHON, 2)], raised_hand_ids={2})
    assert [c.volunteer_id for c in rank_volunteers(f, p).candidates] == [1, 2]


def test_no_decline_damping_when_the_damper_is_off():
    f = features(nowhere(id=1, declined_time=3))
    params = dataclasses.replace(DEFAULT_PARAMS, decline_damper=0.0)
    assert components(f, project(), params)["interest"][0] == pytest.approx(DEFAULT_PARAMS.interest_neutral)
