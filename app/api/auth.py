"""Key authentication, scope checks, auditing and rate limits for /api/v1 (no cookies, so no CSRF)."""
import logging

from flask import current_app, g, request

from app.api.hal import ApiError, error_body, hal_response
from app.extensions import db
from app.models import AuditEntry
from app.models.base import utcnow
from app.orgs.keys import key_for
from app.orgs.scope import Org

log = logging.getLogger(__name__)
PUBLIC_ENDPOINTS = {"api.openapi"}


def presented_token():
    """The key from OSDI's header, or from `Authorization: Bearer`."""
    token = request.headers.get("OSDI-API-Token", "")
    if not token:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        token = value.strip() if scheme.lower() == "bearer" else ""
    return token.strip()


def authenticate():
    """before_request: find the key, or answer 401. Sets g.api_key and g.org."""
    g.api_key = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    key = key_for(presented_token())
    if key is None:
        raise ApiError(401, "UNAUTHORIZED", "A valid API key is required (header OSDI-API-Token).")
    g.api_key, g.org = key, Org.of(key)
    return None


def require_write():
    if g.api_key is None or g.api_key.scope != "read_write":
        raise ApiError(403, "FORBIDDEN", "This key may only read. Make a read-write key for this call.")


def audit_call(response):
    """after_request: every call with a key (and every refused one) goes into the audit log."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return response
    key = g.get("api_key")
    try:
        db.session.rollback()  # whatever the view left open; its own writes were committed by its service
        db.session.add(AuditEntry(
            actor_id=key.created_by_id if key else None, action="api.call", object_type="ApiKey",
            object_id=key.id if key else None,
            details={"method": request.method, "path": request.path[:300], "status": response.status_code,
                     "organisation": f"{g.org.kind}:{g.org.id}" if key else None},
        ))
        if key is not None:
            db.session.execute(db.update(type(key)).where(type(key).id == key.id).values(last_used_at=utcnow()))
        db.session.commit()
    except Exception:  # the answer is already made; a failed audit write is logged, not turned into a 500
        db.session.rollback()
        log.exception("could not audit API call %s %s", request.method, request.path)
    return response


def api_error(err):
    return hal_response(error_body(err.status, err.code, err.description, err.properties, err.resource), err.status)


def http_error(err):
    """Werkzeug's errors (404, 405, 413...) inside /api as OSDI errors."""
    headers = {}
    if err.code == 405 and getattr(err, "valid_methods", None):
        headers["Allow"] = ", ".join(err.valid_methods)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "TOO_LARGE"}.get(err.code, "HTTP_ERROR")
    return hal_response(error_body(err.code, code, err.description or err.name), err.code, headers)


def rate_limited(err):
    return hal_response(error_body(429, "RATE_LIMITED", "Too many requests for this key; slow down."), 429,
                        {"Retry-After": "60"})


def wrap_app_errors(app):
    """Werkzeug's routing errors are raised before a blueprint is known: answer /api/ paths in JSON."""
    for code in (404, 405):
        previous = next(iter(app.error_handler_spec[None].get(code, {}).values()), None)

        def handler(err, previous=previous):
            if request.path.startswith("/api/"):
                return http_error(err)
            if previous is not None:
                return previous(err)
            return err

        app.register_error_handler(code, handler)


def limit_key():
    """Rate limits count per key (its public prefix), or per address for calls without a valid key."""
    token = presented_token()
    if token.startswith("bsk_"):
        return "key:" + token[4:].split("_", 1)[0]
    return "addr:" + (request.remote_addr or "")


def apply_rate_limit(app, bp):
    limiter = app.extensions.get("barnstorm_limiter")
    if limiter is None or not limiter.enabled:
        return
    limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", "600 per minute"), key_func=limit_key)(bp)

