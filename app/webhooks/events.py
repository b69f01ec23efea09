"""Emitting webhook events inside the caller's transaction.

    emit("team.formed", organisations_of_campaign(project.campaign_id), {"project_id": project.id})

writes one WebhookDelivery row per subscribed, active endpoint of those organisations, in the
caller's transaction: the rows commit or roll back with the change. After commit a job delivers
each (see app/webhooks/sender.py); a sweeper re-enqueues rows no job picked up.
"""
import uuid

from sqlalchemy import event

from app.extensions import db
from app.models import WebhookDelivery, WebhookEndpoint
from app.models.base import utcnow
from app.models.organisations import WEBHOOK_EVENTS
from app.orgs.scope import Org, organisations_of_campaign

_PENDING_KEY = "webhook_new_ids"
_installed = False


def emit(event_type, organisation_ids, payload):
    """Queue `event_type` with `payload` for every endpoint of the organisations that wants it.

    `organisation_ids`: Org values (or ("campaign"|"partner", id) pairs). Returns the rows written.
    """
    if event_type not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event_type!r}")
    orgs = [o if isinstance(o, Org) else Org(*o) for o in organisation_ids]
    campaign_ids = [o.id for o in orgs if o.kind == "campaign"]
    partner_ids = [o.id for o in orgs if o.kind == "partner"]
    if not orgs:
        return []
    endpoints = db.session.scalars(db.select(WebhookEndpoint).where(
        WebhookEndpoint.active.is_(True),
        db.or_(WebhookEndpoint.campaign_id.in_(campaign_ids or [-1]),
               WebhookEndpoint.partner_id.in_(partner_ids or [-1])),
    ).order_by(WebhookEndpoint.id))
    # One id per event: the same event reaching two endpoints carries the same webhook-id.
    event_id = f"msg_{uuid.uuid4().hex}"
    body = {"type": event_type, "timestamp": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"), "data": payload}
    rows = []
    for endpoint in endpoints:
        if event_type not in (endpoint.events or []):
            continue
        row = WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id, event_type=event_type, payload=body)
        db.session.add(row)
        rows.append(row)
    if rows:
        db.session.flush()
        db.session.info.setdefault(_PENDING_KEY, []).extend(r.id for r in rows)
    return rows


def emit_for_campaign(event_type, campaign_id, payload):
    """emit() to a campaign and every partner with it in its portfolio: the one-line call services use."""
    return emit(event_type, organisations_of_campaign(campaign_id), {"campaign_id": campaign_id, **payload})


def install_webhook_hooks(app):
    """Enqueue deliveries after their transaction commits (never before: the job would not find them)."""
    global _installed
    if _installed:
        return
    _installed = True
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", _after_rollback)


def _after_commit(session):
    if session.in_nested_transaction():
        return
    ids = session.info.pop(_PENDING_KEY, [])
    if ids:
        from flask import current_app

        from app.webhooks.sender import enqueue_deliveries

        enqueue_deliveries(current_app._get_current_object(), ids)


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)
