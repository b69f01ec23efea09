"""Exposure with memory: recent shortlists and invitations damp the fairness component."""
import pytest

from app.matching import DEFAULT_PARAMS, rank_volunteers
from tests.unit.matching_fixtures import REACT, components, features, nowhere, project


def test_recent_exposure_damps_fairness_by_the_documented_formula():
    f = features(nowhere(id=1, skills={REACT: 3}), nowhere(id=2, skills={REACT: 3}, recent_invitations=2),
                 nowhere(id=3, skills={REACT: 3}, recent_shortlists=4, open_invitations=1))
    got = components(f, project())["fairness"]
    k = DEFAULT_PARAMS
    assert got[0] == pytest.approx(k.fairness_new)
    assert got[1] == pytest.approx(k.fairness_new / (1 + 2 * k.recent_invitation_damper))
    assert got[2] == pytest.approx(k.fairness_new / (1 + k.open_invitation_damper + 4 * k.recent_shortlist_damper))


def test_the_often_shown_volunteer_yields_to_an_equal_one_and_the_reason_says_why():
    f = features(nowhere(id=1, skills={REACT: 3}, recent_shortlists=6, recent_invitations=3),
                 nowhere(id=2, skills={REACT: 3}))
    r = rank_volunteers(f, project())
    assert [c.volunteer_id for c in r.candidates] == [2, 1]
    assert "recently shortlisted 6 times, invited 3 times" in r.candidates[1].reasons
