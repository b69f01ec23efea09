"""The volunteer's page of contact choices, one per ended project."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.campaigns.team_forms import ConfirmForm
from app.errors.domain import DomainError
from app.orgs import consent
from app.permissions import volunteer_required

bp = Blueprint("consent", __name__)
bp.app_template_global()(consent.contact_visible_ids)


@bp.route("/")
@volunteer_required
def choices():
    return render_template("orgs/consent.html", rows=consent.projects_to_decide(current_user.volunteer_profile),
                           form=ConfirmForm())


@bp.route("/<int:project_id>", methods=["POST"])
@volunteer_required
def decide(project_id):
    if ConfirmForm().validate_on_submit():
        try:
            consent.decide(current_user, project_id, request.form.get("granted") == "yes")
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash("Saved. You can change this at any time.", "success")
    return redirect(url_for("consent.choices"))
