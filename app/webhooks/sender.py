"""Delivering one webhook: claim the row, POST it signed (Standard Webhooks), record the outcome.

Like the email outbox: the claim (committed before the HTTP call) keeps every other worker off the
row; a delivered row is never sent again; a failure raises so RQ retries with backoff; a worker
killed mid-call leaves a claim that lapses, and the sweeper re-enqueues the row. Receivers dedupe
on the `webhook-id` header, which stays the same across retries, so a POST repeated after such a
kill is still counted once.
"""
import json
import logging
import urllib.error
from datetime import timedelta, timezone
from math import floor

from flask import current_app
from standardwebhooks.webhooks import Webhook

from app.extensions import db
from app.models import WebhookDelivery, WebhookEndpoint
from app.models.base import utcnow
from app.sqlite_tuning import write_transaction
from app.webhooks import netguard

log = logging.getLogger("barnstorm.webhooks")
CLAIM_SECONDS = 60
TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 8
RETRY_INTERVALS = [5, 15, 60, 300, 900, 3600, 7200]  # seconds; WEBHOOK_RETRY_INTERVALS overrides


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx; RQ retries the job."""


def _claim(delivery_id, now):
    result = db.session.execute(
        db.update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
               db.or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))
        .values(claimed_until=now + timedelta(seconds=current_app.config.get("WEBHOOK_CLAIM_SECONDS", CLAIM_SECONDS)),
                attempts=WebhookDelivery.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def signed_request(endpoint, delivery, now):
    """(body bytes, headers) signed with the endpoint's secret as Standard Webhooks says.

    Signed afresh at each attempt (receivers refuse timestamps older than five minutes); the
    webhook-id stays the delivery's event id, so a receiver counts a retried event once.
    """
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    signature = Webhook(endpoint.secret).sign(delivery.event_id, now, body)
    headers = {"content-type": "application/json", "webhook-id": delivery.event_id,
               "webhook-timestamp": str(floor(now.replace(tzinfo=timezone.utc).timestamp())),
               "webhook-signature": signature, "user-agent": "Barnstorm-Webhooks/1"}
    return body.encode(), headers


def deliver(delivery_id):
    """Send delivery `delivery_id` if still pending; returns its status. Raises DeliveryFailed to be retried."""
    now = utcnow()
    if not _claim(delivery_id, now):
        row = db.session.get(WebhookDelivery, delivery_id)
        return row.status if row else "missing"
    delivery = db.session.get(WebhookDelivery, delivery_id)
    endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
    body, headers = signed_request(endpoint, delivery, now)
    url, attempts = endpoint.url, delivery.attempts
    db.session.commit()  # no transaction stays open during the HTTP call
    status_code, error = None, ""
    try:
        # Checked again now, and sent to the address checked: DNS may have changed since registration.
        status_code = netguard.post(url, body, headers, TIMEOUT_SECONDS)
    except (netguard.AddressRefused, netguard.Unresolvable) as err:
        error = str(err)[:500]
    except urllib.error.HTTPError as err:
        status_code, error = err.code, f"HTTP {err.code}"
    except (urllib.error.URLError, OSError) as err:
        error = str(getattr(err, "reason", err))[:500]
    if status_code is not None and 200 <= status_code < 300:
        _finish(delivery_id, status="delivered", delivered_at=utcnow(), last_status_code=status_code, last_error="")
        return "delivered"
    gave_up = attempts >= MAX_ATTEMPTS
    _finish(delivery_id, last_status_code=status_code, last_error=error or f"HTTP {status_code}",
            **({"status": "failed"} if gave_up else {}))
    if gave_up:
        return "failed"
    raise DeliveryFailed(f"{url}: {error or status_code}")


def _finish(delivery_id, **values):
    db.session.execute(db.update(WebhookDelivery).where(WebhookDelivery.id == delivery_id)
                       .values(claimed_until=None, **values))
    db.session.commit()


def deliver_job(delivery_id):
    from app.jobs.context import job_context

    with job_context():
        return deliver(delivery_id)


def enqueue_deliveries(app, ids):
    """Queue deliveries after commit; with Redis down they wait for the sweeper."""
    from app.jobs.queue import QueueUnavailable, enqueue

    intervals = app.config.get("WEBHOOK_RETRY_INTERVALS") or RETRY_INTERVALS
    from rq import Retry  # rq and redis cost ~0.15 s to import; a web worker without Redis never needs them

    retry = Retry(max=len(intervals), interval=list(intervals))
    for delivery_id in ids:
        try:
            enqueue(deliver_job, delivery_id, queue="default", app=app, retry=retry, job_timeout=60,
                    redis_errors="raise")
        except QueueUnavailable:
            log.warning("Redis unavailable: webhook deliveries left for the sweeper")
            return


def redeliver(delivery_id):
    """Send a delivery again (the organisation asked): back to pending, same webhook-id."""
    db.session.execute(db.update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(
        status="pending", claimed_until=None, attempts=0, last_error=""))
    db.session.commit()
    enqueue_deliveries(current_app._get_current_object(), [delivery_id])


def sweep(older_than_seconds=60):
    """Re-enqueue pending deliveries that no job holds (Redis was down, a worker was killed)."""
    # SQLite: hold the write lock from the first read, so this read-then-update waits for a busy
    # worker's commit instead of failing with "database is locked".
    write_transaction()
    now = utcnow()
    cutoff = now - timedelta(seconds=older_than_seconds)
    ids = list(db.session.scalars(db.select(WebhookDelivery.id).where(
        WebhookDelivery.status == "pending", WebhookDelivery.created_at <= cutoff,
        db.or_(WebhookDelivery.enqueued_at.is_(None), WebhookDelivery.enqueued_at <= cutoff),
        db.or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now),
    ).order_by(WebhookDelivery.id).limit(500)))
    if ids:
        db.session.execute(db.update(WebhookDelivery).where(WebhookDelivery.id.in_(ids)).values(enqueued_at=now))
    db.session.commit()
    enqueue_deliveries(current_app._get_current_object(), ids)
    return len(ids)


def sweep_job(older_than_seconds=60):
    from app.jobs.context import job_context

    with job_context():
        return sweep(older_than_seconds)
