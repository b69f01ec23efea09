"""No account enumeration; sessions end on the server; `next` never leads off the site."""
import re
from urllib.parse import quote, urlsplit

import pytest

from app.auth.tokens import make_reset_token
from app.extensions import db
from app.models import User
from app.safety import safe_next_url
from tests.integration.security_world import page_without_csrf

_page = page_without_csrf


# ---------------------------------------------------------------- enumeration


def test_login_answers_the_same_for_a_known_and_an_unknown_email(client, make):
    user = make.user()
    known = client.post("/auth/login", data={"email": user.email, "password": "wrong password!!"})
    unknown = client.post("/auth/login", data={"email": "nobody@example.org", "password": "wrong password!!"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known).replace(user.email, "EMAIL") == _page(unknown).replace("nobody@example.org", "EMAIL")


def test_login_answers_the_same_for_a_closed_account(client, make, db):
    user = make.user()
    user.active = False
    db.session.commit()
    closed = client.post("/auth/login", data={"email": user.email, "password": make.PASSWORD})
    unknown = client.post("/auth/login", data={"email": "nobody@example.org", "password": make.PASSWORD})
    assert closed.status_code == unknown.status_code == 200
    assert _page(closed).replace(user.email, "EMAIL") == _page(unknown).replace("nobody@example.org", "EMAIL")


def test_reset_answers_the_same_for_a_known_and_an_unknown_email(client, make):
    user = make.user()
    known = client.post("/auth/reset", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/auth/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert _page(known) == _page(unknown)


# ---------------------------------------------------------------- sessions end on the server


def _session_cookies(client):
    return {name: client.get_cookie(name).value for name in ("session", "remember_token") if client.get_cookie(name)}


def _replay(app, cookies):
    """A new browser holding copied cookies: is it logged in?"""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief.get("/dashboard").status_code == 302 and "/auth/login" not in thief.get("/dashboard").location


def test_logout_ends_the_session_and_the_remember_cookie(app, make):
    user = make.user()
    c = app.test_client()
    c.post("/auth/login", data={"email": user.email, "password": make.PASSWORD, "remember": "y"})
    copied = _session_cookies(c)
    assert set(copied) == {"session", "remember_token"} and _replay(app, copied)
    assert _replay(app, {"remember_token": copied["remember_token"]})
    c.post("/auth/logout")
    assert not _replay(app, copied)
    assert not _replay(app, {"remember_token": copied["remember_token"]})


def test_a_password_reset_logs_out_every_other_session(app, make):
    user = make.user()
    laptop, phone = app.test_client(), app.test_client()
    laptop.post("/auth/login", data={"email": user.email, "password": make.PASSWORD, "remember": "y"})
    phone.post("/auth/login", data={"email": user.email, "password": make.PASSWORD})
    laptop_cookies = _session_cookies(laptop)
    assert _replay(app, laptop_cookies)
    resp = phone.post(f"/auth/reset/{make_reset_token(user)}",
                      data={"password": "a brand new password", "confirm": "a brand new password"})
    assert resp.status_code == 302
    assert not _replay(app, laptop_cookies)
    assert not _replay(app, {"remember_token": laptop_cookies["remember_token"]})
    assert laptop.get("/volunteer/").status_code == 302 and phone.get("/volunteer/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("a brand new password")


def test_a_role_change_takes_effect_on_the_next_request(app, make, db):
    """Demoted staff lose staff pages at once: roles are read from the database every request."""
    staff = make.user("staff")
    c = app.test_client()
    c.post("/auth/login", data={"email": staff.email, "password": make.PASSWORD})
    assert c.get("/staff/").status_code == 200
    staff.role = "volunteer"
    db.session.commit()
    assert c.get("/staff/").status_code == 403


# ---------------------------------------------------------------- open redirects

HOSTILE_NEXT = [
    "//evil.com", "https://evil.com", "http://evil.com/", "/\\evil.com", "\\\\evil.com", "javascript:alert(1)",
    "JavaScript:alert(1)", "%2F%2Fevil.com", "/%2F/evil.com", "///evil.com", "https:evil.com", " //evil.com",
    "/\t/evil.com", "/\n/evil.com", "\t//evil.com", "data:text/html,<script>alert(1)</script>", "evil.com",
    "//evil.com@localhost", "/%5Cevil.com", "%252F%252Fevil.com",
]


def _where_a_browser_goes(location):
    """The host a browser would go to: it drops tabs and newlines and reads backslashes as slashes."""
    squeezed = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    parts = urlsplit(squeezed)
    return parts.scheme.lower(), parts.netloc


@pytest.mark.parametrize("bad", HOSTILE_NEXT)
def test_hostile_next_is_refused(client, make, bad):
    user = make.user()
    resp = client.post("/auth/login?next=" + quote(bad, safe=""),
                       data={"email": user.email, "password": make.PASSWORD})
    assert resp.status_code == 302
    scheme, host = _where_a_browser_goes(resp.headers["Location"])
    assert scheme in ("", "http") and host in ("", "localhost"), resp.headers["Location"]


@pytest.mark.parametrize("good", ["/volunteer/profile", "/teams/1?tab=x", "/volunteer/profile#links"])
def test_next_within_the_site_is_followed(client, make, good):
    user = make.user()
    resp = client.post("/auth/login?next=" + quote(good, safe=""), data={"email": user.email, "password": make.PASSWORD})
    assert resp.headers["Location"] == good


@pytest.mark.parametrize("bad", HOSTILE_NEXT)
def test_safe_next_url_refuses_every_hostile_value(bad):
    from urllib.parse import unquote

    for value in (bad, unquote(bad)):
        kept = safe_next_url(value)
        assert kept is None or _where_a_browser_goes(kept) == ("", ""), (value, kept)
