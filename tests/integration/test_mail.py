"""The outbox and its senders: written with the change, sent after commit, never sent twice."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from app.jobs.email import send_email_job, sweep_outbox_job
from app.mail.backends.sendgrid_backend import PermanentSendError, SendGridBackend, TemporarySendError
from app.mail.outbox import queue_email
from app.mail.sender import send_outbox_email
from app.models import OutboxEmail
from tests.services import flush_redis, require_env, run_burst_worker


def _mail_files(app):
    import os

    folder = os.path.join(app.instance_path, "mail")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.mark.postgres
def test_email_is_sent_after_commit_by_the_console_backend(app, db):
    row = queue_email("test:1", "a@example.org", "Hello", "Body")
    assert _mail_files(app) == []  # nothing leaves before the transaction commits
    db.session.commit()
    db.session.refresh(row)
    assert row.status == "sent" and row.attempts == 1
    assert len(_mail_files(app)) == 1


@pytest.mark.postgres
def test_rolled_back_change_sends_nothing(app, db):
    queue_email("test:2", "a@example.org", "Hello", "Body")
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == 0
    assert _mail_files(app) == []


@pytest.mark.postgres
def test_same_key_twice_is_one_email(app, db):
    a = queue_email("invite:9", "a@example.org", "Hello", "Body")
    b = queue_email("invite:9", "a@example.org", "Hello again", "Body")
    db.session.commit()
    assert a.id == b.id
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == 1


@pytest.mark.postgres
def test_job_run_twice_sends_once(app, db):
    row = queue_email("test:3", "a@example.org", "Hello", "Body")
    db.session.commit()
    assert send_email_job(row.id) == "sent"
    assert send_email_job(row.id) == "sent"
    assert len(_mail_files(app)) == 1


class _Recorder:
    """A backend that fails a set number of times, then records what it sent."""

    name = "recorder"

    def __init__(self, failures=0, error=TemporarySendError):
        self.failures, self.error, self.sent = failures, error, []

    def send(self, email, mail_from):
        if self.failures:
            self.failures -= 1
            raise self.error("down")
        self.sent.append(email.idempotency_key)
        return "msg-1"


@pytest.mark.postgres
def test_temporary_failure_keeps_the_email_pending_for_a_retry(app, db):
    row = OutboxEmail(idempotency_key="t:4", to_email="a@example.org", subject="s", text_body="b")
    db.session.add(row)
    db.session.flush()
    db.session.info.clear()  # bypass the after-commit send: this test drives the sender itself
    db.session.commit()
    backend = _Recorder(failures=1)
    with pytest.raises(TemporarySendError):
        send_outbox_email(row.id, backend=backend)
    db.session.refresh(row)
    assert row.status == "pending" and row.attempts == 1 and "down" in row.last_error
    assert send_outbox_email(row.id, backend=backend) == "sent"
    assert backend.sent == ["t:4"]


def test_permanent_failure_is_not_retried(app, db):
    row = OutboxEmail(idempotency_key="t:5", to_email="a@example.org", subject="s", text_body="b")
    db.session.add(row)
    db.session.commit()
    db.session.refresh(row)
    row.status = "pending"
    db.session.commit()
    backend = _Recorder(failures=5, error=PermanentSendError)
    assert send_outbox_email(row.id, backend=backend) == "failed"
    assert send_outbox_email(row.id, backend=backend) == "failed"
    assert backend.failures == 4  # tried once only


# --- SendGrid against a scripted local server: retries on 429/5xx, never on 400, timeouts ---


class _Scripted(BaseHTTPRequestHandler):
    script = []
    calls = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        type(self).calls.append(json.loads(self.rfile.read(length) or b"{}"))
        status, headers, delay = type(self).script.pop(0) if type(self).script else (202, {}, 0)
        if delay:
            threading.Event().wait(delay)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted_sendgrid():
    _Scripted.script, _Scripted.calls = [], []
    server = HTTPServer(("127.0.0.1", 0), _Scripted)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Scripted
    server.shutdown()


def _row(key="sg:1"):
    return OutboxEmail(id=1, idempotency_key=key, to_email="a@example.org", subject="Hi", text_body="Body")


def _backend(url, **kw):
    sleeps = []
    backend = SendGridBackend("SG.test", host=url, timeout=kw.pop("timeout", 2), sleep=sleeps.append, **kw)
    return backend, sleeps


def test_sendgrid_retries_429_honouring_retry_after(scripted_sendgrid):
    url, server = scripted_sendgrid
    server.script = [(429, {"Retry-After": "3"}, 0), (202, {"X-Message-Id": "abc"}, 0)]
    backend, sleeps = _backend(url)
    assert backend.send(_row(), "hello@barnstorm.example") == "abc"
    assert len(server.calls) == 2 and sleeps == [3.0]


def test_sendgrid_retries_500_with_backoff_then_gives_up(scripted_sendgrid):
    url, server = scripted_sendgrid
    server.script = [(500, {}, 0)] * 4
    backend, sleeps = _backend(url, retries=3, backoff=1.0)
    with pytest.raises(TemporarySendError):
        backend.send(_row(), "hello@barnstorm.example")
    assert len(server.calls) == 4 and sleeps == [1.0, 2.0, 4.0]


def test_sendgrid_never_retries_400(scripted_sendgrid):
    url, server = scripted_sendgrid
    server.script = [(400, {}, 0)]
    backend, sleeps = _backend(url)
    with pytest.raises(PermanentSendError):
        backend.send(_row(), "hello@barnstorm.example")
    assert len(server.calls) == 1 and sleeps == []


def test_sendgrid_hanging_server_is_cut_off_by_the_timeout(scripted_sendgrid):
    url, server = scripted_sendgrid
    server.script = [(202, {}, 3)] * 2
    backend, sleeps = _backend(url, timeout=0.5, retries=1)
    with pytest.raises(TemporarySendError):
        backend.send(_row(), "hello@barnstorm.example")
    assert len(sleeps) == 1


# --- SendGrid's own API description, served by Prism (started by tests/run.sh) ---


def test_our_payloads_pass_sendgrids_api_description(app):
    url = require_env("TEST_SENDGRID_URL")
    from app.mail.messages import render_message
    from tests import factories

    user = factories.user()
    backend, _ = _backend(url)
    subject, text = render_message("password_reset", user=user, link="http://localhost/auth/reset/x")
    row = OutboxEmail(id=7, idempotency_key="reset:1:x", to_email=user.email, subject=subject, text_body=text)
    backend.send(row, app.config["MAIL_FROM"])  # Prism answers 400 (raising) if the payload violates the spec
    row.html_body = "<p>Hello</p>"
    backend.send(row, app.config["MAIL_FROM"])


def test_prism_rejects_an_invalid_payload(app):
    """Proves the check above can fail: Prism validates, it does not just say yes."""
    url = require_env("TEST_SENDGRID_URL")
    from python_http_client.exceptions import BadRequestsError
    from sendgrid import SendGridAPIClient

    client = SendGridAPIClient("SG.test", host=url)
    with pytest.raises(BadRequestsError):
        client.client.mail.send.post(request_body={"personalizations": [], "subject": 5})


@pytest.mark.parametrize("app_config", [{"SENDGRID_API_KEY": "SG.test"}])
def test_outbox_sends_through_sendgrid_when_a_key_is_set(app, db, app_config):
    app.config["SENDGRID_HOST"] = require_env("TEST_SENDGRID_URL")
    row = queue_email("sg:live", "volunteer@example.org", "Welcome", "Hello")
    db.session.commit()
    db.session.refresh(row)
    assert row.status == "sent", row.last_error


# --- A real Redis and a real `rq worker` ---


@pytest.mark.postgres
@pytest.mark.parametrize("app_config", [{"REDIS_URL": "placeholder"}])
def test_email_job_runs_on_a_real_rq_worker(app, db, tmp_path, app_config):
    redis_url = require_env("TEST_REDIS_URL")
    app.config["REDIS_URL"] = redis_url
    flush_redis(redis_url)
    rows = [queue_email(f"rq:{i}", f"v{i}@example.org", "Hello", "Body") for i in range(3)]
    db.session.commit()
    ids = [r.id for r in rows]
    assert {db.session.get(OutboxEmail, i).status for i in ids} == {"pending"}  # queued, not sent inline
    # A plain `rq worker` here (the README says it works too); elsewhere the suite runs the Procfile's AppWorker.
    done = run_burst_worker(app, redis_url, tmp_path / "worker", queues=("email",), worker_class=None)
    assert done.returncode == 0, done.stderr[-2000:]
    db.session.rollback()
    assert {db.session.get(OutboxEmail, i).status for i in ids} == {"sent"}
    # Run the same jobs again: nothing is sent twice.
    from app.jobs.queue import get_queue

    for i in ids:
        get_queue("email").enqueue(send_email_job, i)
    run_burst_worker(app, redis_url, tmp_path / "worker", queues=("email",))
    db.session.rollback()
    assert all(db.session.get(OutboxEmail, i).attempts == 1 for i in ids)
    import os

    assert len(os.listdir(tmp_path / "worker" / "mail")) == 3


@pytest.mark.postgres
@pytest.mark.parametrize("app_config", [{"REDIS_URL": "redis://127.0.0.1:1/0"}])
def test_redis_down_loses_nothing_and_the_sweeper_sends_later(app, db, app_config):
    """Enqueueing fails (nothing listens on port 1): the user's change and the email row stay."""
    row = queue_email("down:1", "a@example.org", "Hello", "Body")
    db.session.commit()
    db.session.refresh(row)
    assert row.status == "pending"
    app.config["REDIS_URL"] = None  # Redis is back (here: in-process jobs)
    assert sweep_outbox_job(older_than_seconds=0) == 1
    db.session.rollback()
    assert db.session.get(OutboxEmail, row.id).status == "sent"


