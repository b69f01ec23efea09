"""Refusals are decided in app/permissions.py and raised as our own errors, not Flask's abort()."""
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
ABORT = re.compile(r"\babort\(")
# Views may still answer a bad id or a bad request themselves; the request guard runs before any view.
MAY_ABORT = {"routes.py", "team_routes.py", "export_routes.py", "input_guard.py"}


def test_services_and_permissions_raise_domain_errors_not_abort():
    offenders = []
    for path in APP.rglob("*.py"):
        if path.name in MAY_ABORT:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if ABORT.search(line.split("#")[0]):
                offenders.append(f"{path.relative_to(APP.parent)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_app_answers_our_refusals_with_the_usual_pages():
    from app import create_app
    from app.errors.domain import Forbidden, NotFound
    from config import TestingConfig

    app = create_app(TestingConfig)

    @app.route("/_refuse/<kind>")
    def refuse(kind):
        raise NotFound() if kind == "hidden" else Forbidden()

    client = app.test_client()
    hidden, forbidden, missing = client.get("/_refuse/hidden"), client.get("/_refuse/no"), client.get("/no-such-page")
    assert (hidden.status_code, forbidden.status_code) == (404, 403)
    assert hidden.data == missing.data  # the same page as an unknown address
