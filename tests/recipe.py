"""The README's production recipe, run as an operator would: the real `flask` CLI in subprocesses
against an empty database (upgrade, seed menu, create the first admin). Shared by the recipe test
and the browser journey from an empty database."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).with_name("flask"))
ADMIN_PASSWORD = "first admin's long passphrase"
SECRET_KEY = "recipe-test-secret-" + "x" * 20  # the app under test must share it to read emailed links


def empty_database(pg_url, tmp_path):
    """(url, drop) for a brand-new database: a fresh PostgreSQL database when `pg_url`, else SQLite."""
    if not pg_url:
        return f"sqlite:///{tmp_path / 'fresh.db'}", lambda: None
    name = f"recipe_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()

    return pg_url.rsplit("/", 1)[0] + "/" + name, drop


def flask_cli(database_url, instance, *args, stdin=None):
    """Run `flask --app wsgi ARGS` as production would; returns the CompletedProcess."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SENDGRID_API_KEY", "FLASK_APP")}
    env.update(
        BARNSTORM_ENV="production", SECRET_KEY=SECRET_KEY, DATABASE_URL=database_url,
        BARNSTORM_INSTANCE=str(instance), PUBLIC_URL="http://localhost",
    )
    return subprocess.run(
        [FLASK, "--app", "wsgi", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )


def run_recipe(database_url, instance, admin_email, password=ADMIN_PASSWORD):
    """upgrade, seed menu, create-admin (the password typed twice); asserts each step succeeded."""
    for step in (("db", "upgrade"), ("seed", "menu")):
        done = flask_cli(database_url, instance, *step)
        assert done.returncode == 0, f"{step}: {done.stdout}{done.stderr}"
    done = flask_cli(database_url, instance, "users", "create-admin", admin_email, "--name", "Ada Admin",
                     stdin=f"{password}\n{password}\n")
    assert done.returncode == 0, done.stdout + done.stderr
    return done
