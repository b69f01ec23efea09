"""A webhook receiver, run as its own process by the tests: verifies each POST with the
`standardwebhooks` package and counts each webhook-id once.

    python webhook_receiver.py PORT SECRET FOLDER [HOLD_AT]

Writes FOLDER/received (every verified POST's id), FOLDER/counted (each id the first time only),
FOLDER/rejected (POSTs whose signature failed). With HOLD_AT, the HOLD_AT-th POST is recorded and then
held open until the test writes to the FIFO FOLDER/release (so a test can kill the sender mid-delivery).
"""
import sys
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT, SECRET, FOLDER = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
HOLD_AT = int(sys.argv[4]) if len(sys.argv) > 4 else 0
LOCK = threading.Lock()
SEEN = set()
RECEIVED = [0]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            Webhook(SECRET).verify(body, headers)
        except WebhookVerificationError:
            with LOCK, open(FOLDER / "rejected", "a") as f:
                f.write(headers.get("webhook-id", "?") + "\n")
            self.send_response(400)
            self.end_headers()
            return
        event_id = headers["webhook-id"]
        with LOCK:
            RECEIVED[0] += 1
            number = RECEIVED[0]
            with open(FOLDER / "received", "a") as f:
                f.write(event_id + "\n")
            if event_id not in SEEN:  # idempotency: a repeated webhook-id is acknowledged, not counted
                SEEN.add(event_id)
                with open(FOLDER / "counted", "a") as f:
                    f.write(event_id + "\n")
        if number == HOLD_AT:
            release = FOLDER / "release"
            os.mkfifo(release)
            (FOLDER / "holding").write_text(event_id)
            # Opening a FIFO for reading blocks until the test opens it for writing: a wait on the
            # test's signal itself, no polling.
            with open(release) as signal:
                signal.read()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


FOLDER.mkdir(parents=True, exist_ok=True)
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
