"""`flask matching fit-weights`: outcomes with a planted signal in the database, fitted, written for review."""
import json
from datetime import timedelta

import numpy as np

from app.matching import COMPONENTS, DEFAULT_WEIGHTS
from app.matching.learn import synthetic_outcomes
from app.models import Invitation, MatchCandidate, MatchRun
from app.models.base import utcnow

TRUTH = {"skills": 0.1, "affinity": 0.05, "availability": 0.65, "reliability": 0.2, "fairness": 0.0}


def _history(db, make, n_projects=12, per_project=20):
    """Invitations proposed by runs that stored the components; answers drawn from TRUTH."""
    X, y = synthetic_outcomes(TRUTH, n_volunteers=3000, n_projects=n_projects, per_project=per_project, seed=4)
    react = make.skill("React")
    campaign = make.campaign(make.user("campaign"))
    volunteers = [make.volunteer().volunteer_profile.id for _ in range(per_project)]
    i = 0
    for k in range(n_projects):
        project = make.project(campaign, skills=[(react, 2)], title=f"Project {k}")
        run = MatchRun(kind="project", project_id=project.id, status="done")
        db.session.add(run)
        db.session.flush()
        for rank, vid in enumerate(volunteers, start=1):
            comps = dict(zip(COMPONENTS, X[i].tolist()))
            db.session.add(MatchCandidate(run_id=run.id, project_id=project.id, volunteer_id=vid, rank=rank,
                                          score=0.5, components=comps))
            db.session.add(Invitation(project_id=project.id, volunteer_id=vid, match_run_id=run.id,
                                      status="accepted" if y[i] else ("declined" if i % 2 else "expired"),
                                      expires_at=utcnow() + timedelta(days=3)))
            i += 1
    # pending invitations carry no answer and are left out
    db.session.add(Invitation(project_id=project.id, volunteer_id=make.volunteer().volunteer_profile.id,
                              match_run_id=run.id, status="pending", expires_at=utcnow() + timedelta(days=3)))
    db.session.commit()
    return X, y


def test_fit_weights_writes_a_review_file_and_changes_no_weight(app, db, make, tmp_path):
    from app.recruiting.outcomes import outcome_training_data

    X, y = _history(db, make)
    got_X, got_y = outcome_training_data()
    assert got_y.tolist() == y.tolist() and np.allclose(got_X, X)
    before = dict(app.config["MATCH_WEIGHTS"])
    out = tmp_path / "fitted.json"
    result = app.test_cli_runner().invoke(args=["matching", "fit-weights", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Held-out AUC: fitted" in result.output and "MATCH_WEIGHTS is unchanged" in result.output
    doc = json.loads(out.read_text())
    assert max(doc["weights"], key=doc["weights"].get) == "availability"
    assert doc["held_out_auc"]["fitted"] > doc["held_out_auc"]["hand_set"]
    assert doc["rows"]["train"] + doc["rows"]["test"] == len(y)
    assert doc["hand_set_weights"] == before == app.config["MATCH_WEIGHTS"]
    assert set(DEFAULT_WEIGHTS) == set(doc["weights"])


def test_too_little_history_is_refused_and_nothing_is_written(app, db, make, tmp_path):
    out = tmp_path / "fitted.json"
    result = app.test_cli_runner().invoke(args=["matching", "fit-weights", "--out", str(out)])
    assert result.exit_code != 0 and "only 0 answered invitations" in result.output
    assert not out.exists()
