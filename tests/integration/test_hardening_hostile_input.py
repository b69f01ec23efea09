"""Property-based: hostile values in every URL converter and every form field, as every role.

Hypothesis draws huge and negative numbers, NaN and infinities, NUL and control characters, invisible
characters, long and empty strings, wrong types and unknown choices. Every answer must be a 4xx or a
success; a refusal (4xx) must leave every table as it was. The forms are the ones the app really shows:
each role's pages are read and every POST form on them is collected with its field names.
"""
import os
import re
from html import unescape
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from tests.integration.security_world import ROLES, build_world, url_for_rule

# Per test and database: every rule and form a few times, in well under a minute. Raise it by hand
# (HOSTILE_EXAMPLES=1000) to hunt further.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "60"))

HOSTILE = st.one_of(
    st.sampled_from([
        "", " ", "\x00", "a\x00b", "\x07\x1b[31m", "\u200b\u200b", "\u202e\u2066", "\ufeff", "nan", "NaN", "sNaN",
        "inf", "-inf", "Infinity", "1e309", "-1", "0", "2147483648", "99999999999999999999",
        "-99999999999999999999", "\u00b2", "\u0661\u0662", "1.5", "<script>alert(1)</script>", "' OR 1=1 --",
        "x" * 5000, "2026-13-45", "0000-00-00", "on", "y", "true", "[]", "{}", "../../etc/passwd", "%00",
        "unknown-choice", "\ud7ff", "\U0001f600" * 50,
    ]),
    st.text(max_size=40),
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SKIP_ENDPOINTS = {"auth.logout", "static"}  # logging out only ends the session the next examples need


def _clients(app, world):
    clients = {}
    for role in ROLES:
        client = app.test_client()
        world.login_as(client, role)
        clients[role] = client
    return clients


def _table_counts():
    """Rows per table, in one query (a fresh snapshot)."""
    db.session.rollback()
    counts = db.union_all(*[db.select(db.literal(t.name), db.func.count()).select_from(t)
                            for t in db.metadata.sorted_tables])
    return dict(db.session.execute(counts).all())


def _check(resp, what, before=None):
    assert resp.status_code < 500, f"{what}: {resp.status_code}"
    if before is not None and 400 <= resp.status_code < 500:
        assert _table_counts() == before, f"{what}: refused with {resp.status_code} but rows changed"


def test_hostile_values_in_every_url_converter(app, make):
    world = build_world(make)
    clients = _clients(app, world)
    rules = [r for r in app.url_map.iter_rules() if r.arguments and r.endpoint not in SKIP_ENDPOINTS]
    assert len(rules) > 30

    @SETTINGS
    @given(rule=st.sampled_from(rules), role=st.sampled_from(ROLES), value=HOSTILE, data=st.data())
    def check(rule, role, value, data):
        arg = data.draw(st.sampled_from(sorted(rule.arguments)))
        path = url_for_rule(rule, world.params, **{arg: quote(value, safe="")})
        method = data.draw(st.sampled_from(sorted(rule.methods & {"GET", "POST"})))
        before = _table_counts() if method == "POST" else None
        _check(clients[role].open(path, method=method, data={}), f"{method} {path} as {role}", before)

    check()


_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
_ACTION = re.compile(r'action="([^"]*)"')
_FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)


def _post_forms(clients, world, app):
    """{(role, action path): [field names]} for every POST form on every page each role can open."""
    forms = {}
    pages = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in SKIP_ENDPOINTS]
    for role, client in clients.items():
        for rule in pages:
            resp = client.get(url_for_rule(rule, world.params))
            if resp.status_code != 200 or resp.mimetype != "text/html":
                continue
            for form in _FORM.findall(resp.get_data(as_text=True)):
                if 'method="post"' not in form.lower():
                    continue
                action = unescape(_ACTION.search(form).group(1)) if _ACTION.search(form) else resp.request.path
                if action.startswith("/auth/logout"):
                    continue
                names = sorted(set(_FIELD.findall(form)) - {"csrf_token"})
                forms[(role, action or resp.request.path)] = names
    return forms


def test_hostile_values_in_every_form_as_every_role(app, make):
    world = build_world(make)
    clients = _clients(app, world)
    forms = _post_forms(clients, world, app)
    assert len({action for _, action in forms}) > 15, sorted(forms)
    keys = sorted(forms)

    @SETTINGS
    @given(key=st.sampled_from(keys), data=st.data())
    def check(key, data):
        role, action = key
        names = forms[key]
        chosen = data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        payload = {name: data.draw(HOSTILE) for name in chosen}
        before = _table_counts()
        _check(clients[role].post(action, data=payload), f"POST {action} as {role} with {payload!r:.300}", before)

    check()
