"""Configuration classes. Secrets and service URLs come from the environment."""
import os


def _database_url():
    url = os.environ.get("DATABASE_URL")
    if not url:
        # Relative SQLite paths are resolved inside the instance folder by Flask-SQLAlchemy.
        return "sqlite:///barnstorm.db"
    # Hosting platforms still hand out postgres://; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None
    SENDGRID_API_KEY = os.environ.get("SENDGRID_API_KEY") or None
    SENDGRID_HOST = os.environ.get("SENDGRID_HOST") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "Barnstorm <hello@barnstorm.example>")
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", "10"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))
    # A sender holds an outbox row this long; a killed sender's row is swept again after it.
    MAIL_CLAIM_SECONDS = int(os.environ.get("MAIL_CLAIM_SECONDS", "120"))
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; forms left open for hours still submit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Werkzeug's method for new password hashes (the method is stored in each hash, so old ones still check).
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 -- a method name, not a password
    PASSWORD_RESET_MAX_AGE = 60 * 60  # seconds
    ACCOUNT_CONFIRM_MAX_AGE = 3 * 24 * 60 * 60  # seconds; logging in to an unconfirmed account sends a new link
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "5"))
    TRUSTED_HOSTS = [h for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h] or None
    # The site's address for email links. Production refuses to start without it; in development,
    # unset means "the address the app is being served on" (app/links.py).
    PUBLIC_URL = os.environ.get("PUBLIC_URL") or None
    # Reverse proxies in front of the app (sets X-Forwarded-For); rate limits count per client address.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    # Rate limits (Flask-Limiter, app/security.py). Counters go to RATELIMIT_STORAGE_URI, else to
    # REDIS_URL so every gunicorn worker and host counts together, else memory:// (one process).
    # If the store is down, requests go through, counted in memory: the limiter never takes the site down.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or None
    RATELIMIT_STRATEGY = "moving-window"
    # Failed log-ins from one address (any account), and against one account (from any address):
    # the per-account limit is looser so a stranger cannot easily lock a volunteer out.
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "10 per 15 minutes")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "30 per hour")
    # Failed log-ins against one account from one address. The per-account limit above does not
    # apply on a device the owner logged in from before (a signed cookie, app/security.py), so
    # strangers cannot lock the owner out; this one still stops guessing from that device.
    LOGIN_LIMIT_PER_ADDRESS_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ADDRESS_ACCOUNT", "10 per hour")
    # Reset requests: each one sends an email, so this also stops mail-bombing an address.
    RESET_LIMIT_PER_ADDRESS = os.environ.get("RESET_LIMIT_PER_ADDRESS", "10 per hour")
    RESET_LIMIT_PER_ACCOUNT = os.environ.get("RESET_LIMIT_PER_ACCOUNT", "3 per hour")  # per account and address
    # Sign-ups send an email too (a confirmation link, or "you already have an account").
    REGISTER_LIMIT_PER_ADDRESS = os.environ.get("REGISTER_LIMIT_PER_ADDRESS", "10 per hour")
    REGISTER_LIMIT_PER_ACCOUNT = os.environ.get("REGISTER_LIMIT_PER_ACCOUNT", "3 per hour")
    # Skills first: skills * 0.5 (the share earned only by meeting every level) > affinity.
    MATCH_WEIGHTS = {
        "skills": 0.45,
        "affinity": 0.18,
        "availability": 0.14,
        "reliability": 0.13,
        "fairness": 0.05,
        "interest": 0.05,
    }
    MATCH_TOP_K = 50
    # Seconds each worker keeps page data that is the same for every staffer (app/page_cache.py);
    # a commit in the same worker that touches the data drops it at once. 0 turns a key off.
    PAGE_CACHE_SECONDS = {"staff_overview": 60, "health_board": 30, "portfolio_totals": 60, "portfolio_details": 60,
                          "portfolio_bodies": 60, "match_ranking": 60}
    # Staff may read queued email bodies (signed links included) only in development.
    OUTBOX_SHOW_BODIES = False
    # `flask seed demo|synthetic` create accounts with a published password (app/seed/).
    ALLOW_DEMO_ACCOUNTS = True
    # The organisations' API (app/api/) and webhooks (app/webhooks/).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per minute")  # per API key
    WEBHOOK_CLAIM_SECONDS = int(os.environ.get("WEBHOOK_CLAIM_SECONDS", "60"))  # > the 10 s HTTP timeout
    # Webhooks never go to loopback/private/link-local addresses (SSRF), except these CIDRs (comma-separated).
    WEBHOOK_ALLOWED_NETWORKS = [n for n in os.environ.get("WEBHOOK_ALLOWED_NETWORKS", "").split(",") if n.strip()]


class DevelopmentConfig(Config):
    DEBUG = False
    OUTBOX_SHOW_BODIES = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105 -- tests only; ProductionConfig.check() refuses a built-in secret
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    REDIS_URL = None  # jobs in-process unless a test asks for Redis (TEST_REDIS_URL)
    SENDGRID_API_KEY = None
    PUBLIC_URL = "http://localhost"
    # Tests log in hundreds of times from one address; the rate-limit tests turn this back on.
    RATELIMIT_ENABLED = False
    # Off: tests read pages right after changing rows outside a request (tests/integration/test_page_cache.py turns it on).
    PAGE_CACHE_SECONDS = {}
    OUTBOX_SHOW_BODIES = True
    # One PBKDF2 round: a log-in in the suite costs microseconds instead of scrypt's ~0.25 s.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # noqa: S105 -- a method name
    # The webhook receiver tests listen on loopback.
    WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    ALLOW_DEMO_ACCOUNTS = os.environ.get("BARNSTORM_ALLOW_DEMO") == "1"

    @classmethod
    def check(cls):
        """Refuse to start production on a setting that would fail quietly or be unsafe."""
        problems = production_problems(cls)
        if problems:
            raise RuntimeError("Refusing to start in production: " + "; ".join(problems))


# Secrets that have been published (ours, the docs' examples): a key an attacker can guess lets
# them forge invitation, reset and calendar links.
KNOWN_SECRETS = {
    "dev-only-not-secret", "testing-secret", "secret", "changeme", "change-me", "dev", "development",
    "secret-key", "your-secret-key", "...", "x",
}
MIN_SECRET_LENGTH = 32


def production_problems(cfg):
    """Each unsafe production setting as a sentence naming it (empty when all is well)."""
    problems = []
    secret = getattr(cfg, "SECRET_KEY", None) or ""
    if secret in KNOWN_SECRETS:
        problems.append("SECRET_KEY is unset or a published default: set a long random value")
    elif len(secret) < MIN_SECRET_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters: "
                        "use e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`")
    if not getattr(cfg, "SENDGRID_API_KEY", None):
        problems.append("SENDGRID_API_KEY is unset: production would write emails (reset links too) to the log")
    public_url = getattr(cfg, "PUBLIC_URL", None) or ""
    if not public_url.startswith(("https://", "http://")):
        problems.append("PUBLIC_URL is unset: every emailed link would be dead (e.g. https://barnstorm.example)")
    return problems


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
