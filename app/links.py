"""Absolute links for emails, built from PUBLIC_URL (never from the request's Host header)."""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

DEFAULT_DEV_URL = "http://127.0.0.1:5000"


def public_url():
    """The site's base address. PUBLIC_URL when set (production refuses to start without it);
    otherwise, in development and tests, the address this app is being served on: the current
    request's, else the last one a request came in on, so `flask run --port 5101` mails links
    to port 5101 even from jobs."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return current_app.extensions.get("barnstorm_served_url") or DEFAULT_DEV_URL


def remember_served_url(app):
    """Without PUBLIC_URL, note where requests arrive, for links built outside a request."""
    if app.config.get("PUBLIC_URL"):
        return

    @app.before_request
    def _note_served_url():
        app.extensions["barnstorm_served_url"] = request.host_url.rstrip("/")


def external_url(endpoint, **values):
    """https://public.host/path for `endpoint`, inside or outside a request (jobs, CLI)."""
    base = public_url()
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, url_scheme=parts.scheme or "http")
    return base + adapter.build(endpoint, values)
