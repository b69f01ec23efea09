"""Learning weights from outcomes: AUC, the fit recovers a planted signal, bad data refused."""
import numpy as np
import pytest

from app.matching import COMPONENTS, DEFAULT_WEIGHTS, InvalidMatchInput
from app.matching.learn import auc, fit_weights, outcome_value, synthetic_outcomes


def test_auc_matches_its_definition_with_ties():
    assert auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == pytest.approx(0.75)
    assert auc([1, 1, 1, 1], [0, 1, 0, 1]) == pytest.approx(0.5)
    assert auc([3, 2, 1], [1, 0, 0]) == 1.0
    assert np.isnan(auc([1, 2], [1, 1]))


def test_fit_recovers_a_planted_signal_and_beats_the_hand_set_weights_on_held_out_data():
    truth = {"skills": 0.1, "affinity": 0.05, "availability": 0.65, "reliability": 0.2, "fairness": 0.0}
    X, y = synthetic_outcomes(truth, n_projects=80, seed=4)
    fit = fit_weights(X, y, DEFAULT_WEIGHTS, seed=1)
    assert max(fit.weights, key=fit.weights.get) == "availability"
    assert fit.weights["availability"] > 0.4 and sum(fit.weights.values()) == pytest.approx(1.0)
    assert fit.auc_fitted > fit.auc_hand_set + 0.05
    assert fit.n_train + fit.n_test == len(y) and fit.positives == int((y >= 0.5).sum())


def test_when_the_hand_set_weights_are_the_truth_the_fit_does_not_beat_them_by_much():
    X, y = synthetic_outcomes(DEFAULT_WEIGHTS, n_projects=80, seed=5)
    fit = fit_weights(X, y, DEFAULT_WEIGHTS, seed=1)
    assert fit.auc_hand_set > 0.6
    assert fit.auc_fitted < fit.auc_hand_set + 0.03


def test_weights_are_never_negative_even_for_a_component_that_hurts():
    rng = np.random.default_rng(0)
    X = rng.random((400, len(COMPONENTS)))
    y = (X[:, 0] - X[:, 1] + 0.2 * rng.standard_normal(400) > 0).astype(int)
    fit = fit_weights(X, y, DEFAULT_WEIGHTS)
    assert min(fit.coefficients.values()) >= 0 and fit.weights["affinity"] == 0


@pytest.mark.parametrize("X, y", [
    (np.zeros((10, 4)), np.zeros(10)),                      # wrong width
    (np.full((10, 5), np.nan), np.r_[np.zeros(5), np.ones(5)]),  # NaN components
    (np.zeros((10, 5)), np.full(10, 2)),                     # labels not 0/1
    (np.zeros((10, 5)), np.zeros(10)),                       # only refusals
])
def test_data_that_cannot_support_a_fit_is_refused(X, y):
    with pytest.raises(InvalidMatchInput):
        fit_weights(X, y, DEFAULT_WEIGHTS)


def test_outcomes_are_graded_beyond_accept_and_decline():
    assert outcome_value("declined") == outcome_value("expired") == 0.0
    assert outcome_value("pending") is None and outcome_value("closed") is None
    assert outcome_value("accepted", "dropped", on_time_share=1.0, rating=5) == 0.25  # left early
    assert outcome_value("accepted", "active") == 0.5                                  # nothing known yet
    assert outcome_value("accepted", "completed") == 1.0
    assert outcome_value("accepted", "completed", on_time_share=0.5, rating=1) == pytest.approx(0.5 + 0.5 * 0.5)
    assert outcome_value("accepted", "active", on_time_share=1.0) == 1.0
    # better follow-through grades higher, all else equal
    assert (outcome_value("accepted", "completed", 1.0, 5) > outcome_value("accepted", "completed", 0.5, 5)
            > outcome_value("accepted", "completed", 0.5, 3) > outcome_value("accepted", "dropped"))


def test_concordance_on_graded_outcomes_matches_pairwise_counting():
    rng = np.random.default_rng(3)
    s = rng.integers(0, 5, 60).astype(float)
    y = rng.choice([0.0, 0.25, 0.5, 0.8, 1.0], 60)
    wins = pairs = 0.0
    for i in range(60):
        for j in range(60):
            if y[i] > y[j]:
                pairs += 1
                wins += 1.0 if s[i] > s[j] else 0.5 if s[i] == s[j] else 0.0
    assert auc(s, y) == pytest.approx(wins / pairs)


def test_synthetic_histories_carry_every_kind_of_outcome_and_the_signal_runs_through_them():
    truth = {"skills": 0.1, "affinity": 0.05, "availability": 0.65, "reliability": 0.2, "fairness": 0.0}
    X, y = synthetic_outcomes(truth, n_projects=60, seed=7)
    assert {0.0, 0.25, 0.5} <= set(np.round(y, 6)) and (y > 0.5).any()
    z = X @ np.array([truth.get(c, 0.0) for c in COMPONENTS])
    accepted = y >= 0.5
    # among the accepted, the planted signal still orders how it went (completed, on time, rated)
    assert auc(z[accepted], y[accepted]) > 0.55
    assert z[y == 0.25].mean() < z[accepted].mean()
