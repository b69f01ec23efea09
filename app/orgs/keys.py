"""API keys: shown once, stored as a hash, scoped read or read-write, revocable."""
import hashlib
import hmac
import secrets

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.models import ApiKey
from app.models.base import utcnow
from app.models.organisations import API_SCOPES

KEY_PREFIX = "bsk_"


def _hash(key):
    # The key carries 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(actor, org, name, scope):
    """Make a key for `org`; returns (row, the key in clear). The clear key is never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Name the key after what uses it, e.g. 'VAN sync'.", field="name")
    if scope not in API_SCOPES:
        raise DomainError("Choose read or read-write.", field="scope")
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(name=name[:80], prefix=prefix, key_hash=_hash(key), scope=scope, created_by_id=actor.id,
                 **org.owner_columns)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "api_key.created", row, scope=scope, organisation=f"{org.kind}:{org.id}")
    db.session.commit()
    return row, key


def key_for(token):
    """The live key row for a presented token, or None (unknown, malformed, revoked)."""
    if not token or not token.startswith(KEY_PREFIX):
        return None
    prefix = token[len(KEY_PREFIX):].split("_", 1)[0]
    row = db.session.scalar(db.select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or row.revoked_at is not None or not hmac.compare_digest(row.key_hash, _hash(token)):
        return None
    return row


def revoke_key(actor, org, key_id):
    row = db.session.get(ApiKey, key_id)
    if row is None or (row.campaign_id, row.partner_id) != (org.owner_columns["campaign_id"],
                                                            org.owner_columns["partner_id"]):
        raise DomainError("That key does not exist.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(actor, "api_key.revoked", row)
        db.session.commit()
    return row


def keys_of(org):
    cols = org.owner_columns
    return list(db.session.scalars(db.select(ApiKey).where(
        ApiKey.campaign_id.is_(None) if cols["campaign_id"] is None else ApiKey.campaign_id == cols["campaign_id"],
        ApiKey.partner_id.is_(None) if cols["partner_id"] is None else ApiKey.partner_id == cols["partner_id"],
    ).order_by(ApiKey.created_at.desc())))
