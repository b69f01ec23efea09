"""Fault: PostgreSQL goes away (pg_ctl stop -m immediate) while people use the site.

The test starts its own cluster on a free port so stopping it disturbs nothing else. Requests get
our standalone 503 page (the layout itself needs the database), a multi-row action cut off in the
middle leaves no row behind, and the same app object serves again as soon as PostgreSQL is back
(pool_pre_ping replaces the dead pooled connections; no restart).
"""
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db as _db
from app.models import CheckIn, CheckInHours, DeliverableProgress, MetricValue, OutboxEmail
from tests import factories
from tests.integration.fault_tools import OwnPostgres, app_with_schema, record_figures
from tests.integration.team_helpers import active_team, checkin_form


@pytest.fixture
def pg():
    cluster = OwnPostgres().init()
    yield cluster
    cluster.remove()


@pytest.fixture
def pg_app(pg, tmp_path):
    with app_with_schema(pg.url, tmp_path / "instance") as app:
        yield app


def _rows_for():
    """Every row a check-in writes: itself, hours per member, progress, metric values, the email."""
    _db.session.rollback()
    count = lambda model, *where: _db.session.scalar(_db.select(_db.func.count()).select_from(model).where(*where))  # noqa: E731
    return {
        "checkins": count(CheckIn),
        "hours": count(CheckInHours),
        "progress": count(DeliverableProgress),
        "metrics": count(MetricValue),
        "emails": count(OutboxEmail, OutboxEmail.idempotency_key.like("notify:checkin-logged:%")),
    }


def test_postgres_down_gives_503_leaves_no_half_rows_and_recovers(pg, pg_app):
    make = factories
    team = active_team(make, weeks=3, start=date.today() - timedelta(days=3))
    lead = pg_app.test_client()
    assert lead.post("/auth/login", data={"email": team.lead.email, "password": factories.PASSWORD}).status_code == 302
    workspace = f"/teams/{team.project.id}"
    form = checkin_form(team, status="at_risk", hours=3, progress=40, metric=800, done="Half the form")
    members, deliverables = len(team.memberships), len(team.project.deliverables)
    assert lead.get(workspace).status_code == 200
    assert _rows_for() == {"checkins": 0, "hours": 0, "progress": 0, "metrics": 0, "emails": 0}
    _db.session.rollback()  # the test holds no connection while PostgreSQL goes away

    # 1. PostgreSQL dies in the middle of a check-in: after its hours rows, before the rest.
    stopped = []

    def crash_after_hours(conn, cursor, statement, *args):
        if not stopped and statement.lstrip().upper().startswith("INSERT INTO CHECKIN_HOURS"):
            stopped.append(time.monotonic())
            pg.stop("immediate")

    event.listen(_db.engine, "after_cursor_execute", crash_after_hours)
    try:
        resp = lead.post(f"{workspace}/sprints/1/checkin", data=form)
    finally:
        event.remove(_db.engine, "after_cursor_execute", crash_after_hours)
    assert stopped, "the check-in reached its hours rows"
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "30"
    page = resp.get_data(as_text=True)
    assert "Barnstorm is briefly unavailable" in page and "nothing was changed" in page
    assert "<nav" not in page  # the standalone page: the layout would query the user again

    # 2. While it is down: every page (and the health endpoint) says 503, quickly and clearly.
    assert lead.get(workspace).status_code == 503
    # A visitor who is not logged in still gets the landing page: it reads nothing from the database.
    assert pg_app.test_client().get("/").status_code == 200
    health = pg_app.test_client().get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"].startswith("error")

    # 3. PostgreSQL returns; the same app serves at once, no restart.
    pg.start()
    back_at = time.monotonic()
    first = lead.get(workspace)
    recovered_after = time.monotonic() - back_at
    assert first.status_code == 200, first.get_data(as_text=True)[:500]
    assert pg_app.test_client().get("/healthz").status_code == 200

    # 4. Nothing of the interrupted check-in was written: no check-in, no hours, no email.
    assert _rows_for() == {"checkins": 0, "hours": 0, "progress": 0, "metrics": 0, "emails": 0}
    _db.session.rollback()

    # 5. The lead sends the form again and it all lands, once.
    again = lead.post(f"{workspace}/sprints/1/checkin", data=form)
    assert again.status_code == 302, again.get_data(as_text=True)[:800]
    rows = _rows_for()
    assert rows == {"checkins": 1, "hours": members, "progress": deliverables,
                    "metrics": 1, "emails": rows["emails"]} and rows["emails"] >= 1
    record_figures("postgres_down", {
        "interrupted_action": "check-in (checkin + hours + progress + metric + outbox rows)",
        "rows_left_by_interrupted_action": 0,
        "status_while_down": 503,
        "seconds_from_pg_start_to_first_good_response": round(recovered_after, 2),
        "app_restarted": False,
    })
