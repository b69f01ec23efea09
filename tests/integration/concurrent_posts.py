"""Several people posting at the same moment, through a real threaded server (tests/conftest.py)."""
import threading

import requests

from tests import factories


def logged_in_sessions(live_server, users):
    """One HTTP session per entry of `users` (the same user may appear twice: two tabs or devices)."""
    sessions = []
    for user in users:
        s = requests.Session()
        resp = s.post(f"{live_server.url}/auth/login", allow_redirects=False,
                      data={"email": user.email, "password": factories.PASSWORD})
        assert resp.status_code == 302, resp.text[:300]
        sessions.append(s)
    return sessions


def post_all_at_once(live_server, sessions, path, data_for):
    """Every session posts `data_for(i)` to `path` at the same moment; the answers, in order."""
    barrier, answers = threading.Barrier(len(sessions)), [None] * len(sessions)

    def post(i, s):
        barrier.wait()
        answers[i] = s.post(live_server.url + path, data=data_for(i), allow_redirects=False, timeout=60)

    threads = [threading.Thread(target=post, args=(i, s)) for i, s in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return answers
