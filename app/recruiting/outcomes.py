"""Invitation outcomes as training data for the matching weights, and the fit staff review.

Every invitation keeps the run that proposed it (`match_run_id`), and that run keeps the
volunteer's components (`MatchCandidate.components`), so each answered invitation is one
labelled row: accepted = 1, declined or expired = 0 (pending and closed-because-full carry
no answer). The fit is written to a file for staff; the app never reads it by itself.
"""
import json
from datetime import timezone

import numpy as np

from app import clock
from app.extensions import db
from app.matching.learn import fit_weights
from app.matching.weights import COMPONENTS
from app.models import Invitation, MatchCandidate

LABELS = {"accepted": 1, "declined": 0, "expired": 0}


def outcome_training_data():
    """(X, y, statuses): components when proposed, and the answer, for every answered invitation."""
    rows = db.session.execute(
        db.select(MatchCandidate.components, Invitation.status)
        .join(MatchCandidate, (MatchCandidate.run_id == Invitation.match_run_id)
              & (MatchCandidate.volunteer_id == Invitation.volunteer_id)
              & (MatchCandidate.project_id == Invitation.project_id))
        .where(Invitation.status.in_(tuple(LABELS)))
        .order_by(Invitation.id)
    ).all()
    X = np.array([[float((comps or {}).get(name, 0.0)) for name in COMPONENTS] for comps, _ in rows])
    y = np.array([LABELS[status] for _, status in rows], dtype=np.int64)
    return X.reshape(-1, len(COMPONENTS)), y


def fit_and_write(path, hand_weights, min_rows=50, seed=0):
    """Fit the weights to the outcomes and write them, with the comparison, to `path` (JSON).

    Returns the WeightFit. Raises ValueError (InvalidMatchInput) when the data cannot support a
    fit; writes nothing then.
    """
    X, y = outcome_training_data()
    if len(y) < min_rows:
        raise ValueError(f"only {len(y)} answered invitations with recorded components; need {min_rows}")
    fit = fit_weights(X, y, hand_weights, seed=seed)
    doc = {
        "fitted_at": clock.now().replace(tzinfo=timezone.utc).isoformat(timespec="seconds"),
        "status": "for review: copy into MATCH_WEIGHTS only after staff agree",
        "weights": {k: round(v, 4) for k, v in fit.weights.items()},
        "hand_set_weights": dict(hand_weights),
        "held_out_auc": {"fitted": round(fit.auc_fitted, 4), "hand_set": round(fit.auc_hand_set, 4)},
        "rows": {"train": fit.n_train, "test": fit.n_test, "accepted": fit.positives},
        "coefficients": {k: round(v, 4) for k, v in fit.coefficients.items()},
        "intercept": round(fit.intercept, 4),
        "notes": fit.notes,
    }
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=2)
    return fit
