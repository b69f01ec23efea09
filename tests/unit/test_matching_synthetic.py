"""The synthetic generator is deterministic and has the intended shape."""
import numpy as np

from app.matching import synthetic_features, synthetic_labels, synthetic_project, synthetic_projects


def test_deterministic_by_seed():
    a, b = synthetic_features(2000, seed=5), synthetic_features(2000, seed=5)
    for name, arr in vars(a).items():
        if isinstance(arr, np.ndarray):
            assert np.array_equal(arr, getattr(b, name), equal_nan=True), name
    assert synthetic_project(3) == synthetic_project(3)
    assert synthetic_projects(3)[2].project_id == 3


def test_realistic_distributions():
    f = synthetic_features(50_000, seed=1)
    n_skills = (f.skill_levels > 0).sum(axis=1)
    assert 0.6 < np.mean((n_skills >= 2) & (n_skills <= 6)) < 0.95
    assert f.skill_levels.max() <= 4
    lat = f.cur_lat[np.isfinite(f.cur_lat)]
    assert 20 < lat.min() and lat.max() < 52
    us = np.isin(f.utc_offset, [-5, -6, -7, -8])
    assert us.mean() > 0.95
    assert 0.4 < np.mean(f.checkins_due == 0) < 0.7
    assert (f.committed_hours <= f.hours_per_week).all()


def test_projects_are_valid_and_labelled():
    labels = synthetic_labels()
    for p in synthetic_projects(30):
        assert 2 <= len(p.needs) <= 4 and 3 <= p.team_min <= p.team_max <= 5
        assert p.end_day - p.start_day + 1 <= 8 * 7
        assert p.city in labels.cities and all(n.skill_id in labels.skills for n in p.needs)
