"""A volunteer reads an opportunity and opts in or declines — from the dashboard or the email link."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.errors.domain import DomainError
from app.extensions import db
from app.models import Invitation
from app.opportunities import page, services
from app.opportunities.forms import RespondForm
from app.opportunities.tokens import read_invitation_token
from app.permissions import volunteer_required

bp = Blueprint("opportunities", __name__)


@bp.route("/<int:invitation_id>", methods=["GET", "POST"])
@volunteer_required
def show(invitation_id):
    here = url_for("opportunities.show", invitation_id=invitation_id)
    profile = current_user.volunteer_profile
    volunteer_id = profile.id if profile is not None else None
    if request.method == "GET":  # reading: rows only (app/opportunities/page.py)
        return _render(page.opportunity(invitation_id, volunteer_id), RespondForm(), here)
    invitation = services.invitation_for_volunteer(invitation_id, current_user)
    if invitation is None:
        abort(404)
    return _answer(invitation, invitation.volunteer.user, volunteer_id, here)


@bp.route("/link/<token>", methods=["GET", "POST"])
def by_link(token):
    """The signed link from the email works without logging in, for this one invitation only."""
    ids = read_invitation_token(token)
    here = url_for("opportunities.by_link", token=token)
    if request.method == "GET":
        data = page.opportunity(ids[0], ids[1]) if ids else None
        if data is not None:
            return _render(data, RespondForm(), here)
        invitation = None
    else:
        invitation = db.session.get(Invitation, ids[0]) if ids else None
    if invitation is None or invitation.volunteer_id != ids[1]:
        flash("This link is not valid any more. Log in to see your open opportunities.", "error")
        return redirect(url_for("auth.login"))
    return _answer(invitation, invitation.volunteer.user, invitation.volunteer_id, here)


def _answer(invitation, user, volunteer_id, here):
    form = RespondForm()
    if not form.validate_on_submit():  # the page again, with the form's errors
        return _render(page.opportunity(invitation.id, volunteer_id), form, here)
    try:
        if form.answer.data == "accept":
            membership = services.accept(invitation, user)
            flash(services.joined_message(membership), "success")
        else:
            services.decline(invitation, user, form.reason.data, category=form.category.data)
            flash("Thanks for letting us know. We'll keep looking for a better fit.", "info")
    except DomainError as err:
        flash(err.message, "error")
    return redirect(here)


def _render(data, form, here):
    if data is None:
        abort(404)
    return render_template("opportunities/show.html", form=form, action=here, **data)
