"""Learning component weights from invitation outcomes (pure numpy/scipy).

Each training row is one invitation: the five components the volunteer had when proposed
and whether the invitation was accepted. A logistic regression with non-negative component
coefficients (a weight cannot reward being a worse match) is fitted on a training share and
compared on the held-out rest with the hand-set weights by AUC: the probability that an
accepted invitation scores above a refused one. Nothing here changes any weight; a caller
writes the result for staff to review.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

import numpy as np
from scipy.optimize import minimize
from scipy.stats import rankdata

from .features import InvalidMatchInput
from .weights import COMPONENTS, normalize_weights


@dataclass(frozen=True)
class WeightFit:
    """Fitted weights (normalised to sum 1), the raw model, and held-out AUCs."""

    weights: dict
    coefficients: dict
    intercept: float
    auc_fitted: float
    auc_hand_set: float
    n_train: int
    n_test: int
    positives: int
    notes: list = field(default_factory=list)


def auc(scores, labels) -> float:
    """Area under the ROC curve (Mann-Whitney, ties count one half); NaN without both classes."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels, dtype=bool)
    pos, neg = int(labels.sum()), int((~labels).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    ranks = rankdata(scores)
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def fit_logistic(X, y, l2: float = 1e-3):
    """(coefficients >= 0, intercept) minimising mean log-loss + l2 * |coef|^2 (L-BFGS-B)."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n, k = X.shape

    def loss(theta):
        w, b = theta[:k], theta[k]
        z = X @ w + b
        # log(1 + e^z) - y z, written stably; gradient through the sigmoid
        value = np.mean(np.logaddexp(0, z) - y * z) + l2 * w @ w
        p = 0.5 * (1 + np.tanh(z / 2))
        grad = np.concatenate([X.T @ (p - y) / n + 2 * l2 * w, [np.mean(p - y)]])
        return value, grad

    res = minimize(loss, np.zeros(k + 1), jac=True, method="L-BFGS-B",
                   bounds=[(0, None)] * k + [(None, None)])
    return res.x[:k], float(res.x[k])


def fit_weights(X, y, hand_weights: Optional[Mapping[str, float]] = None, test_share: float = 0.3,
                seed: int = 0, l2: float = 1e-3) -> WeightFit:
    """Fit on a random (seeded) training share, report held-out AUC of fitted vs hand-set weights.

    `X` is (n, 5) in COMPONENTS order, `y` 1 for accepted, 0 for declined or expired.
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != len(COMPONENTS) or X.shape[0] != y.shape[0]:
        raise InvalidMatchInput(f"expected X of shape (n, {len(COMPONENTS)}) and y of length n")
    if not (np.isfinite(X).all() and np.isin(y, (0, 1)).all()):
        raise InvalidMatchInput("outcome data must be finite components and 0/1 labels")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    n_test = int(round(test_share * len(y)))
    test, train = order[:n_test], order[n_test:]
    if len(np.unique(y[train])) < 2 or len(np.unique(y[test])) < 2:
        raise InvalidMatchInput("need accepted and refused invitations in both the training and the test share")
    coef, intercept = fit_logistic(X[train], y[train], l2)
    notes = []
    if coef.sum() <= 0:
        notes.append("no component predicts acceptance: the fitted weights are all zero")
        weights = {name: 0.0 for name in COMPONENTS}
    else:
        weights = {name: float(c / coef.sum()) for name, c in zip(COMPONENTS, coef)}
    hand = normalize_weights(hand_weights)
    hand_vec = np.array([hand[name] for name in COMPONENTS])
    return WeightFit(
        weights=weights,
        coefficients={name: float(c) for name, c in zip(COMPONENTS, coef)},
        intercept=intercept,
        auc_fitted=auc(X[test] @ coef, y[test]),
        auc_hand_set=auc(X[test] @ hand_vec, y[test]),
        n_train=int(train.size), n_test=int(test.size), positives=int(y.sum()), notes=notes,
    )


def synthetic_outcomes(true_weights: Mapping[str, float], n_volunteers: int = 5000, n_projects: int = 60,
                       per_project: int = 20, scale: float = 8.0, base_rate: float = 0.35, seed: int = 0):
    """(X, y): components of the top candidates of synthetic projects, and outcomes drawn from
    P(accept) = sigmoid(scale * (components . true_weights - mean) + logit(base_rate)).

    The known signal (`true_weights`) lets a test check that the fit recovers it.
    """
    from .ranking import rank_volunteers
    from .synthetic import synthetic_features, synthetic_projects

    f = synthetic_features(n_volunteers, seed=seed)
    rows = []
    for p in synthetic_projects(n_projects, seed=seed + 1):
        for c in rank_volunteers(f, p, top_k=per_project).candidates[:per_project]:
            rows.append([c.components[name] for name in COMPONENTS])
    X = np.array(rows)
    w = np.array([float(true_weights.get(name, 0.0)) for name in COMPONENTS])
    z = X @ w
    logit = scale * (z - z.mean()) + np.log(base_rate / (1 - base_rate))
    y = (np.random.default_rng(seed + 2).random(len(z)) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    return X, y
