"""Log-in, password reset and sign-up are rate-limited (Flask-Limiter), with a clear 429 page in our layout."""
import itertools
import re
import time
import uuid

import pytest
from itsdangerous import TimestampSigner

from app.models import OutboxEmail
from tests.conftest import FreshContextClient
from tests.services import require_env

LIMITS = {
    "RATELIMIT_ENABLED": True,
    "LOGIN_LIMIT_PER_ADDRESS": "3 per 15 minutes",
    "LOGIN_LIMIT_PER_ACCOUNT": "5 per hour",
    "RESET_LIMIT_PER_ADDRESS": "4 per hour",
    "RESET_LIMIT_PER_ACCOUNT": "2 per hour",
    "REGISTER_LIMIT_PER_ADDRESS": "4 per hour",
    "REGISTER_LIMIT_PER_ACCOUNT": "2 per hour",
}
MESSAGE = re.compile(r"Too many attempts, try again in (\d+) minutes?\.")


@pytest.fixture
def app_config():
    return dict(LIMITS)


def fail_login(client, email="ada@example.org", ip="10.0.0.1"):
    return client.post("/auth/login", data={"email": email, "password": "not the password", "remember": "y"},
                       environ_base={"REMOTE_ADDR": ip})


def test_failed_logins_are_limited_per_address_with_a_clear_page(client, make):
    for _ in range(3):
        assert fail_login(client).status_code == 200
    resp = fail_login(client)
    assert resp.status_code == 429
    page = resp.get_data(as_text=True)
    minutes = int(MESSAGE.search(page).group(1))
    assert 1 <= minutes <= 15
    assert 0 < int(resp.headers["Retry-After"]) <= 15 * 60 + 1  # the window, rounded up to a second
    # In our layout, with the form still holding what was typed (never the password).
    assert "Barnstorm" in page and 'action="/auth/logout"' not in page and "<h1>Log in</h1>" in page
    assert 'value="ada@example.org"' in page and "not the password" not in page
    assert re.search(r'<input[^>]*checked[^>]*name="remember"|<input[^>]*name="remember"[^>]*checked', page)
    assert "unsafe-inline" not in resp.headers["Content-Security-Policy"]
    # Even the right password waits: the address is blocked, not only the guesses.
    user = make.user()
    resp = client.post("/auth/login", data={"email": user.email, "password": make.PASSWORD},
                       environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert resp.status_code == 429
    # Another address is not affected.
    assert fail_login(client, ip="10.0.0.2").status_code == 200


def test_successful_logins_do_not_count(client, make):
    user = make.user()
    for _ in range(6):
        resp = client.post("/auth/login", data={"email": user.email, "password": make.PASSWORD})
        assert resp.status_code == 302
        client.post("/auth/logout")
    assert fail_login(client).status_code == 200


def test_one_account_is_limited_whatever_the_address(client):
    for i in range(5):
        assert fail_login(client, email="victim@example.org", ip=f"10.1.0.{i}").status_code == 200
    assert fail_login(client, email="victim@example.org", ip="10.1.0.99").status_code == 429
    assert fail_login(client, email="someone@example.org", ip="10.1.0.99").status_code == 200


def test_reset_requests_are_limited_and_keep_the_email(client, db, make, monkeypatch):
    # A clock that moves a second per signature: every request that got through would get a link (and
    # an email) of its own, so the count below shows exactly what the limit let through.
    ticks = itertools.count(int(time.time()) - 1000)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: next(ticks))
    user = make.user()
    for _ in range(2):
        assert client.post("/auth/reset", data={"email": user.email}).status_code == 302
    sent = db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail))
    assert sent == 2
    resp = client.post("/auth/reset", data={"email": user.email})
    assert resp.status_code == 429
    page = resp.get_data(as_text=True)
    assert MESSAGE.search(page) and f'value="{user.email}"' in page and "Reset your password" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == sent  # no email past the limit
    # Unknown emails count the same way: the limit itself tells nothing about which accounts exist.
    other = {"REMOTE_ADDR": "10.9.9.9"}
    for _ in range(2):
        assert client.post("/auth/reset", data={"email": "nobody@example.org"}, environ_base=other).status_code == 302
    assert client.post("/auth/reset", data={"email": "nobody@example.org"}, environ_base=other).status_code == 429


