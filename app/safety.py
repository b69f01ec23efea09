"""Guards for values that come back from the browser."""
from urllib.parse import urlsplit


def safe_next_url(target):
    """`target` if it is a path on this site, else None (refuses open redirects)."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
