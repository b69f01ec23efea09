"""Volunteers browse projects that are recruiting and raise a hand on one."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.errors.domain import DomainError
from app.extensions import db
from app.interest import services
from app.interest.forms import BrowseForm
from app.models import Cause, Skill
from app.permissions import volunteer_required
from app.places import us_states

bp = Blueprint("interest", __name__)


@bp.route("/")
@volunteer_required
def browse():
    form = BrowseForm(request.args)
    form.skill.choices = [(0, "Any skill")] + [(s.id, s.name) for s in db.session.scalars(db.select(Skill).order_by(Skill.name))]
    form.cause.choices = [(0, "Any cause")] + [(c.id, c.name) for c in db.session.scalars(db.select(Cause).order_by(Cause.name))]
    form.state.choices = [("", "Any state")] + [(code, name) for code, name in us_states()]
    projects = []
    if form.validate():
        projects = services.browse(current_user, skill_id=form.skill.data or None, max_hours=form.hours.data,
                                   max_weeks=form.weeks.data, state=form.state.data or "",
                                   cause_id=form.cause.data or None, near_me=form.near_me.data)
    return render_template("interest/browse.html", form=form, projects=projects, query=request.query_string.decode())


@bp.route("/<int:project_id>/hand", methods=["POST"])
@volunteer_required
def toggle_hand(project_id):
    try:
        if request.form.get("action") == "lower":
            services.lower_hand(current_user, project_id)
            flash("Your hand is lowered.", "info")
        else:
            services.raise_hand(current_user, project_id)
            flash("Hand raised: staff see it when they match volunteers to this project.", "success")
    except DomainError as err:
        flash(err.message, "error")
    back = request.form.get("back", "")
    return redirect(url_for("interest.browse") + ("?" + back if back else ""))
