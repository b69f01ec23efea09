"""SendGrid backend through the official client, with a timeout and retries on 429/5xx."""
import logging
import time


log = logging.getLogger("barnstorm.mail")


class PermanentSendError(Exception):
    """SendGrid refused the email (4xx other than 429): retrying cannot help."""


class TemporarySendError(Exception):
    """SendGrid was unreachable or overloaded after every retry; the outbox keeps the email."""


class SendGridBackend:
    """Send through SendGrid's v3 API; retry 429 and 5xx (and network errors) a few times.

    This loop is the only place SendGrid's errors are retried (the email job has no RQ `Retry`).
    What it gives up on stays `pending` in the outbox; the sweeper sends it later, and the row is
    marked failed after MAIL_MAX_ATTEMPTS sends (app/mail/sender.py).

    429: wait until the rate limit resets (Retry-After or X-RateLimit-Reset), unless that is
    more than `max_wait` away: then give up this try and let the sweeper send it
    later. 5xx and network errors: exponential backoff from `backoff` seconds.
    `budget` caps the whole send (all tries and waits) so it ends inside the outbox claim.
    400 and other 4xx: never retried (PermanentSendError); the reason is kept on the row.
    """

    name = "sendgrid"

    def __init__(self, api_key, host=None, timeout=10.0, retries=3, backoff=1.0, max_wait=60.0, budget=None,
                 sleep=time.sleep, clock=time.monotonic):
        # Imported here, not at the top: only a process that sends through SendGrid pays for it
        # (docs/BENCHMARKS.md, "Worker start").
        from sendgrid import SendGridAPIClient

        kwargs = {"host": host} if host else {}
        self.client = SendGridAPIClient(api_key, **kwargs)
        self.client.client.timeout = timeout  # the client has no timeout unless given one
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.budget = budget
        self.sleep = sleep
        self.clock = clock

    def build(self, email, mail_from):
        from sendgrid.helpers.mail import Mail

        message = Mail(
            from_email=mail_from,
            to_emails=email.to_email,
            subject=email.subject,
            plain_text_content=email.text_body,
            html_content=email.html_body or None,
        )
        return message

    def send(self, email, mail_from):
        """Send; return SendGrid's message id. Raises Permanent/TemporarySendError."""
        from python_http_client import exceptions as http_errors

        payload = self.build(email, mail_from).get()
        # Per-personalization custom_args is an object in SendGrid's API description (the
        # top-level one is typed as a string), so the outbox key rides there for webhooks.
        payload["personalizations"][0]["custom_args"] = {"outbox_key": email.idempotency_key}
        started = self.clock()
        delay = self.backoff
        for attempt in range(1, self.retries + 2):
            try:
                response = self.client.client.mail.send.post(request_body=payload)
                return response.headers.get("X-Message-Id", "") if response.headers else ""
            except http_errors.HTTPError as err:
                status = err.status_code
                if not (status == 429 or status >= 500):
                    raise PermanentSendError(f"SendGrid refused the email ({status}): {_body(err)}") from err
                reason = f"SendGrid answered {status}"
                if attempt > self.retries:
                    raise TemporarySendError(f"{reason} {attempt} times") from err
                reset = _retry_after(err)
                if reset is not None and reset > self.max_wait:
                    raise TemporarySendError(f"{reason}; rate limit resets in {reset:.0f} s, later than we wait") from err
                wait = reset if reset is not None else delay
                log.warning("%s on attempt %s; retrying in %.1fs", reason, attempt, wait)
                self._wait(started, wait, reason)
                delay *= 2
            except (OSError, TimeoutError) as err:  # connection refused, reset, timed out
                reason = f"SendGrid unreachable: {err}"
                if attempt > self.retries:
                    raise TemporarySendError(reason) from err
                self._wait(started, delay, reason)
                delay *= 2
        raise TemporarySendError("SendGrid retries exhausted")

    def _wait(self, started, seconds, reason):
        """Sleep before the next try, unless that try could not finish within the budget."""
        if self.budget is not None and self.clock() - started + seconds + self.timeout > self.budget:
            raise TemporarySendError(f"{reason}; no time left for another try in this job")
        self.sleep(seconds)


def _body(err):
    body = getattr(err, "body", b"") or b""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return body[:500]


def _retry_after(err):
    """Seconds until SendGrid says to try again (Retry-After, or X-RateLimit-Reset), or None."""
    headers = getattr(err, "headers", None) or {}
    value = headers.get("Retry-After") or headers.get("X-RateLimit-Reset")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds > 1e9:  # an epoch timestamp, as X-RateLimit-Reset sends
        seconds = seconds - time.time()
    return max(0.0, seconds)
