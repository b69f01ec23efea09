"""Every unsafe method on every route refuses a request without a CSRF token, and changes nothing."""
import hashlib
import re

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.integration.security_world import build_world, url_for_rule

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _snapshot():
    """A digest of every row of every table."""
    h = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        pk = ", ".join(c.name for c in table.primary_key.columns) or "1"
        # Refused API calls are audited by design (every call is); they change nothing else.
        where = " WHERE action <> 'api.call'" if table.name == "audit_log" else ""
        for row in db.session.execute(text(f"SELECT * FROM {table.name}{where} ORDER BY {pk}")):  # noqa: S608
            h.update(repr(tuple(row)).encode())
    db.session.commit()
    return h.hexdigest()


def _login(client, user):
    from tests.factories import PASSWORD

    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    resp = client.post("/auth/login", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert resp.status_code == 302


@pytest.mark.parametrize("role", ["anonymous", "lead", "campaign", "admin"])
def test_unsafe_methods_without_a_token_are_refused(csrf_app, make, role):
    """As someone allowed to write (admin for staff pages, the lead and the campaign for theirs)."""
    world = build_world(make)
    client = csrf_app.test_client()
    if world.users[role] is not None:
        _login(client, world.users[role])
    before = _snapshot()
    wrong = []
    for rule in csrf_app.url_map.iter_rules():
        url = url_for_rule(rule, world.params)
        for method in UNSAFE:
            # A plausible form, minus the token: the refusal must come from the missing token.
            resp = client.open(url, method=method, data={"email": "x@example.org", "password": "x" * 12,
                                                        "comment": "ok", "body": "ok", "role": "staff"})
            # Another rule may serve the same path for this method (GET and POST /api/v1/help_requests).
            allowed = any(method in r.methods for r in csrf_app.url_map.iter_rules() if r.rule == rule.rule)
            # The API (/api/v1) reads no cookie: without an API key it refuses with 401 (tests/integration/test_api.py).
            api = rule.rule.startswith("/api/")
            expected = (401 if api else 400) if allowed else 405
            if resp.status_code != expected:
                wrong.append(f"{method} {rule.rule}: {resp.status_code}, expected {expected}")
            elif allowed and not api and "This form has expired" not in resp.get_data(as_text=True):
                wrong.append(f"{method} {rule.rule}: 400 without the CSRF explanation")
    assert not wrong, "\n".join(wrong)
    assert _snapshot() == before, "a request without a CSRF token changed the database"
    if world.users[role] is not None:  # still logged in: logout was refused too
        assert client.get("/dashboard").status_code == 302 and "/auth/login" not in client.get("/dashboard").location


def test_a_token_from_another_session_is_refused(csrf_app, make):
    world = build_world(make)
    mine, theirs = csrf_app.test_client(), csrf_app.test_client()
    _login(mine, world.users["lead"])
    page = theirs.get("/auth/login").get_data(as_text=True)
    foreign = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    p = world.params["project_id"]
    before = _snapshot()
    resp = mine.post(f"/teams/{p}/links", data={"csrf_token": foreign, "chat_url": "https://evil.example/"})
    assert resp.status_code == 400
    assert _snapshot() == before

