"""SendGrid backend through the official client, with a timeout and retries on 429/5xx."""
import logging
import time

from python_http_client import exceptions as http_errors
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail

log = logging.getLogger("barnstorm.mail")


class PermanentSendError(Exception):
    """SendGrid refused the email (4xx other than 429): retrying cannot help."""


class TemporarySendError(Exception):
    """SendGrid was unreachable or overloaded after every retry; the outbox keeps the email."""


class SendGridBackend:
    name = "sendgrid"

    def __init__(self, api_key, host=None, timeout=10.0, retries=3, backoff=1.0, sleep=time.sleep):
        kwargs = {"host": host} if host else {}
        self.client = SendGridAPIClient(api_key, **kwargs)
        self.client.client.timeout = timeout  # the client has no timeout unless given one
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep

    def build(self, email, mail_from):
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
        payload = self.build(email, mail_from).get()
        # Per-personalization custom_args is an object in SendGrid's API description (the
        # top-level one is typed as a string), so the outbox key rides there for webhooks.
        payload["personalizations"][0]["custom_args"] = {"outbox_key": email.idempotency_key}
        delay = self.backoff
        for attempt in range(1, self.retries + 2):
            try:
                response = self.client.client.mail.send.post(request_body=payload)
                return response.headers.get("X-Message-Id", "") if response.headers else ""
            except http_errors.HTTPError as err:
                status = err.status_code
                if status == 429 or status >= 500:
                    wait = _retry_after(err, delay)
                    log.warning("sendgrid %s on attempt %s; retrying in %.1fs", status, attempt, wait)
                    if attempt > self.retries:
                        raise TemporarySendError(f"SendGrid answered {status}") from err
                    self.sleep(wait)
                    delay *= 2
                    continue
                raise PermanentSendError(f"SendGrid refused the email ({status}): {err.body!r}") from err
            except (OSError, TimeoutError) as err:  # connection refused, reset, timed out
                if attempt > self.retries:
                    raise TemporarySendError(f"SendGrid unreachable: {err}") from err
                self.sleep(delay)
                delay *= 2
        raise TemporarySendError("SendGrid retries exhausted")


def _retry_after(err, default):
    headers = getattr(err, "headers", None) or {}
    value = headers.get("Retry-After") or headers.get("X-RateLimit-Reset")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return default
    if seconds > 1e9:  # an epoch timestamp, as X-RateLimit-Reset sends
        seconds = seconds - time.time()
    return max(0.0, min(seconds, 60.0))
