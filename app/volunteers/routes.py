"""Volunteer pages: dashboard and profile."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.errors.domain import DomainError, attach_error, attach_problems
from app.permissions import volunteer_required
from app.volunteers import services
from app.volunteers.forms import ProfileForm

bp = Blueprint("volunteers", __name__)


@bp.route("/")
@volunteer_required
def dashboard():
    return render_template("volunteers/dashboard.html", **services.dashboard(current_user))


@bp.route("/profile", methods=["GET", "POST"])
@volunteer_required
def edit_profile():
    profile = services.profile_for(current_user)
    form = ProfileForm(obj=profile) if request.method == "GET" else ProfileForm()
    form.causes.choices = [(c.id, c.name) for c in services.all_causes()]
    if request.method == "GET":
        form.name.data = current_user.name
        form.causes.data = [c.id for c in profile.causes]
    catalogue = services.skill_catalogue()
    levels = _posted_levels() if request.method == "POST" else {vs.skill_id: vs.level for vs in profile.skills}
    valid = form.validate_on_submit()
    if not valid and form.is_submitted():
        # The profile rules too (unknown cities, inverted dates), so every error shows at once.
        attach_problems(form, services.profile_problems(form.data))
    if valid:
        try:
            services.update_profile(current_user, form.data, levels)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("volunteers.dashboard"))
    return render_template("volunteers/profile.html", form=form, catalogue=catalogue, levels=levels)


@bp.route("/pause", methods=["POST"])
@volunteer_required
def toggle_pause():
    profile = services.profile_for(current_user)
    services.set_paused(current_user, not profile.paused)
    flash(
        "You are paused: no new opportunities until you resume." if profile.paused else "Welcome back: you can get opportunities again.",
        "info",
    )
    return redirect(url_for("volunteers.dashboard"))


def _posted_levels():
    levels = {}
    for key, value in request.form.items():
        if key.startswith("skill-") and value:
            try:
                levels[int(key[6:])] = int(value)
            except ValueError:
                continue
    return levels
