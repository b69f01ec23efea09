"""rank_volunteers: order, determinism, tie-breaks, chunked/threaded scoring, reasons."""
import dataclasses

import numpy as np
import pytest

from app.matching import (COMPONENTS, explain_volunteers, haversine_km, rank_volunteers, synthetic_features,
                          synthetic_labels, synthetic_project)
from app.matching import scoring
from tests.benchmarks.bench_matching_pure import baseline_scores
from tests.unit.matching_fixtures import (CLIMATE, DAY0, DESIGN, LABELS, NORFOLK_KEY, PYTHON, REACT, RICHMOND,
                                          RICHMOND_KEY, VA, VOTING, WASHINGTON, features, nowhere, project)


def ids(result):
    return [c.volunteer_id for c in result.candidates]


def test_orders_by_score_and_score_is_weighted_sum_of_components():
    f = features({"id": 1, "skills": {REACT: 1}}, {"id": 2, "skills": {REACT: 3}}, {"id": 3, "skills": {REACT: 2}})
    r = rank_volunteers(f, project())
    assert ids(r) == [2, 3, 1]
    assert [c.rank for c in r.candidates] == [1, 2, 3]
    for c in r.candidates:
        assert set(c.components) == set(COMPONENTS)
        assert c.score == pytest.approx(sum(r.weights[k] * c.components[k] for k in COMPONENTS), abs=1e-6)


def test_custom_weights_change_the_ranking():
    f = features({"id": 1, "skills": {REACT: 3}}, nowhere(id=2, home_city=RICHMOND_KEY))
    assert ids(rank_volunteers(f, project(), weights={"skills": 1}))[0] == 1
    r = rank_volunteers(f, project(), weights={"affinity": 1})
    assert ids(r)[0] == 2
    assert r.candidates[0].score == pytest.approx(r.candidates[0].components["affinity"])


def test_ties_broken_by_ascending_id_whatever_the_row_order():
    rows = [{"id": i, "skills": {REACT: 3}} for i in (5, 3, 9, 1, 7)]
    f = features(*rows)
    assert ids(rank_volunteers(f, project())) == [1, 3, 5, 7, 9]
    assert ids(rank_volunteers(f, project(), top_k=2)) [:2] == [1, 3]
    f2 = features(*reversed(rows))
    assert ids(rank_volunteers(f2, project(), top_k=3))[:3] == [1, 3, 5]


def test_deterministic_same_input_same_output():
    f = synthetic_features(20_000, seed=7)
    p = synthetic_project(seed=2)
    a = rank_volunteers(f, p, labels=synthetic_labels())
    b = rank_volunteers(f.fresh(), p, labels=synthetic_labels())
    assert a == b


def test_top_k_matches_brute_force_order(monkeypatch):
    f = synthetic_features(6000, seed=3)
    p = synthetic_project(seed=5)
    full = scoring.score_all(f, p, pool_k=50)
    elig = np.flatnonzero(full.scores > -np.inf)
    brute = elig[np.lexsort((f.ids[elig], -full.scores[elig]))][:50]
    # many small chunks on two threads must give exactly the same answer
    monkeypatch.setattr(scoring, "CHUNK", 97)
    monkeypatch.setattr(scoring, "THREAD_MIN_ROWS", 0)
    r = rank_volunteers(f, p, top_k=50)
    assert ids(r)[:50] == [int(v) for v in f.ids[brute]]
    assert r.eligible_count == elig.size


def test_ties_across_chunks_keep_lowest_ids(monkeypatch):
    rows = [{"id": 1000 - i, "skills": {REACT: 3}} for i in range(300)]
    f = features(*rows)
    monkeypatch.setattr(scoring, "CHUNK", 16)
    monkeypatch.setattr(scoring, "THREAD_MIN_ROWS", 0)
    assert ids(rank_volunteers(f, project(), top_k=10))[:10] == list(range(701, 711))


def test_scores_agree_with_plain_float64_reference():
    f = synthetic_features(20_000, seed=11)
    for seed in range(4):
        p = synthetic_project(seed=seed)
        ours = scoring.score_all(f, p).scores
        ref = baseline_scores(f, p)
        ok = ours > -np.inf
        assert np.allclose(ours[ok], ref[ok], atol=2e-5)


