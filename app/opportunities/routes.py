"""A volunteer reads an opportunity and opts in or declines — from the dashboard or the email link."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.errors.domain import DomainError
from app.extensions import db
from app.models import Invitation
from app.opportunities import services
from app.opportunities.forms import RespondForm
from app.opportunities.tokens import read_invitation_token
from app.permissions import volunteer_required

bp = Blueprint("opportunities", __name__)


@bp.route("/<int:invitation_id>", methods=["GET", "POST"])
@volunteer_required
def show(invitation_id):
    invitation = services.invitation_for_volunteer(invitation_id, current_user)
    if invitation is None:
        abort(404)
    return _page(invitation, invitation.volunteer.user, url_for("opportunities.show", invitation_id=invitation.id))


@bp.route("/link/<token>", methods=["GET", "POST"])
def by_link(token):
    """The signed link from the email works without logging in, for this one invitation only."""
    ids = read_invitation_token(token)
    invitation = db.session.get(Invitation, ids[0], options=services.OPPORTUNITY_LOAD) if ids else None
    if invitation is None or invitation.volunteer_id != ids[1]:
        flash("This link is not valid any more. Log in to see your open opportunities.", "error")
        return redirect(url_for("auth.login"))
    return _page(invitation, invitation.volunteer.user, url_for("opportunities.by_link", token=token))


def _page(invitation, user, here):
    form = RespondForm()
    if form.validate_on_submit():
        try:
            if form.answer.data == "accept":
                membership = services.accept(invitation, user)
                flash(services.joined_message(membership), "success")
            else:
                services.decline(invitation, user, form.reason.data)
                flash("Thanks for letting us know. We'll keep looking for a better fit.", "info")
        except DomainError as err:
            flash(err.message, "error")
        return redirect(here)
    if services.expire_if_due(invitation):
        db.session.commit()
    project = invitation.project
    return render_template(
        "opportunities/show.html",
        invitation=invitation,
        project=project,
        team=services.team_so_far(project),
        membership=services.membership_for(invitation),
        form=form,
        action=here,
    )
