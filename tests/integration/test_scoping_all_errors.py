"""The scope rules report every rule a scope breaks at once (app/scoping/rules.py), so the form can
show them together."""
from datetime import timedelta

import pytest

from app.errors.domain import DomainErrors
from app.scoping import rules
from tests.integration.test_scoping_rules import TODAY, scope_data, validate, world  # noqa: F401 -- the fixture


def test_every_broken_rule_is_reported_at_once(world):  # noqa: F811
    with pytest.raises(DomainErrors) as err:
        validate(world, weeks=20, team_max=9, start_date=TODAY - timedelta(days=1), title="",
                 skills=[{"skill_id": "", "level": 2, "weight": 1.0}])
    assert [(e.field, e.message) for e in err.value.errors] == [
        ("title", "Give it a title."), ("weeks", rules.WEEKS_MESSAGE), ("team_max", "A team has 3 to 5 members."),
        ("skills", "Add at least one skill the team needs."), ("start_date", "The start date is in the past."),
    ]
    assert rules.scope_problems(scope_data(world["skill"]), world["template"], world["campaign"], TODAY,
                                {world["skill"].id}) == []
