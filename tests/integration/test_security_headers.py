"""Security headers on every response (pages, errors, static files, 429) and production cookie flags."""
import pytest

from app import create_app
from config import ProductionConfig
from tests.integration.security_world import build_world, url_for_rule


def assert_secure_headers(resp, where):
    csp = resp.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert directives.get("script-src") == ["'self'"] and directives.get("default-src") == ["'self'"], where
    assert directives.get("frame-ancestors") == ["'none'"] and directives.get("object-src") == ["'none'"], where
    assert directives.get("base-uri") == ["'self'"] and directives.get("form-action") == ["'self'"], where
    assert resp.headers.get("X-Content-Type-Options") == "nosniff", where
    assert resp.headers.get("X-Frame-Options") == "DENY", where
    assert resp.headers.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin", "no-referrer"), where


def test_headers_on_every_get_route_for_staff(app, client, make):
    world = build_world(make)
    world.login_as(client, "staff")
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            url = url_for_rule(rule, world.params)
            assert_secure_headers(client.get(url), url)


@pytest.mark.parametrize("path,method,status", [
    ("/no-such-page", "GET", 404),
    ("/auth/logout", "GET", 405),
    ("/staff/", "GET", 302),
    ("/static/css/app.css", "GET", 200),
    ("/static/vendor/htmx/htmx.min.js", "GET", 200),
    ("/static/nope.js", "GET", 404),
    ("/healthz", "GET", 200),
])
def test_headers_on_errors_redirects_and_static_files(client, path, method, status):
    resp = client.open(path, method=method)
    assert resp.status_code == status
    assert_secure_headers(resp, path)


def test_headers_on_403_413_and_500(app, client, make, login):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    login(make.user("volunteer"))
    assert_secure_headers(client.get("/staff/"), "403")
    assert_secure_headers(client.post("/volunteer/profile", data="x" * (3 * 1024 * 1024),
                                      content_type="application/x-www-form-urlencoded"), "413")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    resp = client.get("/boom")
    assert resp.status_code == 500
    assert_secure_headers(resp, "500")


def test_headers_on_the_csrf_400(csrf_app):
    resp = csrf_app.test_client().post("/auth/login", data={"email": "a@b.org", "password": "x"})
    assert resp.status_code == 400
    assert_secure_headers(resp, "csrf 400")


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "LOGIN_LIMIT_PER_ADDRESS": "1 per hour"}])
def test_headers_on_the_429(client, app_config):
    client.post("/auth/login", data={"email": "a@b.org", "password": "x"})
    resp = client.post("/auth/login", data={"email": "a@b.org", "password": "x"})
    assert resp.status_code == 429
    assert_secure_headers(resp, "429")


# ---------------------------------------------------------------- production cookies


@pytest.fixture
def production_app(_schema, tmp_path, monkeypatch):
    monkeypatch.setenv("BARNSTORM_INSTANCE", str(tmp_path / "prod"))

    class Production(ProductionConfig):
        SECRET_KEY = "a-real-production-secret-that-is-long-enough"  # noqa: S105
        SENDGRID_API_KEY = "SG.test"
        PUBLIC_URL = "https://localhost"
        SQLALCHEMY_DATABASE_URI = _schema
        RATELIMIT_STORAGE_URI = "memory://"

    app = create_app(Production)
    with app.app_context():
        yield app
        from tests.conftest import _empty_tables

        _empty_tables()


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        create_app(ProductionConfig)


def test_production_cookies_are_secure_httponly_and_lax(production_app):
    from tests import factories

    user = factories.user()
    client = production_app.test_client()
    page = client.get("https://localhost/auth/login")
    assert page.status_code == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    resp = client.post("https://localhost/auth/login", data={
        "csrf_token": token, "email": user.email, "password": factories.PASSWORD, "remember": "y"}, headers={"Referer": "https://localhost/auth/login"})  # CSRF checks it over https
    assert resp.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in resp.headers.getlist("Set-Cookie")}
    assert {"session", "remember_token"} <= cookies.keys()
    for name in ("session", "remember_token"):
        flags = [f.strip().lower() for f in cookies[name].split(";")]
        assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, cookies[name]


def test_production_demo_accounts_are_refused(production_app):
    result = production_app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code != 0 and "refused in production" in result.output
