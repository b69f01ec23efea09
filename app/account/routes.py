"""Your own account page: download your data, close your account."""
import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from app.account import services
from app.account.forms import CloseAccountForm
from app.errors.domain import DomainError, attach_error
from app.orgs import consent
from app.safety import safe_next_url

bp = Blueprint("account", __name__)


@bp.route("/")
@login_required
def index():
    profile = current_user.volunteer_profile if current_user.role == "volunteer" else None
    return render_template("account/index.html", form=CloseAccountForm(), teams=_teams(),
                           consent_rows=consent.projects_to_decide(profile) if profile else None)


@bp.route("/data.json")
@login_required
def download():
    body = json.dumps(services.export_data(current_user), indent=2, ensure_ascii=False)
    resp = Response(body, mimetype="application/json")
    resp.headers["Content-Disposition"] = f'attachment; filename="barnstorm-data-{current_user.id}.json"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/close", methods=["POST"])
@login_required
def close():
    form = CloseAccountForm()
    if form.validate_on_submit():
        try:
            services.close_account(current_user._get_current_object(), form.password.data,
                                   leave_teams=form.leave_teams.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            logout_user()
            flash("Your account is closed. Thank you for everything you did for campaigns.", "info")
            return redirect(url_for("main.index"))
    return render_template("account/index.html", form=form, teams=_teams()), 400


def _teams():
    return services.teams_to_leave(current_user) if current_user.role == "volunteer" else []


@bp.route("/calendar-feed/rotate", methods=["POST"])
@login_required
def rotate_calendar_feed():
    """New private calendar addresses; the old ones stop working (a shared or leaked link)."""
    from flask_wtf import FlaskForm

    from app.teams.calendar_feed import rotate_feed_addresses

    if FlaskForm().validate_on_submit():
        rotate_feed_addresses(current_user._get_current_object())
        flash("Your calendar addresses are new: the old ones no longer work. "
              "Subscribe again with the address below.", "success")
    return redirect(safe_next_url(request.form.get("next")) or url_for("account.index"))