@pytest.mark.parametrize("role,expected", [(None, 302), ("volunteer", 403), ("campaign", 403), ("staff", 200)])
def test_outbox_pages_are_staff_only(client, db, make, login, role, expected):
    row = queue_email("view:1", "a@example.org", "Hello", "A body with a link")
    db.session.commit()
    if role:
        login(make.user(role))
    assert client.get("/staff/outbox/").status_code == expected
    resp = client.get(f"/staff/outbox/{row.id}")
    assert resp.status_code == expected
    if expected == 200:
        assert "A body with a link" in resp.get_data(as_text=True)


def test_account_email_bodies_never_shown_to_staff(client, db, make, login):
    """A reset link would let any staff member take over the account (an admin's, say)."""
    row = queue_email("reset:9:x", "admin@example.org", "Reset your password", "secret reset link", category="account")
    other = queue_email("inv:9", "v@example.org", "An opportunity", "invitation body", category="invitation")
    db.session.commit()
    login(make.user("staff"))
    listing = client.get("/staff/outbox/").get_data(as_text=True)
    assert "Reset your password" in listing and f'href="/staff/outbox/{row.id}"' not in listing
    assert "secret reset link" not in listing
    assert client.get(f"/staff/outbox/{row.id}").status_code == 404
    assert client.get(f"/staff/outbox/{other.id}").status_code == 200


@pytest.mark.parametrize("app_config", [{"OUTBOX_SHOW_BODIES": False}])
def test_outbox_bodies_hidden_outside_development(client, db, make, login, app_config):
    row = queue_email("prod:1", "a@example.org", "Hello", "secret link")
    db.session.commit()
    login(make.user("staff"))
    assert "secret link" not in client.get("/staff/outbox/").get_data(as_text=True)
    assert client.get(f"/staff/outbox/{row.id}").status_code == 404


@pytest.mark.parametrize("app_config", [{"SENDGRID_API_KEY": "SG.x", "SENDGRID_HOST": "http://127.0.0.1:1"}])
def test_outbox_bodies_hidden_when_real_email_is_on(client, db, make, login, app_config):
    row = OutboxEmail(idempotency_key="v:2", to_email="a@example.org", subject="s", text_body="secret link")
    db.session.add(row)
    db.session.commit()
    login(make.user("staff"))
    assert "secret link" not in client.get("/staff/outbox/").get_data(as_text=True)
    assert client.get(f"/staff/outbox/{row.id}").status_code == 404
