"""suggest_team: covers every needed skill, includes a lead, stays within team size."""
import dataclasses

import numpy as np
import pytest

from app.matching import rank_volunteers, suggest_team, synthetic_features, synthetic_project
from app.matching.scoring import score_all
from tests.unit.matching_fixtures import DESIGN, PYTHON, REACT, RICHMOND_KEY, features, nowhere, project


def test_covers_skills_and_includes_lead_beyond_the_best_scores():
    rows = [nowhere(id=i, home_city=RICHMOND_KEY, skills={REACT: 4}) for i in range(1, 6)]
    rows += [nowhere(id=6, skills={PYTHON: 3}), nowhere(id=7, lead_trained=True)]
    f = features(*rows)
    p = project(needs=[(REACT, 3, 1.0), (PYTHON, 2, 1.0)], team_min=3, team_max=5)
    team = rank_volunteers(f, p).team
    assert team.lead_id == 7
    assert team.member_ids == [7, 1, 6]
    assert team.coverage == {REACT: 1, PYTHON: 6}
    assert team.uncovered_skill_ids == [] and team.notes == []


def test_lead_preferred_when_they_also_cover_a_skill():
    f = features(nowhere(id=1, lead_trained=True, home_city=RICHMOND_KEY),
                 nowhere(id=2, lead_trained=True, skills={PYTHON: 2}),
                 nowhere(id=3, skills={REACT: 3}), nowhere(id=4))
    p = project(needs=[(REACT, 3, 1.0), (PYTHON, 2, 1.0)], team_min=2, team_max=4)
    team = rank_volunteers(f, p).team
    assert team.member_ids == [2, 3] and team.lead_id == 2
    # with a third seat to fill anyway, the better-scoring lead joins and leads
    team3 = rank_volunteers(f, dataclasses.replace(p, team_min=3)).team
    assert team3.member_ids[0] == 1 and set(team3.member_ids) == {1, 2, 3}


def test_exact_cover_where_picking_the_lead_first_fails():
    # The best-scoring lead (3, in the campaign's city) covers nothing: taking them first
    # leaves one seat for two needs. The exact cover takes the lead who knows React.
    f = features(nowhere(id=1, skills={REACT: 4}), nowhere(id=2, skills={PYTHON: 4}),
                 nowhere(id=3, lead_trained=True, home_city=RICHMOND_KEY),
                 nowhere(id=4, lead_trained=True, skills={REACT: 3}))
    p = project(needs=[(REACT, 3, 1.0), (PYTHON, 3, 1.0)], team_min=1, team_max=2)
    team = rank_volunteers(f, p).team
    assert team.member_ids == [4, 2] and team.uncovered_skill_ids == []


def test_reports_uncovered_skill_and_takes_best_partial_match():
    f = features(nowhere(id=1, lead_trained=True, skills={REACT: 3}), nowhere(id=2, skills={DESIGN: 2}),
                 nowhere(id=3, skills={DESIGN: 1}), nowhere(id=4))
    p = project(needs=[(REACT, 3, 1.0), (DESIGN, 4, 1.0)], team_min=3, team_max=5)
    team = rank_volunteers(f, p).team
    assert team.uncovered_skill_ids == [DESIGN]
    assert 2 in team.member_ids and team.lead_id == 1
    assert any("not covered" in n for n in team.notes)


def test_no_lead_available_is_reported():
    f = features(*[nowhere(id=i, skills={REACT: 3}) for i in range(1, 5)])
    team = rank_volunteers(f, project()).team
    assert team.lead_id is None and len(team.member_ids) == 3
    assert "no lead-trained volunteer among the candidates" in team.notes


def test_team_never_exceeds_max_even_if_skills_stay_uncovered():
    skills = [REACT, PYTHON, DESIGN]
    f = features(*[nowhere(id=i + 1, skills={s: 4}) for i, s in enumerate(skills)], nowhere(id=9, lead_trained=True))
    p = project(needs=[(s, 4, 1.0) for s in skills], team_min=1, team_max=2)
    team = rank_volunteers(f, p).team
    assert len(team.member_ids) == 2 and team.lead_id == 9
    assert len(team.uncovered_skill_ids) == 2


