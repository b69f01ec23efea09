"""Strict inputs: the pure API refuses missing numbers and duplicate ids with InvalidMatchInput."""
import math

import numpy as np
import pytest

from app.matching import (InvalidMatchInput, Need, explain_volunteers, rank_volunteers, suggest_team,
                          synthetic_features)
from tests.unit.matching_fixtures import REACT, features, project


def test_invalid_input_is_a_value_error():
    assert issubclass(InvalidMatchInput, ValueError)


@pytest.mark.parametrize("column", ["hours_per_week", "committed_hours", "rating_points"])
def test_nan_or_none_in_a_required_number_is_refused_naming_the_volunteer(column):
    for bad in (math.nan, None):
        with pytest.raises(InvalidMatchInput, match=rf"{column}.*\[7\]"):
            features({"id": 6}, {"id": 7, column: bad})


def test_none_in_an_integer_column_is_refused():
    with pytest.raises(InvalidMatchInput, match="checkins_due"):
        features({"id": 1, "checkins_due": None})


def test_unknown_location_and_time_zone_stay_allowed():
    f = features({"id": 1, "home_lat": math.nan, "cur_lon": math.nan, "utc_offset": math.nan})
    assert rank_volunteers(f, project()).candidates[0].volunteer_id == 1


def test_duplicate_volunteer_ids_are_refused():
    with pytest.raises(InvalidMatchInput, match=r"duplicate volunteer id\(s\): \[5\]"):
        features({"id": 5}, {"id": 6}, {"id": 5})


def test_duplicate_ids_refused_in_large_unsorted_arrays_too():
    f = synthetic_features(1000, seed=1)
    ids = f.ids[::-1].copy()
    ids[10] = ids[500]
    cols = {name: getattr(f, name) for name in f.__dataclass_fields__}
    cols["ids"] = ids
    with pytest.raises(InvalidMatchInput, match="duplicate volunteer"):
        type(f)(**cols)


def test_duplicate_skill_columns_and_duplicate_needs_are_refused():
    with pytest.raises(InvalidMatchInput, match="duplicate skill"):
        features({"id": 1}, skill_ids=(REACT, REACT))
    with pytest.raises(InvalidMatchInput, match="listed twice"):
        project(needs=[(REACT, 2), (REACT, 3)])


@pytest.mark.parametrize("kw", [
    {"hours_per_week": math.nan}, {"hours_per_week": None}, {"lat": None}, {"start_day": None},
    {"needs": [(REACT, math.nan)]}, {"needs": [(REACT, 2, math.nan)]}, {"needs": [(REACT, 2.5)]},
])
def test_project_needs_refuse_missing_numbers(kw):
    with pytest.raises(InvalidMatchInput):
        project(**kw)


def test_need_refuses_none_weight():
    with pytest.raises(InvalidMatchInput):
        Need(REACT, 2, None)


def test_explain_and_team_refuse_duplicate_ids():
    f = features({"id": 5, "skills": {REACT: 3}}, {"id": 6, "skills": {REACT: 3}})
    with pytest.raises(InvalidMatchInput):
        explain_volunteers(f, project(), [5, 5, 6])
    with pytest.raises(InvalidMatchInput):
        suggest_team(f, project(), [(5, 0.9), (5, 0.9), (6, 0.8)])


def test_no_nan_score_reaches_a_candidate():
    f = synthetic_features(2000, seed=3)
    r = rank_volunteers(f, project(needs=[(1, 2)]), top_k=50)
    assert all(np.isfinite(c.score) for c in r.candidates)
