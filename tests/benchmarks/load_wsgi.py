"""The app as gunicorn serves it for the load run, plus a hello-world route as the baseline.

`/_hello` exists only here (never in the product): the same gunicorn process, workers and
middleware answer it, so the ratio page / hello isolates what the page itself costs.

    DATABASE_URL=postgresql+psycopg://... gunicorn tests.benchmarks.load_wsgi:app
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402


def make_app():
    if not os.environ.get("DATABASE_URL"):
        raise RuntimeError("set DATABASE_URL to the load test's PostgreSQL database")
    os.environ.pop("REDIS_URL", None)  # jobs are not part of the page load
    app = create_app("development")

    @app.route("/_hello")
    def _hello():
        return "Hello, World!"

    return app


app = make_app() if os.environ.get("DATABASE_URL") else None
