"""Accounts: register, log in/out, sessions ending server-side, reset links, CSRF, no enumeration."""
import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.auth.tokens import make_confirm_token, make_reset_token, user_for_confirm_token, user_for_reset_token
from app.models import OutboxEmail, User, VolunteerProfile
from tests.mailbox import confirmation_path, latest_email, link_path


def register(client, **over):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "password": "a-long-enough-password",
        "confirm": "a-long-enough-password",
        "role": "volunteer",
    }
    data.update(over)
    return client.post("/auth/register", data=data)


def test_register_volunteer_confirms_by_email_then_starts_the_profile(client, db):
    resp = register(client)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/register/sent")
    assert "ada@example.org" in client.get("/auth/register/sent").get_data(as_text=True)
    user = db.session.scalar(db.select(User).where(User.email == "ada@example.org"))
    assert user.role == "volunteer" and user.confirmation_pending
    assert user.password_hash != "a-long-enough-password" and user.check_password("a-long-enough-password")
    assert db.session.scalar(db.select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    assert client.get("/volunteer/").status_code == 302  # not logged in before confirming

    link = confirmation_path("ada@example.org")
    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/volunteer/profile")
    assert client.get("/volunteer/").status_code == 200
    db.session.expire_all()
    assert not db.session.get(User, user.id).confirmation_pending
    client.post("/auth/logout")
    resp = client.get(link)  # used once already
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/login")
    assert client.get("/volunteer/").status_code == 302


def test_register_campaign_member_goes_to_campaign_form_after_confirming(client):
    register(client, role="campaign", email="cm@example.org")
    resp = client.get(confirmation_path("cm@example.org"))
    assert resp.headers["Location"].endswith("/campaigns/new")


def test_register_refusal_keeps_input_and_saves_nothing(client, db):
    resp = register(client, confirm="something-else-entirely", name="Grace Hopper")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "The passwords differ." in body
    assert 'value="Grace Hopper"' in body and 'value="ada@example.org"' in body
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_register_with_a_taken_email_answers_like_a_new_one_and_tells_the_owner(client, db, make):
    """No enumeration: the form's answer is the same; only the address's owner learns, by email."""
    owner = make.user(email="ada@example.org", name="Ada Owner")
    taken = register(client, email="ADA@example.org", name="Someone Else")
    fresh = register(app_client := client.application.test_client(), email="new@example.org")
    assert (taken.status_code, taken.headers["Location"]) == (fresh.status_code, fresh.headers["Location"])
    def answer(c):
        return re.search(r"<article.*</article>", c.get("/auth/register/sent").get_data(as_text=True), re.S).group(0)

    assert answer(app_client).replace("new@", "ada@") == answer(client)
    users = db.session.scalars(db.select(User).where(User.email == "ada@example.org")).all()
    assert [u.id for u in users] == [owner.id] and users[0].name == "Ada Owner" and not users[0].confirmation_pending
    mail = latest_email("ada@example.org")
    assert mail.subject == "You already have a Barnstorm account" and mail.category == "account"
    assert "/auth/login" in mail.text_body and "/auth/reset" in mail.text_body
    register(client, email="ada@example.org")  # tried again within the hour: no second email
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail).where(
        OutboxEmail.to_email == "ada@example.org")) == 1


def test_logging_in_before_confirming_sends_a_new_link_and_no_session(client, db, monkeypatch):
    with monkeypatch.context() as clock:
        # Links are stamped to the second: the first one is made a minute ago, so the new one differs.
        clock.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 60)
        register(client)
    first = confirmation_path("ada@example.org")
    resp = client.post("/auth/login", data={"email": "ada@example.org", "password": "a-long-enough-password"},
                       follow_redirects=True)
    assert "Confirm your email address first" in resp.get_data(as_text=True)
    assert client.get("/volunteer/").status_code == 302
    wrong = client.post("/auth/login", data={"email": "ada@example.org", "password": "not-the-password!"})
    assert "do not match an account" in wrong.get_data(as_text=True)
    second = confirmation_path("ada@example.org")
    assert second != first and client.get(second).status_code == 302
    assert client.get("/volunteer/").status_code == 200


