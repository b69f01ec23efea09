"""Each score component on tiny hand-built inputs, with exact expected values."""
import math

import numpy as np
import pytest

from app.matching import MatchParams, haversine_km, normalize_weights
from app.matching.components import chord2, chord2_to_km, prepare
from tests.unit.matching_fixtures import (CA, CLIMATE, DAY0, DESIGN, HOUSING, LA_KEY, LOS_ANGELES,
                                          PYTHON, REACT, RICHMOND, RICHMOND_KEY, VA, VOTING, WASHINGTON,
                                          components, features, nowhere, project)

approx = lambda v: pytest.approx(v, rel=1e-6, abs=1e-6)  # noqa: E731  float32 kernels


# ---- skills -------------------------------------------------------------------------
def test_skills_weighted_and_capped_at_needed_level():
    f = features(
        {"id": 1, "skills": {REACT: 3, PYTHON: 2}},   # React capped: 1; Python 2/4
        {"id": 2, "skills": {REACT: 1}},              # 1/2 of React only
        {"id": 3},                                    # nothing
        {"id": 4, "skills": {REACT: 4, PYTHON: 4}},   # everything
        {"id": 5, "skills": {DESIGN: 4}},             # irrelevant skill
    )
    p = project(needs=[(REACT, 2, 1.0), (PYTHON, 4, 3.0)])
    got = components(f, p)["skills"]
    half = 0.5  # MatchParams.full_cover_share: only meeting every needed level earns the other half
    assert list(got) == [approx(half * (1 * 1 + 3 * 0.5) / 4), approx(half * 0.5 / 4), 0.0, approx(1.0), 0.0]


def test_skills_unknown_skill_counts_in_total_weight_and_no_needs_is_neutral():
    f = features({"id": 1, "skills": {REACT: 3}})
    assert components(f, project(needs=[(REACT, 3, 1.0), (999, 2, 1.0)]))["skills"][0] == approx(0.25)
    assert components(f, project(needs=[]))["skills"][0] == approx(1.0)


def test_skills_levels_above_expert_saturate():
    f = features({"id": 1, "skills": {REACT: 9}})
    assert components(f, project(needs=[(REACT, 4, 1.0)]))["skills"][0] == approx(1.0)


# ---- affinity ------------------------------------------------------------------------
def test_affinity_city_state_and_causes_blend():
    causes = (1 << VOTING) | (1 << CLIMATE)
    f = features(
        nowhere(id=1, home_city=RICHMOND_KEY),                                   # hometown, no causes
        nowhere(id=2, cur_city=RICHMOND_KEY, causes=1 << VOTING),               # lives there, 1 of 2
        nowhere(id=3, home_state=VA),                                          # same state only
        nowhere(id=4, causes=causes | (1 << HOUSING)),                          # causes only
        nowhere(id=5, cur_state=CA, cur_city=LA_KEY),                          # nothing shared
    )
    got = components(f, project(causes=causes))["affinity"]
    assert list(got) == [approx(0.75), approx(0.75 + 0.25 * 0.5), approx(0.75 * 0.6), approx(0.25), 0.0]


def test_affinity_distance_decay_uses_nearer_of_home_and_current():
    f = features(
        {"id": 1, "home_lat": WASHINGTON[0], "home_lon": WASHINGTON[1]},
        {"id": 2, "home_lat": LOS_ANGELES[0], "home_lon": LOS_ANGELES[1],
         "cur_lat": WASHINGTON[0], "cur_lon": WASHINGTON[1]},
        # same state but 155 km: the state's 0.6 beats exp(-155/150)
        {"id": 3, "home_lat": WASHINGTON[0], "home_lon": WASHINGTON[1], "home_state": VA},
        # same state and close: the distance decay beats 0.6
        {"id": 4, "home_lat": RICHMOND[0] + 0.1, "home_lon": RICHMOND[1], "home_state": VA},
    )
    d = float(haversine_km(*WASHINGTON, *RICHMOND))
    assert 150 < d < 160
    near = float(haversine_km(RICHMOND[0] + 0.1, RICHMOND[1], *RICHMOND))
    got = components(f, project(causes=0))["affinity"]
    assert got[0] == pytest.approx(math.exp(-d / 150), rel=1e-4)
    assert got[1] == pytest.approx(math.exp(-d / 150), rel=1e-4)
    assert got[2] == approx(0.6)
    assert got[3] == pytest.approx(math.exp(-near / 150), rel=1e-4) and got[3] > 0.9


def test_affinity_unknown_campaign_location_or_volunteer_location_gives_no_place_credit():
    f = features(nowhere(id=1), {"id": 2, "home_lat": RICHMOND[0], "home_lon": RICHMOND[1]})
    assert list(components(f, project(causes=0))["affinity"]) == [0.0, pytest.approx(1.0, abs=1e-5)]
    p = project(causes=0, lat=float("nan"), lon=float("nan"), city=0, state=-1)
    assert list(components(f, p)["affinity"]) == [0.0, 0.0]


def test_chord_distance_equals_haversine():
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(25, 48, 200), rng.uniform(-124, -67, 200)
    f = features(*[{"id": i + 1, "home_lat": a, "home_lon": b} for i, (a, b) in enumerate(zip(lat, lon))])
    p = project()
    km = chord2_to_km(chord2(f, prepare(f, p), slice(None)).astype(np.float64))
    assert np.allclose(km, haversine_km(lat, lon, *RICHMOND), atol=0.05)


