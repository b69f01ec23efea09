"""The demo's outcome history: past teams' invitations carry components and graded outcomes to learn from."""
import numpy as np
import pytest
from sqlalchemy import select

from app.matching import COMPONENTS, DEFAULT_WEIGHTS
from app.matching.learn import auc, fit_weights
from app.models import Invitation, MatchCandidate, MatchRun, Project
from app.seed.demo import create_demo


@pytest.fixture
def demo(db):
    create_demo(volunteers=80, campaigns=8, seed=2026)
    db.session.expire_all()


def test_past_projects_have_the_run_that_proposed_them_and_outcomes_to_learn_from(db, demo):
    from app.recruiting.outcomes import outcome_training_data

    for p in db.session.scalars(select(Project).where(Project.status.in_(("active", "completed")))):
        invitations = db.session.scalars(select(Invitation).where(Invitation.project_id == p.id)).all()
        assert invitations and all(i.match_run_id is not None for i in invitations)
        run = db.session.get(MatchRun, invitations[0].match_run_id)
        assert run.status == "done" and run.project_id == p.id
        proposed = set(db.session.scalars(select(MatchCandidate.volunteer_id).where(MatchCandidate.run_id == run.id)))
        assert {i.volunteer_id for i in invitations} == proposed
        assert sum(i.status == "expired" for i in invitations) >= 1
    X, y = outcome_training_data()
    grades = set(np.round(y, 4).tolist())
    assert 0.0 in grades and any(g > 0.5 for g in grades)  # refused, and accepted then completed / rated
    # the planted signal: invitations left to expire went to the least available
    availability = X[:, COMPONENTS.index("availability")]
    assert auc(availability, y) > 0.6
    fit = fit_weights(X, y, DEFAULT_WEIGHTS, seed=0)
    assert fit.weights["availability"] > 0
