"""The staff overview and health board are kept per worker for a while, and dropped by any commit in
the worker that writes the rows they are computed from (app/page_cache.py)."""
import pytest
from sqlalchemy import event

from app.models import Notification, Project
from app.staff import services as staff
from app.teams import health


@pytest.fixture
def app_config():
    return {"PAGE_CACHE_SECONDS": {"staff_overview": 60, "health_board": 30}}


class Statements:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _on(self, *args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on)


def _pipeline(overview):
    return dict(overview["pipeline"])


def test_the_overview_is_served_from_the_cache_until_a_project_changes(db, make):
    campaign = make.campaign()
    make.project(campaign, status="draft")
    first = staff.overview()
    assert _pipeline(first)["Scoping"] == 1
    with Statements(db.engine) as s:
        assert staff.overview() is first
    assert s.count == 0
    make.project(campaign, status="draft")  # an ORM insert, committed
    assert _pipeline(staff.overview())["Scoping"] == 2


def test_an_update_statement_drops_the_cached_board_too(db, make):
    campaign = make.campaign()
    project = make.project(campaign, status="draft")
    board = health.board()
    assert health.board() is board
    db.session.execute(db.update(Project).where(Project.id == project.id).values(title="Renamed"))
    db.session.commit()
    assert health.board() is not board


def test_writes_to_other_tables_and_rolled_back_writes_keep_it(db, make):
    user = make.user("staff")
    project = make.project(make.campaign(), status="draft")
    first = staff.overview()
    db.session.add(Notification(user_id=user.id, kind="requests", key="k", subject="s"))
    db.session.commit()
    assert staff.overview() is first
    project.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    db.session.execute(db.update(Project).values(title="x"))
    db.session.rollback()
    assert staff.overview() is first
    project.title = "Saved"
    db.session.commit()
    assert staff.overview() is not first


def test_off_when_the_ttl_is_zero(app, db, make):
    app.config["PAGE_CACHE_SECONDS"] = {}
    assert staff.overview() is not staff.overview()
