"""The app as gunicorn serves it for the load run, plus a hello-world route as the baseline.

`/_hello` exists only here (never in the product): the same gunicorn process, workers and
middleware answer it, so the ratio page / hello isolates what the page itself costs.
`/_one_query` is STACK.md's other baseline, in the same run: one 20-row SQLAlchemy ORM query on
the load database, its rows joined into a plain-text body. No page that reads the database can be
cheaper, so its ratio to hello world is the ceiling for the pages.
`/_floor` is the floor of every product page: the logged-in user loaded (the session-token query)
and the site layout rendered with nothing in it. A real page costs this plus its own work.

    DATABASE_URL=postgresql+psycopg://... gunicorn tests.benchmarks.load_wsgi:app
"""
import gc
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flask import render_template  # noqa: E402
from flask_login import login_required  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import User  # noqa: E402


def make_app():
    if not os.environ.get("DATABASE_URL"):
        raise RuntimeError("set DATABASE_URL to the load test's PostgreSQL database")
    os.environ.pop("REDIS_URL", None)  # jobs are not part of the page load
    app = create_app("development")

    @app.route("/_hello")
    def _hello():
        return "Hello, World!"

    @app.route("/_one_query")
    def _one_query():
        users = db.session.scalars(db.select(User).order_by(User.id).limit(20)).all()
        return "\n".join(f"{u.id} {u.name}" for u in users)

    @app.route("/_floor")
    @login_required
    def _floor():
        return render_template("layout.html")

    return app


app = make_app() if os.environ.get("DATABASE_URL") else None
gc.freeze()  # as wsgi.py does after building the app
