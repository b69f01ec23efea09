"""The matcher's DB loaders: pending invitations hold hours, no NaN or duplicate reaches the pure API."""
from datetime import timedelta

import numpy as np

from app.models import Invitation
from app.models.base import utcnow
from app.recruiting.features import load_volunteer_features


def _invite(db, project, volunteer_user, status="pending"):
    inv = Invitation(project_id=project.id, volunteer_id=volunteer_user.volunteer_profile.id, status=status,
                     expires_at=utcnow() + timedelta(days=3))
    db.session.add(inv)
    db.session.commit()
    return inv


def test_pending_invitation_hours_count_against_free_hours(db, make):
    react = make.skill("React")
    campaign = make.campaign(make.user("campaign"))
    a = make.project(campaign, skills=[(react, 2)], hours=6, title="A")
    b = make.project(campaign, skills=[(react, 2)], hours=4, title="B")
    busy = make.volunteer(hours=12)
    idle = make.volunteer(hours=12)
    _invite(db, a, busy)
    _invite(db, b, busy)
    _invite(db, b, idle, status="declined")
    f, _ = load_volunteer_features()
    rows = f.rows_for_ids([busy.volunteer_profile.id, idle.volunteer_profile.id])
    assert f.free_hours[rows].tolist() == [2.0, 12.0]
    assert f.open_invitations[rows].tolist() == [2, 0]


def test_loaded_features_have_no_missing_numbers_and_unique_ids(db, make):
    make.volunteer(hours=1)
    make.volunteer(city=("Seattle", "WA"))
    f, _ = load_volunteer_features()
    assert np.unique(f.ids).size == len(f)
    for name in ("hours_per_week", "committed_hours", "rating_points"):
        assert np.isfinite(getattr(f, name)).all()


def test_recent_shortlists_and_invitations_are_remembered_within_the_window(db, make):
    from app.models import MatchCandidate, MatchRun
    from app.recruiting.features import EXPOSURE_WINDOW

    react = make.skill("React")
    campaign = make.campaign(make.user("campaign"))
    projects = [make.project(campaign, skills=[(react, 2)], title=f"P{i}") for i in range(3)]
    often, once = make.volunteer(), make.volunteer()
    old = MatchRun(kind="project", project_id=projects[2].id, status="done",
                   created_at=utcnow() - EXPOSURE_WINDOW - timedelta(days=1))
    runs = [MatchRun(kind="project", project_id=p.id, status="done") for p in projects[:2]]
    rerun = MatchRun(kind="project", project_id=projects[0].id, status="done")
    db.session.add_all([old, *runs, rerun])
    db.session.flush()
    for run in [old, *runs, rerun]:
        db.session.add(MatchCandidate(run_id=run.id, project_id=run.project_id,
                                      volunteer_id=often.volunteer_profile.id, rank=1, score=0.9))
    db.session.add(MatchCandidate(run_id=runs[0].id, project_id=projects[0].id,
                                  volunteer_id=once.volunteer_profile.id, rank=2, score=0.8))
    db.session.commit()
    _invite(db, projects[0], often, status="declined")
    f, _ = load_volunteer_features()
    rows = f.rows_for_ids([often.volunteer_profile.id, once.volunteer_profile.id])
    assert f.recent_shortlists[rows].tolist() == [2, 1]  # the old run is forgotten, the re-run counts once
    assert f.recent_invitations[rows].tolist() == [1, 0]
