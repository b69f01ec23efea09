"""Fault: SendGrid misbehaves. The real `sendgrid` client, our outbox sender, a fake server scripted per test.

test_mail.py covers the backend alone (Retry-After, backoff, no retry on 400, a timeout). Here the
whole path: outbox row -> claim -> SendGrid -> the row's status and the reason staff see, for a 429
with X-RateLimit-Reset (honoured, or given up when too far or beyond the claim), 500s (backoff, then
failed after MAIL_MAX_ATTEMPTS), a 400 (failed at once, reason on the outbox page) and a hang.
"""
import time

import pytest

from app.mail.backends.sendgrid_backend import TemporarySendError
from app.mail.sender import get_backend, send_outbox_email
from app.models import OutboxEmail
from tests.integration.fault_tools import FakeSendGrid


@pytest.fixture
def sendgrid():
    with FakeSendGrid() as fake:
        yield fake


@pytest.fixture
def app_config():
    return {"SENDGRID_API_KEY": "SG.fake", "MAIL_TIMEOUT_SECONDS": 2, "MAIL_MAX_ATTEMPTS": 2}


@pytest.fixture
def outbox(app, db, sendgrid):
    """A pending row (not sent on commit: the test drives the sender) and a backend whose sleeps are recorded."""
    app.config["SENDGRID_HOST"] = sendgrid.url
    row = OutboxEmail(idempotency_key="sg-fault:1", to_email="volunteer@example.org", subject="Hi", text_body="Body")
    db.session.add(row)
    db.session.commit()
    backend, sleeps = get_backend(), []
    backend.sleep = sleeps.append
    return row, backend, sleeps


def _reload(db, row):
    db.session.expire_all()
    return db.session.get(OutboxEmail, row.id)


def test_429_waits_for_the_rate_limit_reset_then_sends(db, sendgrid, outbox):
    row, backend, sleeps = outbox
    reset = int(time.time()) + 3
    sendgrid.script = [(429, {"X-RateLimit-Reset": str(reset)}, 0)]
    assert send_outbox_email(row.id, backend=backend) == "sent"
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 3  # until the reset SendGrid named, not a guess
    assert sendgrid.receipts == ["sg-fault:1"] and _reload(db, row).attempts == 1


def test_429_with_a_distant_reset_is_left_for_later_without_waiting(db, sendgrid, outbox):
    row, backend, sleeps = outbox
    sendgrid.script = [(429, {"X-RateLimit-Reset": str(int(time.time()) + 3600)}, 0)]
    with pytest.raises(TemporarySendError, match="rate limit resets in"):
        send_outbox_email(row.id, backend=backend)
    assert sleeps == []  # capped: a worker does not sleep an hour
    row = _reload(db, row)
    assert row.status == "pending" and row.claimed_until is None and "429" in row.last_error
    # Later (the job's retry, or the sweeper), SendGrid takes it.
    assert send_outbox_email(row.id, backend=backend) == "sent"


def test_429_wait_beyond_the_claim_budget_gives_up_this_try(app, db, sendgrid, outbox):
    row, _, _ = outbox
    app.config["MAIL_CLAIM_SECONDS"] = 20  # budget: 15 s for all tries of one send
    backend = get_backend()
    sleeps = []
    backend.sleep = sleeps.append
    sendgrid.script = [(429, {"Retry-After": "30"}, 0)]
    with pytest.raises(TemporarySendError, match="no time left"):
        send_outbox_email(row.id, backend=backend)
    assert sleeps == []  # waiting would outlive the claim and invite a second sender


def test_500s_back_off_then_fail_after_max_attempts_with_the_reason_kept(db, sendgrid, outbox):
    row, backend, sleeps = outbox
    sendgrid.script = [(500, {}, 0)] * 8
    with pytest.raises(TemporarySendError):
        send_outbox_email(row.id, backend=backend)
    assert sleeps == [1.0, 2.0, 4.0]
    row = _reload(db, row)
    assert row.status == "pending" and row.attempts == 1 and "500" in row.last_error
    with pytest.raises(TemporarySendError):  # the retry: MAIL_MAX_ATTEMPTS is 2 here
        send_outbox_email(row.id, backend=backend)
    row = _reload(db, row)
    assert row.status == "failed" and row.attempts == 2 and "SendGrid answered 500" in row.last_error
    assert sendgrid.receipts == []


def test_400_is_not_retried_and_staff_see_why(db, client, make, login, sendgrid, outbox):
    row, backend, sleeps = outbox
    sendgrid.script = [(400, {}, 0)]
    assert send_outbox_email(row.id, backend=backend) == "failed"
    assert sleeps == [] and sendgrid.script == [] and sendgrid.receipts == []
    row = _reload(db, row)
    assert "(400)" in row.last_error and "fake 400" in row.last_error
    assert send_outbox_email(row.id, backend=backend) == "failed"  # a later job sends nothing
    assert sendgrid.receipts == []
    login(make.user("staff"))
    page = client.get("/staff/outbox/?status=failed").get_data(as_text=True)
    assert "sg-fault:1" in page and "SendGrid refused the email (400)" in page


def test_a_hanging_sendgrid_is_cut_off_by_the_timeout(app, db, sendgrid, outbox):
    row, _, _ = outbox
    app.config["MAIL_TIMEOUT_SECONDS"] = 0.5
    backend = get_backend()
    sleeps = []
    backend.sleep = sleeps.append
    sendgrid.script = [(202, {}, 5)] * 4  # answers only after 5 s, every time
    started = time.monotonic()
    with pytest.raises(TemporarySendError, match="unreachable"):
        send_outbox_email(row.id, backend=backend)
    assert time.monotonic() - started < 5 * 4  # not waited out: four tries of 0.5 s each
    assert sleeps == [1.0, 2.0, 4.0]
    row = _reload(db, row)
    assert row.status == "pending" and row.claimed_until is None and "timed out" in row.last_error
