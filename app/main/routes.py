"""The landing page and the role-based dashboard switch."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    target = {
        "volunteer": "volunteers.dashboard",
        "campaign": "campaigns.dashboard",
        "staff": "staff.dashboard",
        "admin": "staff.dashboard",
    }[current_user.role]
    return redirect(url_for(target))


@bp.route("/healthz")
def health():
    from app.health import health_report, processes_missing

    report, ok = health_report()
    if request.args.get("processes") == "required" and processes_missing(report):
        ok = False
    return report, 200 if ok else 503
