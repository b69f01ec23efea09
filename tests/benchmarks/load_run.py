"""Drive the main pages with wrk while logged in, beside a hello-world route, and report.

Logs in through the real login form (CSRF token and all) as the seeded volunteer and staff
user, checks each page answers 200 to that session, then runs `wrk --latency` against each
page and against `/_hello` and the floor (before and after the pages, same gunicorn), and writes
the "load" section of docs/BENCHMARKS.md.

Each page is driven twice: at 16 connections (the issue's figure: with 4 workers, 12 requests
wait in the queue, so latency is mostly queueing, and by Little's law the mean latency is
16 / req/s whatever the code does) and at one connection per gunicorn worker, where nothing
queues and the p99 is the page's own time under the same CPU contention.

    python -m tests.benchmarks.load_run --base http://127.0.0.1:PORT --info load.json [--duration 10s]
"""
import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CONNECTIONS, THREADS = 16, 2
GOAL_RATIO, GOAL_P99_MS = 0.40, 100.0


def login(base, email, password):
    """The session cookie header after logging in through the form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/auth/login").read().decode()  # noqa: S310 (loopback)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html)
    data = {"email": email, "password": password}
    if token:
        data["csrf_token"] = token.group(1)
    resp = opener.open(f"{base}/auth/login", urllib.parse.urlencode(data).encode())
    if "/auth/login" in resp.geturl():
        raise SystemExit(f"login failed for {email}")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def check(base, path, cookie):
    req = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(req) as resp:  # noqa: S310 (http on loopback, from our own argument)
        body = resp.read()
        if resp.status != 200 or "/auth/login" in resp.geturl():
            raise SystemExit(f"{path}: {resp.status} {resp.geturl()}")
        return len(body)


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, cookie, duration, connections=CONNECTIONS):
    cmd = ["wrk", f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{duration}", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": pct["50"], "p99": pct["99"], "non2xx": int(errors.group(1)) if errors else 0,
            "socket": socket.group(1) if socket else "", "raw": out}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--info", required=True)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--server", default="gunicorn")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers: the unqueued run's connections")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    info = json.loads(Path(args.info).read_text())
    cookies = {role: login(args.base, email, info["password"]) for role, email in info["accounts"].items()}

    pages = [("hello world (before)", "/_hello", None), ("one-query page (baseline)", "/_one_query", None),
             ("empty logged-in page (floor)", "/_floor", "volunteer")] + [
        tuple(p) for p in info["pages"]] + [("empty logged-in page (floor, after)", "/_floor", "volunteer"),
                                            ("hello world (after)", "/_hello", None)]
    results = []
    for name, path, role in pages:
        cookie = cookies.get(role)
        size = check(args.base, path, cookie)
        wrk(args.base + path, cookie, "2s")  # warm-up: connections, caches, first-request imports
        r = wrk(args.base + path, cookie, args.duration)
        unqueued = wrk(args.base + path, cookie, args.duration, connections=args.workers)
        r.update(name=name, path=path, bytes=size, p99_unqueued=unqueued["p99"], rps_unqueued=unqueued["rps"])
        results.append(r)
        print(f"{name:26s} {r['rps']:8.0f} req/s  p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
              f"p99 at {args.workers} conn {r['p99_unqueued']:7.1f} ms  "
              f"({size:,} bytes){'  NON-2xx: %d' % r['non2xx'] if r['non2xx'] else ''}", flush=True)
    hello = [r for r in results if r["path"] == "/_hello"]
    base_rps = sum(r["rps"] for r in hello) / len(hello)
    one_query_rps = next(r["rps"] for r in results if r["path"] == "/_one_query")
    floors = [r for r in results if r["path"] == "/_floor"]
    floor_rps = sum(r["rps"] for r in floors) / len(floors)
    floor_p99 = sum(r["p99"] for r in floors) / len(floors)

    c = info["counts"]
    # Other processes on the machine skew every absolute figure; say how busy it was.
    load1, load5, _ = os.getloadavg()
    lines = [
        f"`make load`: {c['volunteers']:,} volunteers, {c['campaigns']:,} campaigns, {c['projects']:,} projects in "
        f"every stage, {c['sprints']:,} sprints and {c['check-ins']:,} check-ins over a year "
        f"({c['check-in hours']:,} hours rows, {c['invitations']:,} invitations) on PostgreSQL, seeded in "
        f"{info['seed_seconds']:.0f} s with bulk inserts. {args.server}; wrk -t{THREADS} -c{CONNECTIONS} "
        f"-d{args.duration} --latency on loopback, logged in with a session cookie from the login form; "
        "wrk, gunicorn and PostgreSQL share the same 2 cores. Hello world is a `/_hello` route added to the "
        "same app in the same gunicorn (tests/benchmarks/load_wsgi.py), measured before and after the pages; "
        f"ratios use their mean ({base_rps:,.0f} req/s). The one-query page is STACK.md's other baseline "
        "(one 20-row ORM query, no log-in), also in the same gunicorn: the ceiling for any page that reads "
        "the database. The empty logged-in page is the floor of every product page: the session's user loaded "
        "and the site layout rendered around nothing, measured before and after the pages; ratios use their mean. "
        f"Goals (issue 14): each page >= {GOAL_RATIO:.0%} of the floor's req/s ({floor_rps:,.0f}), "
        f"and p99 < {GOAL_P99_MS:.0f} ms at {CONNECTIONS} connections (the floor's own p99 there: "
        f"{floor_p99:.0f} ms). Each page is also driven at {args.workers} connections, one per worker, "
        "where no request waits in a queue. "
        f"Machine load average at the end of the run: {load1:.1f} (1 min), {load5:.1f} (5 min).",
        "",
        f"| page | path | req/s | p50 (ms) | p99 (ms) | p99 at {args.workers} connections (ms) | bytes | page / hello | "
        f"page / one-query | page / floor | >= {GOAL_RATIO:.0%} of floor | p99 < {GOAL_P99_MS:.0f} ms | "
        f"p99 at {args.workers} connections < {GOAL_P99_MS:.0f} ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        ratio = r["rps"] / floor_rps
        reference = r["path"] in ("/_hello", "/_one_query", "/_floor")
        met = ("—", "—", "—") if reference else (
            "yes" if ratio >= GOAL_RATIO else "no", "yes" if r["p99"] < GOAL_P99_MS else "no",
            "yes" if r["p99_unqueued"] < GOAL_P99_MS else "no")
        lines.append(
            f"| {r['name']} | `{r['path']}` | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['p99_unqueued']:.1f} | {r['bytes']:,} | "
            f"{r['rps'] / base_rps:.0%} | {r['rps'] / one_query_rps:.0%} | {ratio:.0%} | {met[0]} | {met[1]} | {met[2]} |")
    text = "\n".join(lines)
    print("\n" + text)
    Path(args.info).with_suffix(".results.json").write_text(json.dumps(results, indent=2))
    if not args.no_write:
        from tests.benchmarks.report import write_section

        notes = Path(__file__).with_name("load_notes.md")
        body = text + ("\n\n" + notes.read_text().strip() if notes.exists() else "")
        write_section("load", "## Load\n\n" + body)


if __name__ == "__main__":
    main()
