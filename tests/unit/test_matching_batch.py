"""Batch assignment: hours as capacity across projects, filters, leads, coverage, near-exact optimum."""
import dataclasses

import numpy as np
import pytest

from app.matching import batch_match, hours_by_volunteer, synthetic_features, synthetic_projects, total_score
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
    assert a.stats["bound"] == pytest.approx(exact.stats["bound"], rel=1e-6)  # the priced LP is the full LP
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
