"""Batch assignment: hours as capacity across projects, filters, leads, coverage, near-exact optimum."""
import dataclasses

import numpy as np
import pytest

from app.matching import InvalidMatchInput, batch_match, hours_by_volunteer, synthetic_features, synthetic_projects, total_score
from app.matching.scoring import score_all
from tests.unit.matching_fixtures import DESIGN, PYTHON, REACT, features, nowhere, project


def check_assignment(f, projects, a):
    """Every invariant a batch assignment must hold."""
    by_id = {p.project_id: p for p in projects}
    for pid, vids in a.proposals.items():
        p = by_id[pid]
        assert len(vids) <= p.team_max and len(vids) == len(set(vids))
        assert len(vids) + a.unfilled[pid] == p.team_max
        rows = f.rows_for_ids(vids) if vids else np.empty(0, np.int64)
        assert not f.paused[rows].any()
        assert not set(vids) & p.exclude_ids
        assert len(a.scores[pid]) == len(vids)
        eligible = score_all(f, p).scores[rows]
        assert np.all(eligible > -np.inf)  # every hard filter holds
        assert a.scores[pid] == pytest.approx(eligible.tolist(), abs=1e-6)
        if a.leads[pid] is not None:
            assert vids[0] == a.leads[pid] and f.lead_trained[f.rows_for_ids([a.leads[pid]])].all()
    for v, h in hours_by_volunteer(a, projects).items():
        free = float(f.free_hours[f.rows_for_ids([v])[0]])
        assert h <= free + 1e-6, f"volunteer {v} proposed for {h} h/week with {free} free"


@pytest.mark.parametrize("seed", range(4))
def test_random_batches_hold_every_invariant_and_match_the_exact_optimum(seed):
    rng = np.random.default_rng(seed)
    f = synthetic_features(int(rng.integers(200, 600)), seed=seed)
    projects = [dataclasses.replace(p, team_max=int(rng.integers(3, 6))) for p in synthetic_projects(12, seed=seed)]
    a = batch_match(f, projects, pool_size=5, time_limit=10)
    check_assignment(f, projects, a)
    assert a.stats["certified"]
    # the exact integer optimum over every eligible edge (pools as large as the whole set)
    exact = batch_match(f, projects, pool_size=len(f), time_limit=20)
    assert exact.stats["edges"] >= a.stats["edges"]
    # the priced bound is the LP over every edge, or above it by at most price_gap (Lagrangian stop)
    assert exact.stats["bound"] - 1e-6 <= a.stats["bound"] <= exact.stats["bound"] * 1.0005 + 1e-6
    assert exact.stats["objective"] <= a.stats["bound"] + 1e-6
    assert a.stats["objective"] >= 0.99 * exact.stats["objective"]


def test_free_hours_are_a_capacity_across_projects():
    plenty = features(nowhere(id=1, hours_per_week=13, skills={REACT: 4}))
    ps = [project(project_id=i, team_min=1, team_max=1) for i in (1, 2, 3)]
    a = batch_match(plenty, ps)
    assert sorted(len(v) for v in a.proposals.values()) == [0, 1, 1]  # 2 x 6 h of 13 h free, not 3
    check_assignment(plenty, ps, a)


def test_the_lead_goes_first_and_a_lead_is_worth_a_seat_score():
    f = features(*[nowhere(id=i, skills={REACT: 4}) for i in range(1, 6)], nowhere(id=9, lead_trained=True))
    a = batch_match(f, [project(team_max=3)])
    assert a.leads[1] == 9 and a.proposals[1][0] == 9 and len(a.proposals[1]) == 3


def test_coverage_beats_a_slightly_better_score():
    # 1 and 2 score best on React; only 3 knows design. Scores alone pick 1 and 2.
    f = features(nowhere(id=1, skills={REACT: 4}), nowhere(id=2, skills={REACT: 4}),
                 nowhere(id=3, skills={REACT: 1, DESIGN: 3}))
    p = project(needs=[(REACT, 3, 3.0), (DESIGN, 2, 1.0)], team_min=1, team_max=2)
    a = batch_match(f, [p])
    assert 3 in a.proposals[1] and a.uncovered[1] == []
    plain = batch_match(f, [p], cover_bonus=0.0)
    assert sorted(plain.proposals[1]) == [1, 2] and plain.uncovered[1] == [DESIGN]


def test_scarce_volunteer_goes_where_only_they_cover_a_need():
    f = features(nowhere(id=1, skills={REACT: 4, PYTHON: 4}), nowhere(id=2, skills={REACT: 4}))
    p1 = project(project_id=1, needs=[(REACT, 3)], team_min=1, team_max=1)
    p2 = project(project_id=2, needs=[(REACT, 3), (PYTHON, 3)], team_min=1, team_max=1)
    a = batch_match(f, [p1, p2])
    assert a.proposals == {1: [2], 2: [1]}


def test_project_with_nobody_eligible_and_empty_batch():
    f = features(nowhere(id=1, skills={REACT: 4}))
    a = batch_match(f, [project(project_id=7, exclude_ids={1})])
    assert a.proposals == {7: []} and a.unfilled == {7: 5} and total_score(a) == 0
    assert batch_match(f, []).proposals == {}
    with pytest.raises(ValueError):
        batch_match(f, [project(project_id=1), project(project_id=1)])


def test_a_heavier_project_gets_the_scarce_volunteer_first():
    # one volunteer with 6 free hours, two identical one-seat projects of 6 h: only one can have them
    f = features(nowhere(id=1, hours_per_week=6, skills={REACT: 4}))
    ps = [project(project_id=i, team_min=1, team_max=1) for i in (1, 2)]
    for heavy in (1, 2):
        a = batch_match(f, ps, project_weights={heavy: 1.25})
        assert a.proposals[heavy] == [1] and a.proposals[3 - heavy] == []
        check_assignment(f, ps, a)


def test_priority_tips_a_close_call_but_not_a_poor_match():
    # volunteer 1 fits project 1 far better (has the skill); project 2 is a priority but a poor fit
    f = features(nowhere(id=1, hours_per_week=6, skills={REACT: 4}))
    ps = [project(project_id=1, team_min=1, team_max=1),
          project(project_id=2, team_min=1, team_max=1, needs=[(PYTHON, 4, 1.0)])]
    a = batch_match(f, ps, project_weights={2: 1.25})
    assert a.proposals[1] == [1]


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), None, "high"])
def test_project_weights_must_be_positive_numbers(bad):
    f = features(nowhere(id=1))
    with pytest.raises(InvalidMatchInput, match="weight must be a positive number"):
        batch_match(f, [project(project_id=1)], project_weights={1: bad})


@pytest.mark.parametrize("free", range(0, 21))
def test_knapsack_facets_describe_exactly_the_seats_that_fit(free):
    from itertools import product

    from app.matching.batch_model import knapsack_facets
    levels = (4.0, 5.0, 6.0, 8.0, 10.0)
    facets = knapsack_facets(free, levels)
    # a project of more hours than the volunteer has free is never an eligible edge: not counted
    box = [range(int(free // h) + 2) if h <= free else range(1) for h in levels]
    checked = 0
    for y in product(*box):
        y = np.array(y, dtype=float)
        fits = float(y @ np.array(levels)) <= free
        inside = all(float(a @ y) <= b + 1e-9 for a, b in facets)
        assert fits == inside, (y, fits)
        checked += 1
    assert checked >= 1 and (free < 8 or len(facets) >= 1)
