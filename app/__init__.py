"""Barnstorm: an assisted marketplace matching tech volunteers to political campaigns."""
import logging
import os
from pathlib import Path

from flask import Flask

from app.extensions import LazyMigrate, csrf, db, login_manager
from config import CONFIGS

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Build an app. `config` is a config name, a config class, or None for $BARNSTORM_ENV."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=os.environ.get("BARNSTORM_INSTANCE") or str(ROOT / "instance"),
    )
    from app.input_guard import install_input_guard

    install_input_guard(app)  # before any route is added: it changes the `int` converter
    if config is None:
        config = os.environ.get("BARNSTORM_ENV", "development")
    if isinstance(config, str):
        config = CONFIGS[config]
    app.config.from_object(config)
    if hasattr(config, "check"):
        config.check()
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    db.init_app(app)
    from app.sqlite_tuning import configure_sqlite

    with app.app_context():
        configure_sqlite(db.engine)
    LazyMigrate(app, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"

    from app import models  # noqa: F401  (registers every table)
    from app.auth.sessions import load_user

    login_manager.user_loader(load_user)

    from app.mail.dispatch import install_outbox_hooks

    install_outbox_hooks(app)
    from app.webhooks.events import install_webhook_hooks

    install_webhook_hooks(app)
    from app.page_cache import install_page_cache

    install_page_cache(app)
    from app.request_end import install as end_reads_with_commit

    end_reads_with_commit(app)

    _register_blueprints(app)

    from app.errors.handlers import register_error_handlers
    from app.security import init_rate_limits, register_security_headers, trust_proxies
    from app.templating import register_template_helpers

    register_error_handlers(app)
    register_security_headers(app)
    init_rate_limits(app)  # after the blueprints: it wraps the log-in and reset views
    trust_proxies(app)
    from app.api.routes import init_api

    init_api(app)  # after the error handlers and limiter: JSON errors and per-key limits on /api
    register_template_helpers(app)
    from app.links import remember_served_url

    remember_served_url(app)

    from app.cli import register_cli

    register_cli(app)
    return app


def _register_blueprints(app):
    from app.auth.routes import bp as auth_bp
    from app.main.routes import bp as main_bp
    from app.staff.routes import bp as staff_bp
    from app.volunteers.routes import bp as volunteers_bp
    from app.campaigns.routes import bp as campaigns_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(volunteers_bp, url_prefix="/volunteer")
    app.register_blueprint(campaigns_bp, url_prefix="/campaigns")
    app.register_blueprint(staff_bp, url_prefix="/staff")

    from app.scoping.routes import bp as scoping_bp

    app.register_blueprint(scoping_bp, url_prefix="/staff/scoping")

    from app.opportunities.routes import bp as opportunities_bp

    app.register_blueprint(opportunities_bp, url_prefix="/opportunities")

    from app.recruiting.routes import bp as recruiting_bp

    app.register_blueprint(recruiting_bp, url_prefix="/staff/recruiting")

    from app.mail.routes import bp as mail_bp

    app.register_blueprint(mail_bp, url_prefix="/staff/outbox")

    from app.teams.routes import bp as teams_bp

    app.register_blueprint(teams_bp, url_prefix="/teams")

    from app.account.routes import bp as account_bp

    app.register_blueprint(account_bp, url_prefix="/account")

    from app.notifications.routes import bp as notifications_bp

    app.register_blueprint(notifications_bp, url_prefix="/notifications")

    from app.leads.routes import bp as leads_bp
    from app.pool.routes import bp as pool_bp

    app.register_blueprint(leads_bp, url_prefix="/leads")
    app.register_blueprint(pool_bp, url_prefix="/staff/volunteers")

    from app.interest.routes import bp as interest_bp

    app.register_blueprint(interest_bp, url_prefix="/volunteer/projects")

    from app.campaigns.team_routes import bp as campaign_team_bp

    app.register_blueprint(campaign_team_bp, url_prefix="/campaigns")

    from app.api.routes import bp as api_bp
    from app.orgs.routes import bp as orgs_bp

    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(orgs_bp, url_prefix="/orgs")
    from app.orgs.consent_routes import bp as consent_bp

    app.register_blueprint(consent_bp, url_prefix="/volunteer/contacts")
    from app.partners.routes import bp as partners_bp

    app.register_blueprint(partners_bp, url_prefix="/partners")
    from app.partners.team_routes import bp as partner_team_bp

    app.register_blueprint(partner_team_bp, url_prefix="/partners")
    from app.orgs.export_routes import bp as exports_bp

    app.register_blueprint(exports_bp, url_prefix="/exports")
