"""`flask db upgrade` from an empty database gives exactly the schema the models describe, and
each later migration applies to (and rolls back from) a database that already holds rows."""
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.conftest import PG_URL, _make_app

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): migrations: Alembic's DDL differs by dialect (batch
# mode on SQLite, ALTER on PostgreSQL).
pytestmark = pytest.mark.postgres


@pytest.fixture
def empty_database_url(tmp_path):
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    name = f"migr_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield PG_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_from_empty_matches_models(empty_database_url, tmp_path):
    app = _make_app(empty_database_url, tmp_path / "instance")
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        # And back down to nothing, so a bad release can be rolled back.
        downgrade(revision="base")
        with db.engine.connect() as conn:
            remaining = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_account_confirmation_migration_runs_on_a_database_with_accounts(empty_database_url, tmp_path):
    """Existing people stay able to log in: their accounts come out of the upgrade confirmed."""
    app = _make_app(empty_database_url, tmp_path / "instance")
    with app.app_context():
        upgrade(revision="77b47adb86d7")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO users (id, email, name, password_hash, role, session_token, active, created_at) "
                "VALUES (1, 'ada@example.org', 'Ada', 'x', 'volunteer', 'tok', true, CURRENT_TIMESTAMP)"))
            conn.execute(sa.text(  # a row pointing at the user: SQLite then refuses to drop and re-create `users`
                "INSERT INTO audit_log (id, actor_id, action, object_type, object_id, details, created_at) "
                "VALUES (1, 1, 'account.registered', 'user', 1, '{}', CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT confirmation_pending FROM users WHERE id = 1")).scalar() in (False, 0)
        downgrade(revision="77b47adb86d7")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM audit_log WHERE actor_id = 1")).scalar() == 1
        upgrade()
        db.engine.dispose()


def test_departures_migration_counts_members_who_left_unfinished_projects_once(empty_database_url, tmp_path):
    """Members who left before departures were counted on leaving: counted once, unless completion did."""
    from tests import factories
    from tests.integration.team_helpers import active_team

    app = _make_app(empty_database_url, tmp_path / "instance")
    with app.app_context():
        # The schema the models describe (the departures revision is data only): both branches before it.
        upgrade(revision="5a8e2c4f1b90")
        upgrade(revision="5e7a1c2d9b44")
        working, finished = active_team(factories), active_team(factories, title="Texting program")
        ids = [u.volunteer_profile.id for u in (working.members[2], working.members[1], finished.members[2])]
        with db.engine.begin() as conn:
            for team in (working, finished):
                conn.execute(sa.text("UPDATE team_memberships SET status = 'dropped' WHERE id = :id"),
                             {"id": team.memberships[2].id})
            # Completing counted the finished project's departure already (the old rule).
            conn.execute(sa.text("UPDATE projects SET status = 'completed' WHERE id = :id"), {"id": finished.project.id})
            conn.execute(sa.text("UPDATE volunteer_profiles SET projects_dropped = 1 WHERE id = :id"),
                         {"id": ids[2]})
        db.session.remove()

        def dropped():
            with db.engine.connect() as conn:
                return [conn.execute(sa.text("SELECT projects_dropped FROM volunteer_profiles WHERE id = :id"),
                                     {"id": i}).scalar() for i in ids]

        upgrade()
        assert dropped() == [1, 0, 1]
        downgrade(revision="5a8e2c4f1b90")
        assert dropped() == [0, 0, 1]
        db.session.remove()
        db.engine.dispose()
