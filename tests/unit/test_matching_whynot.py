"""why_not: excluded volunteers get a plain sentence; eligible ones their rank and gap."""
import numpy as np
import pytest

from app.matching import rank_volunteers, synthetic_features, synthetic_project, why_not
from app.matching.scoring import score_all
from tests.unit.matching_fixtures import DAY0, LABELS, REACT, RICHMOND_KEY, features, nowhere, project


def test_filtered_volunteer_gets_plain_sentences():
    f = features({"id": 1, "hours_per_week": 10, "committed_hours": 6}, {"id": 2, "paused": True},
                 {"id": 3}, {"id": 4, "available_until": DAY0 - 3})
    p = project(hours_per_week=6, exclude_ids={3})
    w = why_not(f, p, 1)
    assert not w.eligible and w.filters == ["not_enough_hours"]
    assert w.sentences == ["only 4 h/week free, project needs 6"]
    assert w.summary == "Not eligible: only 4 h/week free, project needs 6."
    assert why_not(f, p, 2).sentences == ["paused or opted out of matching"]
    assert why_not(f, p, 3).sentences == ["already invited to or on this project"]
    w4 = why_not(f, p, 4)
    assert w4.filters == ["unavailable_dates"]
    assert w4.sentences == ["available until 2026-11-28, project runs 2026-12-01 to 2026-12-28"]


def test_low_ranked_volunteer_gets_rank_score_and_gap():
    rows = [nowhere(id=i, home_city=RICHMOND_KEY, skills={REACT: 3}) for i in range(1, 60)]
    rows.append(nowhere(id=100, skills={REACT: 1}))
    f = features(*rows)
    p = project()
    w = why_not(f, p, 100, labels=LABELS, top_k=50)
    r = rank_volunteers(f, p, top_k=50)
    assert w.eligible and not w.in_top_k
    assert w.rank == 60 and w.eligible_count == 60
    assert w.cutoff_rank == 50 and w.cutoff_score == pytest.approx(r.candidates[49].score)
    assert w.gap == pytest.approx(w.cutoff_score - w.score) and w.gap > 0
    assert list(w.gap_by_component) == ["skills", "affinity"]  # largest first
    assert sum(w.gap_by_component.values()) == pytest.approx(w.gap, abs=1e-3)
    assert "Ranked 60 of 60 eligible" in w.summary and "below #50" in w.summary
    assert "1 of 1 needed skills" not in w.reasons and "0 of 1 needed skills" in w.reasons


def test_top_candidate_rank_matches_rank_volunteers():
    f = synthetic_features(8000, seed=2)
    p = synthetic_project(seed=4)
    r = rank_volunteers(f, p, top_k=20)
    for c in r.candidates[:20:7]:
        w = why_not(f, p, c.volunteer_id, top_k=20)
        assert w.in_top_k and w.rank == c.rank and w.score == c.score and w.gap == 0
        assert w.components == c.components
    # a random eligible volunteer: rank equals a brute-force count
    scores = score_all(f, p).scores
    row = int(np.flatnonzero(scores > -np.inf)[123])
    vid = int(f.ids[row])
    ahead = np.sum(scores > scores[row]) + np.sum((scores == scores[row]) & (f.ids < vid))
    assert why_not(f, p, vid, top_k=20).rank == ahead + 1


def test_unknown_volunteer_raises_key_error():
    with pytest.raises(KeyError):
        why_not(features({"id": 1}), project(), 2)
