"""Strangers cannot lock an owner out (log-in, reset), brute force is still limited, and a reset
request does the same work whether or not the address has an account."""
import pytest
from sqlalchemy import event

from app.extensions import db as _db
from app.models import OutboxEmail
from tests.integration.test_security_ratelimit import LIMITS, fail_login
from tests.services import flush_redis, require_env, run_burst_worker


@pytest.fixture
def app_config():
    return dict(LIMITS, LOGIN_LIMIT_PER_ADDRESS_ACCOUNT="3 per hour")


def login(client, user, password, ip):
    return client.post("/auth/login", data={"email": user.email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_strangers_using_up_the_account_limit_do_not_lock_out_the_owner_on_a_known_device(app, make):
    owner = make.user()
    device = app.test_client()
    assert login(device, owner, make.PASSWORD, "10.5.0.1").status_code == 302
    device.post("/auth/logout")
    strangers = app.test_client()
    for i in range(5):  # LOGIN_LIMIT_PER_ACCOUNT: 5 per hour, from five addresses
        assert fail_login(strangers, email=owner.email, ip=f"10.6.0.{i}").status_code == 200
    # Brute force stays limited: a new address, even with the right password, waits.
    assert login(app.test_client(), owner, make.PASSWORD, "10.6.0.99").status_code == 429
    # The owner, on the device they used before, gets in.
    assert login(device, owner, make.PASSWORD, "10.5.0.1").status_code == 302


def test_a_known_device_still_cannot_guess_without_limit(app, make):
    owner = make.user()
    device = app.test_client()
    assert login(device, owner, make.PASSWORD, "10.5.0.1").status_code == 302
    device.post("/auth/logout")
    for _ in range(3):  # LOGIN_LIMIT_PER_ADDRESS_ACCOUNT
        assert login(device, owner, "wrong guess", "10.5.0.1").status_code == 200
    assert login(device, owner, "wrong guess", "10.5.0.1").status_code == 429


def test_a_forged_device_cookie_is_ignored(app, make):
    owner = make.user()
    for i in range(5):
        assert fail_login(app.test_client(), email=owner.email, ip=f"10.6.0.{i}").status_code == 200
    forger = app.test_client()
    forger.set_cookie("barnstorm_device", "WyJhY2NvdW50OjEyMyJd.forged", path="/auth/")
    assert login(forger, owner, make.PASSWORD, "10.7.0.1").status_code == 429


def test_strangers_cannot_use_up_the_owners_reset_requests(client, db, make):
    owner = make.user()
    for i in range(3):
        client.post("/auth/reset", data={"email": owner.email}, environ_base={"REMOTE_ADDR": f"10.8.0.{i}"})
        client.post("/auth/reset", data={"email": owner.email}, environ_base={"REMOTE_ADDR": f"10.8.0.{i}"})
    before = db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail))
    resp = client.post("/auth/reset", data={"email": owner.email}, environ_base={"REMOTE_ADDR": "10.9.0.1"})
    assert resp.status_code == 302
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) >= before


# ---------------------------------------------------------------- reset timing


@pytest.fixture
def redis_app_config(app):
    url = require_env("TEST_REDIS_URL")
    flush_redis(url)
    app.config["REDIS_URL"] = url
    yield url
    flush_redis(url)


def _statements_of(client, email):
    seen = []

    def note(conn, cursor, statement, *args):
        seen.append(statement.split()[0].upper())

    event.listen(_db.engine, "before_cursor_execute", note)
    try:
        assert client.post("/auth/reset", data={"email": email}).status_code == 302
    finally:
        event.remove(_db.engine, "before_cursor_execute", note)
    return seen


def test_a_reset_request_does_the_same_work_for_a_registered_and_an_unknown_address(app, client, db, make,
                                                                                   redis_app_config, tmp_path):
    owner = make.user(email="owner@example.org")
    registered = _statements_of(client, owner.email)
    unknown = _statements_of(client, "nobody@example.org")
    assert registered == unknown  # the lookup, the token and the email are the job's work
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == 0
    result = run_burst_worker(app, redis_app_config, tmp_path / "worker")
    assert result.returncode == 0, result.stderr[-2000:]
    db.session.commit()
    sent = db.session.scalars(db.select(OutboxEmail)).all()
    assert [m.to_email for m in sent] == ["owner@example.org"]
