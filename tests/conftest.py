"""Shared fixtures: a fresh app per test on SQLite (default) or PostgreSQL (TEST_DATABASE_URL).

Under pytest-xdist (`-n 2`) each worker gets its own data: its own SQLite file, its own PostgreSQL
database (`<name>_gw0`, created here on the TEST_DATABASE_URL server) and its own Redis database
number (TEST_REDIS_URL's index plus the worker's), so workers never see each other's rows or jobs.
"""
import os
import sqlite3
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from tests.services import create_database, worker_database_url, worker_redis_url

# Before the app and config are imported: TestingConfig reads TEST_DATABASE_URL at import.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... under xdist; "" in a plain run
if os.environ.get("TEST_REDIS_URL"):
    os.environ["TEST_REDIS_URL"] = worker_redis_url(os.environ["TEST_REDIS_URL"], WORKER)
if os.environ.get("TEST_DATABASE_URL"):
    os.environ["TEST_DATABASE_URL"] = worker_database_url(os.environ["TEST_DATABASE_URL"], WORKER)

from app import create_app  # noqa: E402
from app.extensions import db as _db  # noqa: E402
from config import TestingConfig  # noqa: E402
from tests import factories  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL")


def _reuse_url_builders():
    """Build each URL rule's code once per process instead of once per app.

    Werkzeug compiles two small Python functions for every URL rule of every app (ast + compile):
    most of create_app()'s time, paid again by each of the suite's fresh apps. The code depends only
    on the rule's parts and defaults, and is bound to each rule afterwards, so apps can share it.
    URLs come out the same; if werkzeug changes these internals, the suite just runs without this.
    """
    from werkzeug.routing.rules import Rule

    original = getattr(Rule, "_compile_builder", None)
    if original is None or getattr(original, "shared", False):
        return
    built = {}

    def compile_builder(self, append_unknown=True):
        try:
            key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
            return built[key]
        except (AttributeError, TypeError):
            return original(self, append_unknown)
        except KeyError:
            built[key] = original(self, append_unknown)
            return built[key]

    compile_builder.shared = True
    Rule._compile_builder = compile_builder


_reuse_url_builders()


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, _record):
    """No fsync at each commit of the tests' throwaway SQLite files.

    SQLite's default (synchronous=FULL) syncs the WAL to disk at every commit: 8-10 ms each on this
    machine's disk, against 0.03 ms without, and a test commits tens of times (factories, requests,
    emptying the tables). `synchronous` only decides what survives a power cut; locking, WAL
    snapshots and what each connection sees are unchanged. Subprocesses (flask CLI, rq workers)
    keep the app's own settings. TEST_SQLITE_SYNC=1 keeps SQLite's default, to measure the difference.
    """
    if isinstance(dbapi_connection, sqlite3.Connection) and os.environ.get("TEST_SQLITE_SYNC") != "1":
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: a user journey in real Chromium")
    config.addinivalue_line(
        "markers", "postgres: the dialect matters (concurrency, constraints, JSON, migrations, faults, raw SQL): "
        "also run in make test's PostgreSQL pass (docs/BENCHMARKS.md)")
    # WTForms 3.3 deprecates tuple choices in favour of a class that 3.2 lacks; not ours to fix.
    config.addinivalue_line("filterwarnings", "ignore:Passing SelectField choices as tuples:DeprecationWarning")


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (file per run)'}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Make `--dist loadgroup` see `xdist_group` marks under pytest 9.

    pytest-xdist 3.8 names a test's group by renaming the test on the worker (`<id>@<group>`),
    which the controller reads to keep a group on one worker; it writes `item._nodeid`, which pytest 9
    no longer reads (the id lives in `item._id`), so every group was silently ignored. Grouping only
    saves work (one demo site for the every-page test): if this stops applying, tests still pass.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodeid import coerce_node_id
    except ImportError:
        return
    for item in items:
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                         for m in item.iter_markers("xdist_group")})
        if groups and "@" not in item.nodeid and hasattr(item, "_id"):
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(groups)}")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if PG_URL:
        if WORKER:
            create_database(PG_URL)
        return PG_URL
    # A file, not :memory:, so a live server thread and the test see the same data.
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the schema once per run; tests empty the tables after themselves."""
    app = _make_app(database_url, instance=None)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.session.remove()
        _db.engine.dispose()
    return database_url


class FreshContextClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    Without this, requests reuse the test's app context, so `g` (Flask-Login's cached user)
    and the database session leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # End the test's own read transaction so its next query sees what the request wrote
        # (SQLite in WAL mode reads from a snapshot taken when the transaction began).
        _db.session.commit()
        return response


def _make_app(database_url, instance, **overrides):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        WTF_CSRF_ENABLED = False

    for key, value in overrides.items():
        setattr(Config, key, value)
    if instance:
        os.environ["BARNSTORM_INSTANCE"] = str(instance)
    try:
        app = create_app(Config)
        app.test_client_class = FreshContextClient
        return app
    finally:
        os.environ.pop("BARNSTORM_INSTANCE", None)


def _empty_tables():
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name == "postgresql":
        _db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            _db.session.execute(text(f"DELETE FROM {name}"))
    _db.session.commit()


@pytest.fixture
def app_config():
    """Override to change config for one test module: return a dict of settings."""
    return {}


@pytest.fixture
def app(_schema, tmp_path, app_config):
    app = _make_app(_schema, tmp_path / "instance", **app_config)
    ctx = app.app_context()
    ctx.push()
    yield app
    _db.session.remove()
    _empty_tables()
    _db.session.remove()
    _db.engine.dispose()
    ctx.pop()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(_schema, tmp_path):
    """An app with CSRF protection on, as in production."""
    app = _make_app(_schema, tmp_path / "instance-csrf", WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        _db.session.remove()
        _empty_tables()
        _db.session.remove()


@pytest.fixture
def make(db):
    """Factories for test data: make.user(...), make.volunteer(...), make.campaign(...)."""
    return factories


@pytest.fixture
def login(client):
    """login(user) logs the test client in with the factory password."""

    def do(user, password=factories.PASSWORD, c=None):
        resp = (c or client).post("/auth/login", data={"email": user.email, "password": password})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return resp

    return do


class LiveServer:
    def __init__(self, app):
        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


CHROMIUM = next(
    (p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if os.path.exists(p)), None
)
ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        pytest.fail("Chromium is not installed; run the suite through `make test`.")
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{request.node.name}.png"), full_page=True)
    context.close()
    # A CSP violation or a JS error is a bug the user would see.
    assert not errors, f"browser console errors: {errors}"
