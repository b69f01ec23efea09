"""Staff's volunteer pool: the directory, a volunteer's full profile, inviting from it."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.errors.domain import DomainError
from app.leads.forms import NoteForm, ReasonForm
from app.permissions import staff_required
from app.pool import directory, profile as profiles

bp = Blueprint("pool", __name__)


@bp.route("/")
@staff_required
def directory_page():
    filters = directory.parse_filters(request.args)
    return render_template(
        "pool/directory.html", page=directory.search(filters), f=filters, skills=directory.skill_options(),
        active_within=directory.ACTIVE_WITHIN,
    )


@bp.route("/<int:volunteer_id>")
@staff_required
def profile(volunteer_id):
    found = profiles.profile_or_none(volunteer_id)
    if found is None:
        abort(404)
    return render_template("pool/profile.html", note_form=NoteForm(), reason_form=ReasonForm(),
                           **profiles.staff_view(found))


@bp.route("/<int:volunteer_id>/invite", methods=["POST"])
@staff_required
def invite(volunteer_id):
    found = profiles.profile_or_none(volunteer_id)
    if found is None:
        abort(404)
    try:
        invitation = profiles.invite_to_project(current_user, found, request.form.get("project_id", type=int))
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(f"{found.user.name} is invited to {invitation.project.title}.", "success")
    return redirect(url_for("pool.profile", volunteer_id=volunteer_id))


@bp.route("/lead-of/<int:project_id>")
@staff_required
def lead_of_project(project_id):
    """From the health board (which lists leads by name): the project's lead's profile."""
    volunteer_id = profiles.active_lead_of(project_id)
    if volunteer_id is None:
        abort(404)
    return redirect(url_for("pool.profile", volunteer_id=volunteer_id))
