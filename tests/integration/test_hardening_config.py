"""Production refuses unsafe settings, naming each; development mails links to the port it serves."""
import pytest

from app import create_app
from config import ProductionConfig
from tests.mailbox import confirmation_path, latest_email

GOOD = {
    "SECRET_KEY": "k" * 16 + "-a-random-production-key-0123456789",
    "SENDGRID_API_KEY": "SG.test-key",
    "PUBLIC_URL": "https://barnstorm.example",
}


def production(**over):
    settings = dict(GOOD, RATELIMIT_STORAGE_URI="memory://", SQLALCHEMY_DATABASE_URI="sqlite://")
    settings.update(over)
    return type("Production", (ProductionConfig,), settings)


def test_production_starts_with_safe_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("BARNSTORM_INSTANCE", str(tmp_path))
    assert create_app(production()).config["PUBLIC_URL"] == "https://barnstorm.example"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("SENDGRID_API_KEY", None),
        ("PUBLIC_URL", None),
        ("SECRET_KEY", "x"),
        ("SECRET_KEY", "dev-only-not-secret"),
        ("SECRET_KEY", "short-but-not-a-default"),
    ],
)
def test_production_refuses_an_unsafe_setting_and_names_it(setting, value, tmp_path, monkeypatch):
    monkeypatch.setenv("BARNSTORM_INSTANCE", str(tmp_path))
    with pytest.raises(RuntimeError, match=setting):
        create_app(production(**{setting: value}))


@pytest.fixture
def app_config():
    return {"PUBLIC_URL": None}


def test_development_links_follow_the_port_the_app_is_served_on(client, db):
    resp = client.post("/auth/register", base_url="http://127.0.0.1:5101", data={
        "name": "Ada Lovelace", "email": "ada@example.org", "password": "a-long-enough-password",
        "confirm": "a-long-enough-password", "role": "volunteer",
    })
    assert resp.status_code == 302
    assert "http://127.0.0.1:5101/auth/confirm/" in latest_email("ada@example.org").text_body
    assert confirmation_path("ada@example.org").startswith("/auth/confirm/")


def test_development_links_built_outside_a_request_use_the_last_served_address(app, client):
    from app.links import external_url

    client.get("/auth/login", base_url="http://127.0.0.1:5101")
    assert external_url("auth.login") == "http://127.0.0.1:5101/auth/login"