def test_a_reset_link_confirms_an_account_still_waiting(client, db):
    """Whoever owns the address can always get in, even if a stranger signed it up first."""
    register(client, name="Squatter")
    client.post("/auth/reset", data={"email": "ada@example.org"})
    _mail, link = _reset_link(db)
    client.post(link, data={"password": "the-owners-password", "confirm": "the-owners-password"})
    resp = client.post("/auth/login", data={"email": "ada@example.org", "password": "the-owners-password"})
    assert resp.status_code == 302 and client.get("/volunteer/").status_code == 200


def test_confirm_token_expired_tampered_or_for_a_confirmed_account(app, db, make):
    waiting = make.user(confirmation_pending=True)
    token = make_confirm_token(waiting)
    assert user_for_confirm_token(token).id == waiting.id
    assert user_for_confirm_token(token, max_age=-1) is None  # expired: older than any allowed age
    assert user_for_confirm_token(_tampered(token)) is None
    assert user_for_confirm_token(make_reset_token(waiting)) is None  # another purpose's token
    assert user_for_confirm_token(make_confirm_token(make.user())) is None  # already confirmed


def test_confirming_in_a_browser_where_someone_else_is_logged_in_keeps_their_session(client, db, make, login):
    someone = make.user()
    register(client.application.test_client())
    login(someone)
    resp = client.get(confirmation_path("ada@example.org"), follow_redirects=True)
    assert "The account for ada@example.org is confirmed. Log out to use it." in resp.get_data(as_text=True)
    assert someone.name in client.get("/volunteer/").get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.scalar(db.select(User).where(User.email == "ada@example.org")).confirmation_pending


def test_register_rejects_staff_role_from_the_form(client, db):
    register(client, role="admin")
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_login_and_logout(client, make):
    user = make.user()
    resp = client.post("/auth/login", data={"email": user.email, "password": make.PASSWORD})
    assert resp.status_code == 302
    assert client.get("/volunteer/").status_code == 200
    client.post("/auth/logout")
    assert client.get("/volunteer/").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make):
    user = make.user()
    a = client.post("/auth/login", data={"email": user.email, "password": "wrong password!!"})
    b = client.post("/auth/login", data={"email": "nobody@example.org", "password": "wrong password!!"})
    assert a.status_code == b.status_code == 200
    flashes = [re.findall(r'<p class="flash[^"]*">([^<]*)</p>', r.get_data(as_text=True)) for r in (a, b)]
    assert flashes[0] == flashes[1] == ["That email and password do not match an account."]


def test_logout_ends_the_session_server_side(app, make, login):
    """A copied session cookie stops working after logout (the token is rotated)."""
    user = make.user()
    c1 = app.test_client()
    login(user, c=c1)
    stolen = c1.get_cookie("session").value
    c1.post("/auth/logout")
    c2 = app.test_client()
    c2.set_cookie("session", stolen)
    assert c2.get("/volunteer/").status_code == 302


def test_open_redirect_via_next_is_refused(client, make):
    user = make.user()
    for bad in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        resp = client.post(f"/auth/login?next={bad}", data={"email": user.email, "password": make.PASSWORD})
        assert "evil" not in resp.headers["Location"]
        client.post("/auth/logout")
    resp = client.post("/auth/login?next=/volunteer/profile", data={"email": user.email, "password": make.PASSWORD})
    assert resp.headers["Location"] == "/volunteer/profile"


def _tampered(token):
    """The token with one signature character changed (always to a different one)."""
    return token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]


