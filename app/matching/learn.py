"""Learning component weights from invitation outcomes (pure numpy/scipy).

Each training row is one invitation: the components the volunteer had when proposed and
how it turned out, graded in [0, 1] by `outcome_value`: declined or expired 0; accepted
then left early 0.25; accepted 0.5, plus up to 0.5 for what happened next (completed, the
team's check-ins on time, the campaign's rating). A logistic regression with soft labels
and non-negative component coefficients (a weight cannot reward being a worse match) is
fitted on a training share and compared on the held-out rest with the hand-set weights by
AUC, here the concordance: the probability that of two invitations with different outcomes
the better one scored higher (for accepted / refused alone, the usual AUC). Nothing here
changes any weight; a caller writes the result for staff to review.
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


#: Outcome grades (see the module docs).
REFUSED, LEFT_EARLY, ACCEPTED = 0.0, 0.25, 0.5


def outcome_value(status: str, membership: Optional[str] = None, on_time_share: Optional[float] = None,
                  rating: Optional[float] = None) -> Optional[float]:
    """One invitation's outcome in [0, 1], or None when it carries no answer (pending, closed).

    `membership` is the seat's status once accepted (completed, dropped, active, ended),
    `on_time_share` the share of the team's check-ins made on time, `rating` the campaign's
    rating of the project (1-5); unknown parts are left out of the average.
    """
    if status in ("declined", "expired"):
        return REFUSED
    if status != "accepted":
        return None
    if membership == "dropped":
        return LEFT_EARLY
    parts = [1.0] if membership == "completed" else []
    if on_time_share is not None:
        parts.append(float(on_time_share))
    if rating is not None:
        parts.append((float(rating) - 1) / 4)
    return ACCEPTED + (1 - ACCEPTED) * (sum(parts) / len(parts) if parts else 0.0)


def auc(scores, labels) -> float:
    """Concordance: P(score higher | outcome better) over pairs with different outcomes (ties
    in score count one half); for 0/1 labels the area under the ROC curve (Mann-Whitney).
    NaN with fewer than two distinct outcomes."""
    scores, labels = np.asarray(scores, dtype=np.float64), np.round(np.asarray(labels, dtype=np.float64), 6)
    levels = np.unique(labels)
    if levels.size < 2:
        return float("nan")
    wins = pairs = 0.0
    for v in levels[1:]:  # each level against every lower one: one rank pass per level
        sub = labels <= v
        top = labels[sub] == v
        pos, neg = int(top.sum()), int((~top).sum())
        ranks = rankdata(scores[sub])
        wins += ranks[top].sum() - pos * (pos + 1) / 2
        pairs += pos * neg
    return float(wins / pairs)


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

    `X` is (n, components) in COMPONENTS order, `y` the outcomes in [0, 1] (`outcome_value`;
    plain 1 accepted / 0 refused works too).
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != len(COMPONENTS) or X.shape[0] != y.shape[0]:
        raise InvalidMatchInput(f"expected X of shape (n, {len(COMPONENTS)}) and y of length n")
    if not (np.isfinite(X).all() and np.isfinite(y).all() and ((y >= 0) & (y <= 1)).all()):
        raise InvalidMatchInput("outcome data must be finite components and outcomes between 0 and 1")
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
        n_train=int(train.size), n_test=int(test.size), positives=int((y >= ACCEPTED).sum()), notes=notes,
    )


def synthetic_outcomes(true_weights: Mapping[str, float], n_volunteers: int = 5000, n_projects: int = 60,
                       per_project: int = 20, scale: float = 8.0, base_rate: float = 0.35, seed: int = 0):
    """(X, y): components of the top candidates of synthetic projects, and outcome histories
    drawn from one planted signal q = scale * (components . true_weights - mean):
    accepted with P = sigmoid(q + logit(base_rate)), else declined or expired (even odds);
    once accepted, left early with P = sigmoid(-q - 1), else completed when the project is
    over (70%) or still active; check-ins on time ~ Binomial(8, sigmoid(q + 1)) / 8; rating
    1 + Binomial(4, sigmoid(q + 0.5)). `y` is `outcome_value` of each history, so a better
    planted match both accepts more often and goes better. `statuses` (optional) names them.

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
    q = scale * (z - z.mean())
    rng = np.random.default_rng(seed + 2)
    sig = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    accepted = rng.random(len(z)) < sig(q + np.log(base_rate / (1 - base_rate)))
    left = rng.random(len(z)) < sig(-q - 1)
    over = rng.random(len(z)) < 0.7
    on_time = rng.binomial(8, sig(q + 1)) / 8
    rating = 1 + rng.binomial(4, sig(q + 0.5))
    y = np.array([
        outcome_value("accepted", "dropped" if left[i] else ("completed" if over[i] else "active"),
                      on_time[i] if over[i] or left[i] else None, rating[i] if over[i] else None)
        if accepted[i] else REFUSED
        for i in range(len(z))
    ])
    return X, y
