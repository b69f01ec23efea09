"""Writing to the audit log, inside the caller's transaction."""
from app.extensions import db
from app.models import AuditEntry


def record(actor, action, obj, **details):
    """Add an audit entry for `action` on `obj` by `actor` (a User or None for the system)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        details=details,
    )
    db.session.add(entry)
    return entry
