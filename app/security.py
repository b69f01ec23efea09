"""Security headers on every response, and rate limits on the pages people guess passwords on."""
import hashlib
import math
import time

from flask import render_template, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)


def register_security_headers(app):
    # after_request also runs for responses made by error handlers (404, 429, 500) and for
    # static files, so every response carries these.
    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def trust_proxies(app):
    """Behind N reverse proxies, read the client's address from X-Forwarded-For.

    Rate limits count per client address: without this, every visitor behind the proxy would
    share one counter (and one visitor could lock everyone out of logging in).
    """
    hops = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


# ---------------------------------------------------------------- rate limits


def _client_address():
    return request.remote_addr or "unknown"


def _submitted_account():
    """The email typed in the form, hashed: counters per account without storing addresses in Redis."""
    from app.auth.services import normalise_email

    email = normalise_email(request.form.get("email"))
    return "account:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _address_and_account():
    return f"{_client_address()}|{_submitted_account()}"


# A device the account's owner logged in from before carries this signed cookie; it lists the
# (hashed) accounts logged in from it. The account-wide limit, which strangers can use up from
# anywhere, does not apply to it: the owner's right password from a known device still works.
KNOWN_DEVICE_COOKIE = "barnstorm_device"
KNOWN_DEVICE_MAX_AGE = 365 * 24 * 3600
KNOWN_DEVICE_ACCOUNTS = 5


def _known_accounts():
    from app import tokens

    raw = request.cookies.get(KNOWN_DEVICE_COOKIE)
    data = tokens.unsign(tokens.KNOWN_DEVICE, raw, max_age=KNOWN_DEVICE_MAX_AGE) if raw else None
    return [a for a in data if isinstance(a, str)] if isinstance(data, list) else []


def _from_known_device():
    return _submitted_account() in _known_accounts()


def remember_device(response, email):
    """After a successful log-in: mark this browser as one the account's owner uses."""
    from flask import current_app

    from app import tokens
    from app.auth.services import normalise_email

    account = "account:" + hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]
    accounts = [account] + [a for a in _known_accounts() if a != account]
    response.set_cookie(
        KNOWN_DEVICE_COOKIE, tokens.sign(tokens.KNOWN_DEVICE, accounts[:KNOWN_DEVICE_ACCOUNTS]),
        max_age=KNOWN_DEVICE_MAX_AGE, httponly=True, samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/auth/",
    )
    return response


def _login_failed(response):
    # A successful log-in redirects; a refused one re-renders the form. Only failures count,
    # so someone who logs in and out all day is never blocked.
    return response.status_code != 302


# endpoint -> [(config key holding the limit, what is counted, when a request counts[, exempt when])]
RATE_LIMITED_VIEWS = {
    "auth.login": [
        ("LOGIN_LIMIT_PER_ADDRESS", _client_address, _login_failed),
        ("LOGIN_LIMIT_PER_ADDRESS_ACCOUNT", _address_and_account, _login_failed),
        ("LOGIN_LIMIT_PER_ACCOUNT", _submitted_account, _login_failed, _from_known_device),
    ],
    # Per address, and per address and account: a stranger elsewhere cannot use up the owner's
    # reset requests (each reset email is one per link anyway).
    "auth.reset_request": [
        ("RESET_LIMIT_PER_ADDRESS", _client_address, None),
        ("RESET_LIMIT_PER_ACCOUNT", _address_and_account, None),
    ],
    "auth.register": [
        ("REGISTER_LIMIT_PER_ADDRESS", _client_address, None),
        ("REGISTER_LIMIT_PER_ACCOUNT", _submitted_account, None),
    ],
}


# endpoint -> (its template, its form class in app.auth.forms): what a 429 re-renders
LIMITED_FORM_PAGES = {
    "auth.login": ("auth/login.html", "LoginForm"),
    "auth.reset_request": ("auth/reset_request.html", "ResetRequestForm"),
    "auth.register": ("auth/register.html", "RegisterForm"),
}


def init_rate_limits(app):
    """One Limiter per app (Flask-Limiter keeps its settings on the instance, not per app)."""
    config = app.config
    storage_uri = config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"
    options = {}
    if storage_uri.startswith(("redis://", "rediss://")):
        # Redis down must cost a login page half a second at most, then the in-memory fallback counts.
        options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    limiter = Limiter(
        key_func=_client_address,
        storage_uri=storage_uri,
        storage_options=options,
        strategy=config.get("RATELIMIT_STRATEGY", "moving-window"),
        key_prefix=config.get("RATELIMIT_KEY_PREFIX", "barnstorm"),
        # If the counter store fails, log it and let people in rather than take the site down.
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        headers_enabled=False,  # Retry-After is set on the 429 page itself
    )
    limiter.init_app(app)
    app.extensions["barnstorm_limiter"] = limiter
    if not limiter.enabled:
        return limiter
    for endpoint, rules in RATE_LIMITED_VIEWS.items():
        view = app.view_functions[endpoint]
        for config_key, key_func, deduct_when, *exempt in rules:
            view = limiter.limit(
                _config_value(app, config_key), key_func=key_func, methods=["POST"],
                deduct_when=deduct_when, scope=f"{endpoint}:{config_key}",
                exempt_when=exempt[0] if exempt else None,
            )(view)
        app.view_functions[endpoint] = view
    app.register_error_handler(RateLimitExceeded, _too_many_attempts)
    return limiter


def _config_value(app, key):
    return lambda: app.config[key]


def retry_after_seconds():
    """Seconds until the breached limit lets this client try again."""
    limiter = _current_limiter()
    current = limiter.current_limit if limiter else None
    if current is None:
        return 60
    return max(1, int(math.ceil(current.reset_at - time.time())))


def _current_limiter():
    from flask import current_app

    return current_app.extensions.get("barnstorm_limiter")


def _too_many_attempts(err):
    """A 429 page in our layout that says when to come back and keeps what was typed."""
    seconds = retry_after_seconds()
    minutes = max(1, round(seconds / 60))
    message = f"Too many attempts, try again in {minutes} minute{'s' if minutes != 1 else ''}."
    # Re-render the form the person was using, bound to what they posted (email, "remember me";
    # password fields never echo their value), so nothing they typed is lost.
    page = LIMITED_FORM_PAGES.get(request.endpoint)
    if page is None:
        body = render_template("errors/429.html", rate_limit_message=message)
    else:
        from app.auth import forms

        template, form_class = page
        body = render_template(template, form=getattr(forms, form_class)(), rate_limit_message=message)
    return body, 429, {"Retry-After": str(seconds)}
