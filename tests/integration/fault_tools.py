"""Real processes for the fault tests: our own Redis and PostgreSQL to stop and start, `rq worker`
processes to kill, `flask` commands, and a scripted fake of SendGrid's mail-send endpoint."""
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from contextlib import contextmanager

from tests.services import ROOT, require_env, worker_env

BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "tests" / "artifacts"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_with_schema(url, instance):
    """An app on the database at `url`, tables created, its context pushed (for tests that own the server)."""
    from app.extensions import db
    from tests.conftest import _make_app

    app = _make_app(url, instance)
    with app.app_context():
        db.create_all()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def wait_for(condition, timeout=120, interval=0.2, what="the condition"):
    """Poll `condition()` until it returns something truthy; fail after `timeout` seconds.

    Generous timeouts: the machine may be busy; nothing here asserts on speed.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def record_figures(name, figures):
    """Keep measured figures beside the other test artifacts (docs/RELIABILITY.md quotes them)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "reliability.json"
    with open(ARTIFACTS / "reliability.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers may record at the same moment
        data = json.loads(path.read_text()) if path.exists() else {}
        data[name] = figures
        path.write_text(json.dumps(data, indent=2, sort_keys=True))
    print(f"\n{name}: {json.dumps(figures)}")


# --- Redis we own: stop it and start it again on the same port ---


class OwnRedis:
    def __init__(self, folder):
        require_env("TEST_REDIS_URL")  # the services exist (make test); this one is ours alone
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        from redis import Redis

        wait_for(lambda: _pings(Redis.from_url(self.url, socket_connect_timeout=1)), 30, what="redis-server")
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()  # as abrupt as a crash; nothing is saved (--save "")
            self.proc.wait(10)


def _pings(conn):
    try:
        return conn.ping()
    except Exception:
        return False


# --- A PostgreSQL cluster we own, on a free port, so stopping it disturbs no other test ---


class OwnPostgres:
    def __init__(self):
        self.pgbin = Path(require_env("PGBIN"))
        # Under the services folder of tests/run.sh: the postgres user can reach it (pytest's tmp
        # can't); init() hands it to postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="own-pg-", dir=require_env("TEST_SERVICES_DIR")))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/faults"

    def _as_postgres(self, *args, check=True):
        return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=check,
                              capture_output=True, text=True, timeout=120)

    def init(self):
        subprocess.run(["chown", "postgres:postgres", str(self.folder)], check=True)
        self._as_postgres(str(self.pgbin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                          "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        subprocess.run([str(self.pgbin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "faults"], check=True, timeout=60)
        return self

    def start(self):
        self._as_postgres(
            str(self.pgbin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-t", "120",
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        )

    def stop(self, mode="immediate"):
        """`immediate` is a crash as far as clients can tell: connections are cut, no goodbye."""
        self._as_postgres(str(self.pgbin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def running(self):
        return (self.data / "postmaster.pid").exists()

    def remove(self):
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


# --- rq workers and flask commands as real subprocesses ---


class Worker:
    """`rq worker` in its own session, so a kill reaches only what we started."""

    def __init__(self, app, redis_url, instance, queues=("email",), extra_env=None, name=None, burst=False,
                 scheduler=False, worker_class="app.jobs.worker.AppWorker"):
        env = worker_env(app, redis_url, instance)
        env.update(extra_env or {})
        self.log = Path(instance) / f"{name or 'worker'}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        args = [str(BIN / "rq"), "worker", "--url", redis_url, "-w", worker_class]
        if name:
            args += ["--name", name]
        if burst:
            args.append("--burst")
        if scheduler:
            args.append("--with-scheduler")
        self._out = open(self.log, "w")
        self.proc = subprocess.Popen([*args, *queues], env=env, cwd=ROOT, stdout=self._out,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def children(self):
        try:
            return [int(p) for p in Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()]
        except FileNotFoundError:
            return []

    def horse_pids(self):
        """The work horse the worker forked for the current job: RQ makes it lead its own process
        group (the scheduler, also a child, does not)."""
        horses = []
        for pid in self.children():
            try:
                if os.getpgid(pid) == pid:
                    horses.append(pid)
            except ProcessLookupError:
                pass
        return horses

    def kill(self):
        """SIGKILL the worker and all it started (work horse, scheduler), as a crashed machine would."""
        horses = self.horse_pids()
        children = self.children()
        os.kill(self.pid, signal.SIGKILL)
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(10)
        return horses

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # warm shutdown: finish the current job, then exit
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()
        self._out.close()

    def output(self):
        return self.log.read_text()[-4000:] if self.log.exists() else ""


def flask_command(app, redis_url, instance, *args, extra_env=None, timeout=120):
    """Run `flask --app wsgi <args>` against the test's database, as cron would."""
    env = worker_env(app, redis_url or "", instance)
    if not redis_url:
        env.pop("REDIS_URL", None)
    env.update(extra_env or {})
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


# --- A fake SendGrid: /v3/mail/send, scripted per test ---


class FakeSendGrid:
    """Answers like SendGrid's mail send (202 + X-Message-Id), after `delay` seconds.

    `script` is a list of (status, headers, delay) for the next requests; afterwards every request
    gets 202. `hold_at=n` makes the n-th request wait, once SendGrid has it, until `release` is set:
    the moment to kill the sender. `receipts` lists the outbox key of every email handed over.
    """

    def __init__(self, delay=0.0):
        self.delay = delay
        self.script = []
        self.receipts = []
        self.hold_at = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.held_key = None
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                key = body.get("personalizations", [{}])[0].get("custom_args", {}).get("outbox_key", "")
                with fake.lock:
                    status, headers, delay = fake.script.pop(0) if fake.script else (202, {}, fake.delay)
                    if status == 202:
                        fake.receipts.append(key)
                    hold = fake.hold_at is not None and len(fake.receipts) == fake.hold_at and status == 202
                if hold:
                    fake.held_key = key
                    fake.held.set()
                    fake.release.wait(120)
                if delay:
                    time.sleep(delay)
                payload = b"" if status == 202 else json.dumps({"errors": [{"message": f"fake {status}"}]}).encode()
                try:
                    self.send_response(status)
                    if status == 202:
                        self.send_header("X-Message-Id", f"fake-{len(fake.receipts)}")
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender was killed while waiting for the answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def count(self):
        with self.lock:
            return len(self.receipts)
