"""Everyone's notification list and settings."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.notifications import inbox
from app.notifications.forms import settings_form
from app.notifications.kinds import KINDS

bp = Blueprint("notifications", __name__)


def _safe_local(link):
    """Only follow links into this site: a notification's link is ours, but never trust a URL blindly."""
    parts = urlsplit(link or "")
    if not link or parts.scheme or parts.netloc:
        path = parts.path if parts.path.startswith("/") and not parts.path.startswith("//") else ""
        return path or url_for("notifications.index")
    return link


@bp.route("/")
@login_required
def index():
    page = inbox.page_of(current_user, page=request.args.get("page", 1, type=int))
    return render_template("notifications/index.html", page=page, kinds=KINDS)


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id):
    note = inbox.own(current_user, notification_id)
    if note is None:
        return render_template("errors/404.html"), 404
    inbox.mark_read(current_user, note)
    if request.form.get("open"):
        return redirect(_safe_local(note.link))
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    n = inbox.mark_all_read(current_user)
    flash(f"Marked {n} notification{'s' if n != 1 else ''} as read." if n else "Nothing was unread.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    current = inbox.preferences(current_user)
    form = settings_form(current, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        inbox.save_preferences(current_user, {name: getattr(form, name).data for name in KINDS if hasattr(form, name)})
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.settings"))
    fixed = [kind for kind in KINDS.values() if kind.transactional]
    return render_template("notifications/settings.html", form=form, fixed=fixed)
