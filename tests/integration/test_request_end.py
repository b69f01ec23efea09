"""A request that wrote nothing ends with COMMIT (psycopg keeps its prepared statements); one that
wrote without committing, or failed, still rolls back (app/request_end.py)."""
import pytest
from sqlalchemy import event

from app.models import Campaign


@pytest.fixture
def ends(db):
    seen = []

    def on_commit(_conn):
        seen.append("commit")

    def on_rollback(_conn):
        seen.append("rollback")

    event.listen(db.engine, "commit", on_commit)
    event.listen(db.engine, "rollback", on_rollback)
    yield seen
    event.remove(db.engine, "commit", on_commit)
    event.remove(db.engine, "rollback", on_rollback)


def test_a_page_that_only_reads_ends_with_commit(client, login, make, ends):
    login(make.user("volunteer"))
    ends.clear()
    assert client.get("/volunteer/").status_code == 200
    assert ends == ["commit"]


def test_writes_left_uncommitted_are_rolled_back_as_before(app, db, make, ends):
    campaign = make.campaign(name="Kept name")
    ctx = app.test_request_context("/")
    ctx.push()
    campaign.name = "Never saved"
    db.session.flush()
    ends.clear()
    ctx.pop()  # the request's end: its teardown
    assert "commit" not in ends
    db.session.rollback()
    assert db.session.get(Campaign, campaign.id).name == "Kept name"


def test_a_failed_request_does_not_commit(app, db, make, ends):
    campaign = make.campaign()
    ctx = app.test_request_context("/")
    ctx.push()
    db.session.get(Campaign, campaign.id)
    ends.clear()
    ctx.pop(RuntimeError("the view failed"))
    assert ends == []