def _reset_link(db):
    mail = db.session.scalars(db.select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    return mail, link_path(mail, "/auth/reset/")


def test_reset_flow_sends_one_email_and_the_link_works_once(client, db, make, app):
    user = make.user()
    resp = client.post("/auth/reset", data={"email": user.email})
    assert resp.status_code == 302
    mail, link = _reset_link(db)
    assert mail.to_email == user.email and mail.status == "sent"  # console backend, in-process job
    assert client.get(link).status_code == 200
    resp = client.post(link, data={"password": "brand-new-password", "confirm": "brand-new-password"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/login")
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("brand-new-password")
    # Reused: refused.
    resp = client.get(link)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/reset")


def test_reset_for_unknown_email_looks_the_same_and_sends_nothing(client, db):
    resp = client.post("/auth/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "If an account uses that email" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == 0


def test_reset_token_expired_or_tampered(app, make):
    user = make.user()
    token = make_reset_token(user)
    assert user_for_reset_token(token).id == user.id
    assert user_for_reset_token(token, max_age=-1) is None  # expired: older than any allowed age
    assert user_for_reset_token(_tampered(token)) is None
    forged = URLSafeTimedSerializer("another-secret", salt="password-reset").dumps({"uid": user.id, "fp": "x"})
    assert user_for_reset_token(forged) is None


def test_password_change_ends_other_sessions(app, db, make, login):
    user = make.user()
    c1 = app.test_client()
    login(user, c=c1)
    user.set_password("yet-another-password")
    db.session.commit()
    assert c1.get("/volunteer/").status_code == 302


@pytest.mark.parametrize(
    "path,data",
    [
        ("/auth/login", {"email": "a@b.org", "password": "x"}),
        ("/auth/register", {"name": "A", "email": "a@b.org", "password": "p" * 12, "confirm": "p" * 12, "role": "volunteer"}),
        ("/auth/reset", {"email": "a@b.org"}),
        ("/auth/logout", {}),
    ],
)
def test_csrf_token_required(csrf_app, path, data):
    client = csrf_app.test_client()
    resp = client.post(path, data=data)
    assert resp.status_code == 400
    assert "expired" in resp.get_data(as_text=True)


def test_csrf_token_accepted_when_present(csrf_app, db):
    client = csrf_app.test_client()
    page = client.get("/auth/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    resp = client.post(
        "/auth/register",
        data={"csrf_token": token, "name": "A", "email": "a@b.org", "password": "p" * 12, "confirm": "p" * 12, "role": "volunteer"},
    )
    assert resp.status_code == 302


@pytest.mark.parametrize(
    "role,path,expected",
    [
        (None, "/volunteer/", 302),
        (None, "/campaigns/", 302),
        (None, "/staff/", 302),
        (None, "/staff/users", 302),
        ("volunteer", "/volunteer/", 200),
        ("volunteer", "/campaigns/", 403),
        ("volunteer", "/staff/", 403),
        ("campaign", "/campaigns/", 200),
        ("campaign", "/volunteer/", 403),
        ("campaign", "/staff/", 403),
        ("staff", "/staff/", 200),
        ("staff", "/staff/users", 403),
        ("admin", "/staff/users", 200),
        ("admin", "/staff/", 200),
    ],
)
def test_role_access(client, make, login, role, path, expected):
    if role:
        login(make.user(role))
    assert client.get(path).status_code == expected


def test_admin_changes_a_role_and_cannot_demote_self(client, db, make, login):
    admin = make.user("admin")
    other = make.user("volunteer")
    login(admin)
    client.post(f"/staff/users/{other.id}/role", data={"role": "staff"})
    client.post(f"/staff/users/{admin.id}/role", data={"role": "volunteer"})
    db.session.expire_all()
    assert db.session.get(User, other.id).role == "staff"
    assert db.session.get(User, admin.id).role == "admin"


def test_security_headers_on_every_response(client):
    for path in ("/", "/auth/login", "/nope"):
        resp = client.get(path)
        csp = resp.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "base-uri 'self'" in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
