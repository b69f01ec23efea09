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
