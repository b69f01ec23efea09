"""An organisation's webhook endpoints and the list of their deliveries."""
import base64
import secrets
from urllib.parse import urlsplit

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.models import WebhookDelivery, WebhookEndpoint
from app.models.organisations import WEBHOOK_EVENTS
from app.webhooks import netguard

EVENT_LABELS = {
    "request.received": "A help request is received", "scope.approved": "A scope is approved",
    "team.formed": "A team is formed", "checkin.logged": "A weekly check-in is logged",
    "member.left": "A member leaves a team", "project.completed": "A project is completed",
    "project.cancelled": "A project is cancelled",
}


def _owned(org):
    cols = org.owner_columns
    return (WebhookEndpoint.campaign_id == cols["campaign_id"]) if org.kind == "campaign" else \
        (WebhookEndpoint.partner_id == cols["partner_id"])


def endpoints_of(org):
    return list(db.session.scalars(db.select(WebhookEndpoint).where(_owned(org)).order_by(WebhookEndpoint.id)))


def register_endpoint(actor, org, url, events):
    """Add an endpoint; returns it with its signing secret (whsec_..., Standard Webhooks)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or len(url) > 500:
        raise DomainError("Enter the full address, starting with https://", field="url")
    try:
        netguard.checked_address(url)
    except netguard.AddressRefused:
        raise DomainError("That address points into a private network; webhooks go only to public addresses.",
                          field="url") from None
    except netguard.Unresolvable:
        pass  # DNS may be down right now; every delivery checks again (app/webhooks/netguard.py)
    events = [e for e in events or () if e in WEBHOOK_EVENTS]
    if not events:
        raise DomainError("Tick at least one event.", field="events")
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    endpoint = WebhookEndpoint(url=url, events=events, secret=secret, **org.owner_columns)
    db.session.add(endpoint)
    db.session.flush()
    audit.record(actor, "webhook.endpoint_added", endpoint, url=url, events=events)
    db.session.commit()
    return endpoint


def endpoint_of(org, endpoint_id):
    return db.session.scalar(db.select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id, _owned(org)))


def disable_endpoint(actor, org, endpoint_id):
    endpoint = endpoint_of(org, endpoint_id)
    if endpoint is None:
        raise DomainError("That endpoint does not exist.")
    endpoint.active = False
    audit.record(actor, "webhook.endpoint_disabled", endpoint)
    db.session.commit()


def deliveries_of(org, limit=100):
    return list(db.session.scalars(
        db.select(WebhookDelivery).join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(_owned(org)).order_by(WebhookDelivery.id.desc()).limit(limit)
    ))


def delivery_of(org, delivery_id):
    return db.session.scalar(
        db.select(WebhookDelivery).join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id == delivery_id, _owned(org))
    )