# ---- availability --------------------------------------------------------------------
def test_availability_hours_headroom_dates_and_time_zone():
    f = features(
        {"id": 1, "hours_per_week": 12, "utc_offset": -5},                       # everything full
        {"id": 2, "hours_per_week": 10, "committed_hours": 4, "utc_offset": -5},   # free 6 of 9 wanted
        {"id": 3, "hours_per_week": 12, "utc_offset": -8},                       # 3 h apart
        {"id": 4, "hours_per_week": 12, "utc_offset": -5, "available_from": DAY0 + 14},  # half the dates
        {"id": 5, "hours_per_week": 12, "utc_offset": float("nan")},              # unknown zone: neutral
        {"id": 6, "hours_per_week": 12, "utc_offset": 7},                        # 12 h apart: tz 0
    )
    got = components(f, project(hours_per_week=6))["availability"]
    assert list(got) == [approx(1.0), approx(0.6 * 6 / 9 + 0.4), approx(0.6 + 0.4 * 0.75), approx(0.5),
                         approx(1.0), approx(0.6)]


def test_availability_without_project_time_zone_and_custom_params():
    f = features({"id": 1, "hours_per_week": 6, "utc_offset": 3})
    p = project(hours_per_week=6, utc_offset=float("nan"))
    assert components(f, p)["availability"][0] == approx(0.6 * 6 / 9 + 0.4)
    params = MatchParams(hours_headroom=1.0, hours_share=0.5)
    assert components(f, p, params)["availability"][0] == approx(1.0)


# ---- reliability ---------------------------------------------------------------------
def test_newcomer_reliability_equals_prior():
    f = features({"id": 1})
    assert components(f, project())["reliability"][0] == approx(0.7)
    params = MatchParams(reliability_prior=0.55)
    assert components(f, project(), params)["reliability"][0] == approx(0.55)


def test_reliability_bayesian_average():
    f = features(
        {"id": 1, "checkins_on_time": 10, "checkins_due": 10, "projects_completed": 2},
        {"id": 2, "checkins_on_time": 2, "checkins_due": 8, "projects_completed": 0, "projects_dropped": 1},
    )
    got = components(f, project())["reliability"]
    assert got[0] == approx(((10 + 2.8) / 14 + (2 + 1.4) / 4 + 0.7) / 3)
    assert got[1] == approx(((2 + 2.8) / 12 + (0 + 1.4) / 3 + 0.7) / 3)
    assert got[0] > 0.7 > got[1]


def test_campaign_ratings_move_reliability():
    f = features(
        {"id": 1, "ratings_received": 2, "rating_points": 2.0},   # two 5-star ratings
        {"id": 2, "ratings_received": 2, "rating_points": 0.25},  # a 1 and a 2
        {"id": 3},
    )
    got = components(f, project())["reliability"]
    assert got[0] == approx((0.7 + 0.7 + (2 + 2.1) / 5) / 3)
    assert got[1] == approx((0.7 + 0.7 + (0.25 + 2.1) / 5) / 3)
    assert got[2] == approx(0.7)
    assert got[0] > 0.7 > got[1]


# ---- fairness ------------------------------------------------------------------------
def test_fairness_lift_and_damper():
    f = features(
        {"id": 1, "placements": 0, "open_invitations": 0},
        {"id": 2, "placements": 3, "open_invitations": 0},
        {"id": 3, "placements": 0, "open_invitations": 2},
        {"id": 4, "placements": 1, "open_invitations": 1},
    )
    assert list(components(f, project())["fairness"]) == [approx(1.0), approx(0.6), approx(0.5), approx(0.4)]


def test_all_components_in_unit_interval_on_synthetic_data():
    from app.matching import synthetic_features, synthetic_project
    f = synthetic_features(5000, seed=4)
    for seed in range(5):
        for name, arr in components(f, synthetic_project(seed)).items():
            assert np.all((arr >= 0) & (arr <= 1 + 1e-6)), name


# ---- weights -------------------------------------------------------------------------
def test_normalize_weights():
    w = normalize_weights({"skills": 2, "affinity": 2})
    assert w == {"skills": 0.5, "affinity": 0.5, "availability": 0, "reliability": 0, "fairness": 0, "interest": 0}
    assert sum(normalize_weights().values()) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        normalize_weights({"charm": 1})
    with pytest.raises(ValueError):
        normalize_weights({"skills": -1, "affinity": 2})
    with pytest.raises(ValueError):
        normalize_weights({"skills": 0})


def test_feature_shapes_are_validated():
    from app.matching import VolunteerFeatures
    f = features({"id": 1}, {"id": 2})
    arrays = {k: v for k, v in vars(f).items() if isinstance(v, np.ndarray)}
    arrays["paused"] = np.zeros(3, bool)
    with pytest.raises(ValueError):
        VolunteerFeatures(**arrays)


def test_rows_for_ids_with_unsorted_ids():
    f = features({"id": 30}, {"id": 10}, {"id": 20})
    assert list(f.rows_for_ids([10, 20, 30])) == [1, 2, 0]
    with pytest.raises(KeyError):
        f.rows_for_ids([11])
