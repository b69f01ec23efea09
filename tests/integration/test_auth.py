"""Accounts: register, log in/out, sessions ending server-side, reset links, CSRF, no enumeration."""
import re
import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.auth.tokens import make_reset_token, user_for_reset_token
from app.models import OutboxEmail, User, VolunteerProfile


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


def test_register_volunteer_creates_profile_and_hashes_password(client, db):
    resp = register(client)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/volunteer/profile")
    user = db.session.scalar(db.select(User).where(User.email == "ada@example.org"))
    assert user.role == "volunteer"
    assert user.password_hash != "a-long-enough-password" and user.check_password("a-long-enough-password")
    assert db.session.scalar(db.select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))


def test_register_campaign_member_goes_to_campaign_form(client):
    resp = register(client, role="campaign", email="cm@example.org")
    assert resp.headers["Location"].endswith("/campaigns/new")


def test_register_refusal_keeps_input_and_saves_nothing(client, db):
    resp = register(client, confirm="something-else-entirely", name="Grace Hopper")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "The passwords differ." in body
    assert 'value="Grace Hopper"' in body and 'value="ada@example.org"' in body
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_register_duplicate_email_is_refused_beside_the_field(client, make):
    make.user(email="ada@example.org")
    body = register(client, email="ADA@example.org").get_data(as_text=True)
    assert "already exists" in body


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


def _reset_link(db):
    mail = db.session.scalars(db.select(OutboxEmail).order_by(OutboxEmail.id.desc())).first()
    return mail, re.search(r"http://localhost(/auth/reset/\S+)", mail.text_body).group(1)


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
    time.sleep(1.1)
    assert user_for_reset_token(token, max_age=0) is None
    assert user_for_reset_token(token[:-2] + ("A" if token[-1] != "A" else "B") + token[-1]) is None
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