def test_too_few_candidates_noted():
    f = features(nowhere(id=1, lead_trained=True))
    team = rank_volunteers(f, project()).team
    assert team.member_ids == [1]
    assert any("only 1 eligible" in n for n in team.notes)


def test_lead_outside_top_k_is_pulled_in_with_true_rank():
    rows = [nowhere(id=i, home_city=RICHMOND_KEY, skills={REACT: 3}) for i in range(1, 30)]
    rows.append(nowhere(id=99, lead_trained=True))
    f = features(*rows)
    r = rank_volunteers(f, project(), top_k=5)
    assert r.team.lead_id == 99
    extra = [c for c in r.candidates if c.volunteer_id == 99]
    assert len(extra) == 1 and extra[0].rank == 30 and extra[0].reasons
    assert [c.rank for c in r.candidates[:5]] == [1, 2, 3, 4, 5]


def test_accepts_id_score_pairs_and_is_deterministic():
    f = features(nowhere(id=1, lead_trained=True), nowhere(id=2, skills={REACT: 3}), nowhere(id=3), nowhere(id=4))
    pairs = [(4, 0.5), (3, 0.5), (2, 0.4), (1, 0.1)]
    a = suggest_team(f, project(), pairs)
    b = suggest_team(f, project(), list(reversed(pairs)))
    assert a == b
    # lead, then the React holder and the best remaining score (3 beats 4 on id), listed by score
    assert a.member_ids == [1, 3, 2]


def test_synthetic_teams_cover_whatever_can_be_covered():
    f = synthetic_features(20_000, seed=9)
    for seed in range(8):
        p = synthetic_project(seed=seed)
        r = rank_volunteers(f, p)
        team = r.team
        assert p.team_min <= len(team.member_ids) <= p.team_max
        assert team.lead_id is not None and team.lead_id == team.member_ids[0]
        assert f.lead_trained[f.rows_for_ids([team.lead_id])].all()
        scores = score_all(f, p).scores
        rows = f.rows_for_ids(team.member_ids)
        assert (scores[rows] > -np.inf).all()
        for need in p.needs:
            col = f.skill_col[need.skill_id]
            possible = ((f.skill_levels[:, col] >= need.level) & (scores > -np.inf)).any()
            covered = (f.skill_levels[rows, col] >= need.level).any()
            assert covered == possible
        assert team.uncovered_skill_ids == []


@pytest.mark.parametrize("seed", range(40))
def test_pruned_enumeration_finds_the_integer_programs_team(seed, monkeypatch):
    """The dominance pruning + enumeration returns a team as good as HiGHS's on the full set."""
    from app.matching import team as team_mod

    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 60)), int(rng.integers(0, 6))
    meets = rng.random((n, k)) < rng.uniform(0.02, 0.4)
    partial = np.where(meets, 0.0, rng.integers(0, 4, (n, k)) / 4) * (rng.random(k) < 0.3)
    need_w = rng.choice([1.0, 2.0], size=k)
    lead_ok = rng.random(n) < 0.1
    scores = np.sort(rng.random(n))[::-1]
    tmin, tmax = int(rng.integers(0, 4)), int(rng.integers(3, 6))
    tmin = min(tmin, tmax)

    def value(pick):
        share = need_w / need_w.sum() if k else need_w
        t = np.flatnonzero(pick)
        tb = 1e-6 * np.arange(n) / n
        return (team_mod._LEAD * lead_ok[t].any() + team_mod._COVER * (meets[t].any(axis=0) @ share if k else 0)
                + team_mod._PARTIAL * (np.minimum(partial[t].sum(axis=0), 1) @ share if k else 0)
                + (scores - 1 - tb)[t].sum()), t.size

    fast = team_mod._solve(meets.astype(float), partial, need_w, lead_ok, scores, tmin, tmax)
    monkeypatch.setattr(team_mod, "ENUMERATE_TEAMS", -1)
    exact = team_mod._solve(meets.astype(float), partial, need_w, lead_ok, scores, tmin, tmax)
    (vf, sf), (ve, _) = value(fast), value(exact)
    assert min(tmin, n) <= sf <= tmax
    assert vf == pytest.approx(ve, abs=1e-7)
