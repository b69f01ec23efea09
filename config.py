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
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; forms left open for hours still submit
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PASSWORD_RESET_MAX_AGE = 60 * 60  # seconds
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "5"))
    TRUSTED_HOSTS = [h for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h] or None
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    MATCH_WEIGHTS = {
        "skills": 0.45,
        "affinity": 0.20,
        "availability": 0.15,
        "reliability": 0.15,
        "fairness": 0.05,
    }
    MATCH_TOP_K = 50


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    REDIS_URL = None  # jobs in-process unless a test asks for Redis (TEST_REDIS_URL)
    SENDGRID_API_KEY = None
    PUBLIC_URL = "http://localhost"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls):
        """Refuse to start production with the development secret."""
        if cls.SECRET_KEY == Config.__dict__["SECRET_KEY"] and not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
