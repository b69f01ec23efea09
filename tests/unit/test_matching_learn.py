"""Learning weights from outcomes: AUC, the fit recovers a planted signal, bad data refused."""
import numpy as np
import pytest

from app.matching import COMPONENTS, DEFAULT_WEIGHTS, InvalidMatchInput
from app.matching.learn import auc, fit_weights, synthetic_outcomes


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
    assert fit.n_train + fit.n_test == len(y) and fit.positives == int(y.sum())


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
