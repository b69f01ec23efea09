"""schemathesis against the live app: no 5xx, every answer matches /api/v1/openapi.json, and another
organisation's key never reads this organisation's records (whatever ids and paths it tries)."""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.integration import org_helpers

# The issue asks for both databases: this file runs in the SQLite pass and in the PostgreSQL one.
pytestmark = pytest.mark.postgres

# What only the world's campaign (and its partner) may read.
MARKERS = ("Spanberger for Delegate", "Raise $20k online", "Donation page")


@pytest.fixture
def api_world(make, live_server):
    world = org_helpers.build(make)
    world.markers = MARKERS + (world.consenting.email,)
    world.url = live_server.url
    return world


def _each_operation(api_world, examples, check):
    """Run `check(case)` on hypothesis-generated cases of every operation (schemathesis strategies).

    Written with plain hypothesis over `operation.as_strategy()`: schemathesis' pytest plugin
    (`from_fixture`) does not run under pytest 9.
    """
    schema = schemathesis.openapi.from_url(f"{api_world.url}/api/v1/openapi.json")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            check(case)

        try:
            run()
        except Exception as err:  # collect every operation's failure, not just the first
            failures.append(f"{operation.label}: {err}")
    assert not failures, "\n\n".join(failures)


def _call(case, headers):
    """call_and_validate, less one check where the API has rules JSON Schema cannot state: asking
    for help with a start date in the past is schema-valid and rightly refused (400, every rule named)."""
    rules_beyond_schema = case.operation.method.upper() == "POST" and case.operation.path == "/help_requests"
    return case.call_and_validate(headers=headers,
                                  excluded_checks=[positive_data_acceptance] if rules_beyond_schema else None)


def test_api_conforms_to_its_description(api_world):
    """Our own key: every answer conforms (status, content type, body schema) and none is a 5xx."""
    headers = {"OSDI-API-Token": api_world.keys["campaign_write"]}
    _each_operation(api_world, 40, lambda case: _call(case, headers))


def test_another_organisations_key_never_reads_our_data(api_world):
    headers = {"OSDI-API-Token": api_world.keys["other_read"]}

    def check(case):
        response = _call(case, headers)
        leaked = [m for m in api_world.markers if m in response.text]
        assert not leaked, f"{case.method} {case.formatted_path} with another organisation's key shows {leaked}"

    _each_operation(api_world, 20, check)


def test_every_id_of_ours_is_a_404_for_another_organisation(api_world):
    """Beyond random ids: walk every real id of ours through every item path with the other key."""
    import requests

    team = api_world.team
    ids = {"person_id": [p.volunteer_profile.id for p in team.members], "project_id": [team.project.id],
           "request_id": list(range(1, 10)), "tag_id": [f"project-{team.project.id}"]}
    spec = requests.get(f"{api_world.url}/api/v1/openapi.json", timeout=10).json()
    headers = {"OSDI-API-Token": api_world.keys["other_read"]}
    wrong = []
    for path in spec["paths"]:
        names = re.findall(r"{(\w+)}", path)
        if not names or names == ["tag_id", "tagging_id"] or "get" not in spec["paths"][path]:
            continue
        for value in ids[names[0]]:
            resp = requests.get(f"{api_world.url}/api/v1" + path.replace("{" + names[0] + "}", str(value)),
                                headers=headers, timeout=10)
            if resp.status_code != 404 and any(m in resp.text for m in api_world.markers):
                wrong.append(f"{path} {value}: {resp.status_code}")
            if names[0] in ("person_id", "project_id", "tag_id") and resp.status_code != 404:
                wrong.append(f"{path} {value}: {resp.status_code}, expected 404")
    assert not wrong, wrong
