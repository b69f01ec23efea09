"""`flask matching fit-weights`: outcomes with a planted signal in the database, fitted, written for review."""
import json
from datetime import timedelta

import numpy as np

from app.matching import COMPONENTS, DEFAULT_WEIGHTS
from app.matching.learn import outcome_value, synthetic_outcomes
from app.models import CheckIn, Invitation, MatchCandidate, MatchRun, Rating, Sprint, TeamMembership
from app.models.base import utcnow

TRUTH = {"skills": 0.1, "affinity": 0.05, "availability": 0.65, "reliability": 0.2, "fairness": 0.0}


def _membership(y):
    """The seat status that grades as `y` when the project has no check-ins or rating yet."""
    return None if y == 0 else "dropped" if y == 0.25 else "active" if y == 0.5 else "completed"


def _history(db, make, n_projects=12, per_project=20):
    """Invitations proposed by runs that stored the components; answers and what followed drawn
    from TRUTH (left early, still on the team, completed)."""
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
            if y[i]:
                db.session.add(TeamMembership(project_id=project.id, volunteer_id=vid, hours_per_week=4,
                                              status=_membership(y[i])))
            i += 1
    # pending invitations carry no answer and are left out
    db.session.add(Invitation(project_id=project.id, volunteer_id=make.volunteer().volunteer_profile.id,
                              match_run_id=run.id, status="pending", expires_at=utcnow() + timedelta(days=3)))
    db.session.commit()
    graded = np.array([outcome_value("accepted" if v else "declined", _membership(v)) for v in y])
    return X, graded


def test_fit_weights_writes_a_review_file_and_changes_no_weight(app, db, make, tmp_path):
    from app.recruiting.outcomes import outcome_training_data

    X, y = _history(db, make)
    got_X, got_y = outcome_training_data()
    assert got_y.tolist() == y.tolist() and np.allclose(got_X, X)
    assert {0.0, 0.25, 0.5, 1.0} <= set(got_y.tolist())  # refused, left early, on the team, completed
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


def test_check_ins_on_time_and_the_campaign_rating_grade_the_accepted(app, db, make):
    from app.recruiting.outcomes import outcome_training_data

    react = make.skill("React")
    project = make.project(make.campaign(make.user("campaign")), skills=[(react, 2)])
    run = MatchRun(kind="project", project_id=project.id, status="done")
    db.session.add(run)
    db.session.flush()
    stayed, refused = (make.volunteer().volunteer_profile.id for _ in range(2))
    for vid, status in ((stayed, "accepted"), (refused, "declined")):
        db.session.add(MatchCandidate(run_id=run.id, project_id=project.id, volunteer_id=vid, rank=1, score=0.5,
                                      components=dict.fromkeys(COMPONENTS, 0.5)))
        db.session.add(Invitation(project_id=project.id, volunteer_id=vid, match_run_id=run.id, status=status,
                                  expires_at=utcnow() + timedelta(days=3)))
    db.session.add(TeamMembership(project_id=project.id, volunteer_id=stayed, hours_per_week=4, status="active"))
    today = utcnow().date()
    for number, on_time in ((1, True), (2, True), (3, True), (4, False)):
        sprint = Sprint(project_id=project.id, number=number, starts_on=today, ends_on=today, due_on=today)
        db.session.add(sprint)
        db.session.flush()
        db.session.add(CheckIn(sprint_id=sprint.id, project_id=project.id, status="on_track", on_time=on_time))
    db.session.add(Rating(project_id=project.id, kind="campaign", score=4))
    db.session.commit()
    _, y = outcome_training_data()
    # accepted, still on the team: 0.5 + 0.5 * mean(3 of 4 check-ins on time, rating 4 of 5 -> 0.75)
    assert y.tolist() == [0.875, 0.0]
