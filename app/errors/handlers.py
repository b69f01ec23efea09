"""Helpful error pages."""
import logging

from flask import current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from app.errors.domain import Forbidden, NotFound
from app.extensions import db

log = logging.getLogger(__name__)


def register_error_handlers(app):
    @app.errorhandler(400)
    def bad_request(err):
        return render_template("errors/400.html", error=err), 400

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return render_template("errors/400.html", error=err, csrf=True), 400

    # app/permissions.py raises our own Forbidden/NotFound (no Flask in the rules); they get the same
    # pages as abort(403)/abort(404) so a refusal looks the same wherever it was decided.
    @app.errorhandler(403)
    @app.errorhandler(Forbidden)
    def forbidden(err):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    @app.errorhandler(NotFound)
    def not_found(err):
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def not_allowed(err):
        return render_template("errors/404.html"), 405

    @app.errorhandler(413)
    def too_large(err):
        return render_template("errors/400.html", error=err, too_large=True), 413

    @app.errorhandler(OperationalError)
    def database_down(err):
        log.error("database unavailable on %s: %s", request.path, err)
        try:
            db.session.rollback()  # the transaction is gone with the connection; nothing was written
        except Exception:  # pragma: no cover - a dead connection may refuse even this
            db.session.remove()
        # Rendered straight from the Jinja environment: render_template would run the context
        # processors, and Flask-Login's would load the user from the database that is down.
        page = current_app.jinja_env.get_template("errors/503.html").render()
        return page, 503, {"Retry-After": "30"}

    @app.errorhandler(500)
    def server_error(err):
        db.session.rollback()
        return render_template("errors/500.html"), 500