def test_sign_ups_are_limited_per_email_and_keep_what_was_typed(client, db):
    """Each sign-up sends an email, so one address cannot be used to flood someone's inbox."""
    form = {"name": "Ada Lovelace", "email": "ada@example.org", "password": "a-long-enough-password",
            "confirm": "a-long-enough-password", "role": "volunteer"}
    for ip in ("10.0.0.1", "10.0.0.2"):
        assert client.post("/auth/register", data=form, environ_base={"REMOTE_ADDR": ip}).status_code == 302
    sent = db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail))
    resp = client.post("/auth/register", data=form, environ_base={"REMOTE_ADDR": "10.0.0.3"})
    assert resp.status_code == 429
    page = resp.get_data(as_text=True)
    assert MESSAGE.search(page) and 'value="ada@example.org"' in page and 'value="Ada Lovelace"' in page
    assert 'value="a-long-enough-password"' not in page  # passwords are never echoed back
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == sent


def test_other_pages_and_plain_visits_are_not_limited(client):
    for _ in range(10):
        assert client.get("/auth/login").status_code == 200
        assert client.get("/auth/reset").status_code == 200


@pytest.mark.parametrize("app_config", [{}], indirect=False)
def test_limits_are_off_in_the_testing_config(client, app_config):
    for _ in range(12):
        assert fail_login(client).status_code == 200


def test_limits_come_from_the_config(_schema, tmp_path):
    from tests.conftest import _make_app

    app = _make_app(_schema, tmp_path / "i", **{**LIMITS, "LOGIN_LIMIT_PER_ADDRESS": "1 per hour"})
    with app.app_context():
        client = app.test_client()
        assert fail_login(client).status_code == 200
        resp = fail_login(client)
        assert resp.status_code == 429 and MESSAGE.search(resp.get_data(as_text=True)).group(1) == "60"


# ---------------------------------------------------------------- on real Redis, and without it


def _redis_app(_schema, tmp_path, name, storage, prefix):
    from tests.conftest import _make_app

    app = _make_app(_schema, tmp_path / name, RATELIMIT_STORAGE_URI=storage, RATELIMIT_KEY_PREFIX=prefix, **LIMITS)
    app.test_client_class = FreshContextClient
    return app


def test_counters_are_shared_through_redis(_schema, tmp_path, db):
    """Two app instances (two gunicorn workers, two hosts) count together in Redis."""
    redis_url = require_env("TEST_REDIS_URL")
    from redis import Redis

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    a = _redis_app(_schema, tmp_path, "a", redis_url, prefix)
    b = _redis_app(_schema, tmp_path, "b", redis_url, prefix)
    with a.app_context():
        ca = a.test_client()
        assert fail_login(ca).status_code == 200
        assert fail_login(ca).status_code == 200
    with b.app_context():
        cb = b.test_client()
        assert fail_login(cb).status_code == 200
        resp = fail_login(cb)
        assert resp.status_code == 429 and MESSAGE.search(resp.get_data(as_text=True))
    r = Redis.from_url(redis_url)
    keys = r.keys(f"*/{prefix}/*")
    assert keys, "the counters should live in Redis"
    assert not any(b"ada@example.org" in k for k in keys), "emails are hashed in counter keys"
    r.delete(*keys)


def test_redis_down_does_not_take_the_site_down(_schema, tmp_path, make, db):
    """Nothing listens on port 1: log-ins still work, and failures are still counted (in memory)."""
    app = _redis_app(_schema, tmp_path, "down", "redis://127.0.0.1:1/0", "down")
    with app.app_context():
        client = app.test_client()
        user = make.user()
        resp = client.post("/auth/login", data={"email": user.email, "password": make.PASSWORD})
        assert resp.status_code == 302
        client.post("/auth/logout")
        assert client.post("/auth/reset", data={"email": user.email}).status_code == 302
        codes = [fail_login(client).status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]  # 3 per 15 minutes, counted in memory
