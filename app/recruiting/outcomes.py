"""Invitation outcomes as training data for the matching weights, and the fit staff review.

Every invitation keeps the run that proposed it (`match_run_id`), and that run keeps the
volunteer's components (`MatchCandidate.components`), so each answered invitation is one
labelled row, graded by `app.matching.learn.outcome_value`: declined or expired 0; accepted
then left early (membership dropped) 0.25; accepted 0.5 plus up to 0.5 for completing, the
team's check-ins on time and the campaign's rating of the project (pending and
closed-because-full carry no answer). The fit is written to a file for staff; the app never
reads it by itself.
"""
import json
from datetime import timezone

import numpy as np

from app import clock
from app.extensions import db
from app.matching.learn import fit_weights, outcome_value
from app.matching.weights import COMPONENTS
from app.models import CheckIn, Invitation, MatchCandidate, Rating, TeamMembership

ANSWERED = ("accepted", "declined", "expired")


def outcome_training_data():
    """(X, y): components when proposed, and the graded outcome, for every answered invitation."""
    rows = db.session.execute(
        db.select(MatchCandidate.components, Invitation.status, TeamMembership.status, Invitation.project_id)
        .join(MatchCandidate, (MatchCandidate.run_id == Invitation.match_run_id)
              & (MatchCandidate.volunteer_id == Invitation.volunteer_id)
              & (MatchCandidate.project_id == Invitation.project_id))
        .outerjoin(TeamMembership, (TeamMembership.project_id == Invitation.project_id)
                   & (TeamMembership.volunteer_id == Invitation.volunteer_id))
        .where(Invitation.status.in_(ANSWERED))
        .order_by(Invitation.id)
    ).all()
    accepted_projects = {pid for _, status, _, pid in rows if status == "accepted"}
    on_time, rating = {}, {}
    if accepted_projects:
        on_time = dict(db.session.execute(
            db.select(CheckIn.project_id, db.func.avg(db.case((CheckIn.on_time, 1.0), else_=0.0)))
            .where(CheckIn.project_id.in_(accepted_projects)).group_by(CheckIn.project_id)).all())
        rating = dict(db.session.execute(
            db.select(Rating.project_id, db.func.avg(Rating.score))
            .where(Rating.project_id.in_(accepted_projects), Rating.kind == "campaign")
            .group_by(Rating.project_id)).all())
    X = np.array([[float((comps or {}).get(name, 0.0)) for name in COMPONENTS] for comps, *_ in rows])
    y = np.array([outcome_value(status, membership, _num(on_time.get(pid)), _num(rating.get(pid)))
                  for _, status, membership, pid in rows], dtype=np.float64)
    return X.reshape(-1, len(COMPONENTS)), y


def _num(value):
    return None if value is None else float(value)


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
        "rows": {"train": fit.n_train, "test": fit.n_test, "accepted_and_stayed": fit.positives},
        "coefficients": {k: round(v, 4) for k, v in fit.coefficients.items()},
        "intercept": round(fit.intercept, 4),
        "notes": fit.notes,
    }
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=2)
    return fit
