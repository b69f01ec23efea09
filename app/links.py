"""Absolute links for emails, built from PUBLIC_URL (never from the request's Host header)."""
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint, **values):
    """https://public.host/path for `endpoint`, inside or outside a request (jobs, CLI)."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, url_scheme=parts.scheme or "http")
    return base + adapter.build(endpoint, values)
