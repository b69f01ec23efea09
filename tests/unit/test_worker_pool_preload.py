"""What the worker pool's process builds before it forks its RQ workers (app/jobs/pool.py).

Everything a worker and its work horses need, done once: the app, the job modules, rq, the mappers
configured. And no database connection for a fork to inherit. In a fresh interpreter, as the pool
starts.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
connects = []
event.listen(Engine, "connect", lambda *args: connects.append(1))
from app.jobs.pool import preload
from app.extensions import db
app = preload()
print(json.dumps({
    "connections": len(connects),
    "imported": sorted(m for m in ("app.jobs.email", "app.jobs.matching", "rq.worker") if m in sys.modules),
    "mappers_configured": all(m.configured for m in db.Model.registry.mappers),
}))
"""


def test_the_pool_builds_everything_once_and_opens_no_database_connection(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"BARNSTORM_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "connections": 0,
        "imported": ["app.jobs.email", "app.jobs.matching", "rq.worker"],
        "mappers_configured": True,
    }