def test_filtered_volunteers_never_ranked_and_top_k_respected():
    f = synthetic_features(5000, seed=1)
    p = dataclasses.replace(synthetic_project(seed=1), exclude_ids=frozenset(range(1, 200)))
    r = rank_volunteers(f, p, top_k=25)
    assert len([c for c in r.candidates if c.rank <= 25]) == 25
    rows = f.rows_for_ids(ids(r))
    assert not f.paused[rows].any()
    assert (f.free_hours[rows] >= p.hours_per_week).all()
    assert not set(ids(r)) & set(range(1, 200))
    with pytest.raises(ValueError):
        rank_volunteers(f, p, top_k=0)


def test_reasons_are_human_readable():
    p = project(needs=[(REACT, 3, 1.0), (PYTHON, 2, 1.0), (DESIGN, 1, 1.0)],
                causes=(1 << VOTING) | (1 << CLIMATE))
    f = features(
        {"id": 1, "home_city": RICHMOND_KEY, "home_lat": RICHMOND[0], "home_lon": RICHMOND[1],
         "skills": {REACT: 4, PYTHON: 2, DESIGN: 1}, "hours_per_week": 8,
         "causes": (1 << VOTING) | (1 << CLIMATE),
         "projects_completed": 2, "checkins_on_time": 12, "checkins_due": 12, "placements": 2,
         "lead_trained": True},
        {"id": 2, "cur_city": RICHMOND_KEY, "skills": {REACT: 1}, "hours_per_week": 10, "committed_hours": 3},
        {"id": 3, "home_state": VA, "home_city": NORFOLK_KEY, "home_lat": WASHINGTON[0], "home_lon": WASHINGTON[1],
         "causes": 1 << VOTING, "available_from": DAY0 + 7, "utc_offset": -8,
         "projects_completed": 1, "projects_dropped": 1, "checkins_on_time": 5, "checkins_due": 8,
         "placements": 2, "open_invitations": 3},
    )
    r = rank_volunteers(f, p, labels=LABELS)
    by_id = {c.volunteer_id: c.reasons for c in r.candidates}
    assert by_id[1] == [
        "hometown Richmond, VA", "3 of 3 needed skills", "React: expert (needs advanced)",
        "Python: intermediate (needs intermediate)", "Graphic design: beginner (needs beginner)",
        "8 h/week free, 6 needed", "shares 2 causes: Voting rights, Climate",
        "completed 2 projects, all check-ins on time", "lead-trained",
    ]
    assert by_id[2] == ["lives in Richmond, VA", "0 of 3 needed skills", "React: beginner (needs advanced)",
                        "7 h/week free, 6 needed", "new to Barnstorm", "never placed yet"]
    km = float(haversine_km(*WASHINGTON, *RICHMOND))
    assert by_id[3][0] == "hometown in the campaign's state (VA)"
    assert by_id[3][1].startswith(f"{km:.0f} km from ") and 150 < km < 160
    assert "available for 75% of the project dates" in by_id[3]
    assert "3 h time-zone difference" in by_id[3]
    assert "shares 1 cause: Voting rights" in by_id[3]
    assert "completed 1 project, 5 of 8 check-ins on time, dropped 1 project" in by_id[3]
    assert "3 open invitations" in by_id[3]


def test_reasons_fall_back_without_labels():
    f = features({"id": 1, "home_city": RICHMOND_KEY, "skills": {REACT: 3}})
    reasons = rank_volunteers(f, project()).candidates[0].reasons
    assert f"hometown city #{RICHMOND_KEY}" in reasons
    assert f"skill #{REACT}: advanced (needs advanced)" in reasons


def test_explain_volunteers_agrees_with_the_ranking_for_named_rows():
    f = synthetic_features(2_000, seed=3)
    p = synthetic_project(seed=4)
    ranked = rank_volunteers(f, p, top_k=20, labels=LABELS)
    picked = [c.volunteer_id for c in ranked.candidates[::4]]
    explained = {e["volunteer_id"]: e for e in explain_volunteers(f, p, picked, labels=LABELS)}
    assert set(explained) == set(picked)
    for c in ranked.candidates[::4]:
        e = explained[c.volunteer_id]
        assert e["score"] == pytest.approx(c.score, abs=1e-6)
        assert e["components"] == pytest.approx(c.components, abs=1e-6)
        assert e["reasons"] == c.reasons
    assert explain_volunteers(f, p, []) == []
