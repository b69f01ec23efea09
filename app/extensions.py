"""Flask extensions, created unbound and initialised in create_app()."""
import click
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class LazyMigrate:
    """Flask-Migrate, loaded when `flask db ...` (or flask_migrate's API) first needs it.

    Flask-Migrate imports Alembic, Mako and Pygments: about a quarter of the app's import time,
    which no web or RQ worker needs (docs/BENCHMARKS.md, "Worker start"). This object stands in
    app.extensions["migrate"] and app.cli's `db` group until then; the real ones replace it.
    """

    def __init__(self, app, directory):
        self._app, self._directory = app, directory
        app.extensions["migrate"] = self
        app.cli.add_command(_LazyDbGroup(self), name="db")

    def load(self):
        from flask_migrate import Migrate

        Migrate(self._app, db, directory=self._directory)  # sets extensions["migrate"] and the `db` group
        return self._app.extensions["migrate"]

    def __getattr__(self, name):  # only for attributes this stand-in lacks: Flask-Migrate's config
        return getattr(self.load(), name)


class _LazyDbGroup(click.Group):
    def __init__(self, lazy):
        super().__init__(name="db", help="Perform database migrations.")
        self._lazy, self._real = lazy, None

    def _group(self):
        if self._real is None:
            self._lazy.load()
            from flask_migrate.cli import db as real

            self._real = real
        return self._real

    def make_context(self, info_name, args, parent=None, **extra):
        # The real group parses its own options (-d, -x) and runs its callback: click then invokes
        # the context's command, i.e. the real group, not this stand-in.
        return self._group().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx):
        return self._group().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._group().get_command(ctx, name)
login_manager = LoginManager()
csrf = CSRFProtect()
