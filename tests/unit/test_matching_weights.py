"""The skills-first rule, stated as a property over random projects and volunteers.

A volunteer missing a needed level never outranks one who meets every needed level
because of location or causes alone; among equally skilled people affinity decides.
"""
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from app.matching import DEFAULT_PARAMS, DEFAULT_WEIGHTS, normalize_weights, rank_volunteers
from tests.unit.matching_fixtures import (CA, DAY0, LA_KEY, LOS_ANGELES, RICHMOND, RICHMOND_KEY, VA, features,
                                          project)

SKILLS = (10, 20, 30, 40, 50)
places = st.sampled_from([
    dict(home_city=RICHMOND_KEY, cur_city=RICHMOND_KEY, home_state=VA, cur_state=VA,
         home_lat=RICHMOND[0], home_lon=RICHMOND[1], cur_lat=RICHMOND[0], cur_lon=RICHMOND[1]),
    dict(home_state=VA, cur_state=VA, home_lat=38.0, home_lon=-78.5, cur_lat=38.0, cur_lon=-78.5),
    dict(home_city=LA_KEY, cur_city=LA_KEY, home_state=CA, cur_state=CA, home_lat=LOS_ANGELES[0],
         home_lon=LOS_ANGELES[1], cur_lat=LOS_ANGELES[0], cur_lon=LOS_ANGELES[1]),
    dict(home_lat=math.nan, home_lon=math.nan, cur_lat=math.nan, cur_lon=math.nan),
])


@st.composite
def cases(draw):
    k = draw(st.integers(1, 5))
    needs = [(SKILLS[j], draw(st.integers(1, 4)), draw(st.sampled_from([0.5, 1.0, 2.0, 3.0]))) for j in range(k)]
    full = {s: draw(st.integers(lvl, 4)) for s, lvl, _ in needs}
    short = dict(full)
    for j in draw(st.sets(st.integers(0, k - 1), min_size=1)):  # at least one need short by >= 1 level
        s, lvl, _ = needs[j]
        short[s] = draw(st.integers(0, lvl - 1))
    shared = dict(hours_per_week=float(draw(st.integers(6, 20))), checkins_due=draw(st.integers(0, 10)),
                  placements=draw(st.integers(0, 3)), open_invitations=draw(st.integers(0, 3)))
    shared["checkins_on_time"] = draw(st.integers(0, shared["checkins_due"]))
    a = {"id": 1, "skills": {s: v for s, v in full.items() if v}, **shared, **draw(places),
         "causes": draw(st.integers(0, 7))}
    b = {"id": 2, "skills": {s: v for s, v in short.items() if v}, **shared, **draw(places),
         "causes": draw(st.integers(0, 7))}
    return needs, a, b


@settings(max_examples=150, deadline=None)
@given(cases())
def test_a_missing_level_never_outranks_every_level_met_on_location_or_causes(case):
    needs, complete, short = case
    f = features(complete, short, skill_ids=SKILLS)
    r = rank_volunteers(f, project(needs=needs, causes=0b111))
    assert [c.volunteer_id for c in r.candidates] == [1, 2]
    assert r.candidates[0].score > r.candidates[1].score


def test_the_rule_holds_by_construction_for_the_default_weights():
    w = normalize_weights(DEFAULT_WEIGHTS)
    assert w["skills"] * DEFAULT_PARAMS.full_cover_share > w["affinity"]


def test_the_issue_case_city_one_level_short_ranks_below_same_state_with_every_level():
    city = dict(id=1, skills={10: 2, 20: 3}, home_city=RICHMOND_KEY, cur_city=RICHMOND_KEY, home_state=VA,
                cur_state=VA, home_lat=RICHMOND[0], home_lon=RICHMOND[1], cur_lat=RICHMOND[0], cur_lon=RICHMOND[1])
    state = dict(id=2, skills={10: 3, 20: 3}, home_state=VA, cur_state=VA, home_lat=37.3, home_lon=-79.9,
                 cur_lat=37.3, cur_lon=-79.9)
    r = rank_volunteers(features(city, state, skill_ids=(10, 20)), project(needs=[(10, 3), (20, 3)]))
    assert [c.volunteer_id for c in r.candidates] == [2, 1]


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), places, places)
def test_affinity_breaks_ties_among_equally_skilled(level, p1, p2):
    same = {"skills": {10: level}, "utc_offset": -5.0}  # everything but the place is equal
    f = features({"id": 1, **same, **p1}, {"id": 2, **same, **p2}, skill_ids=SKILLS)
    r = rank_volunteers(f, project(needs=[(10, 3)], start_day=DAY0))
    a, b = r.candidates
    gap = a.components["affinity"] - b.components["affinity"]
    # below float32 resolution (1e-11 of distance credit 3,500 km away) the id decides
    assert gap > 1e-6 or (abs(gap) <= 1e-6 and a.volunteer_id < b.volunteer_id)
