"""A campaign's own team: members, invitations, roles, leaving and handing ownership over.

The routes and pages are shared with partners' teams (app/orgs/team_views.py); here: who may do what,
and accepting an invitation from the dashboard.
"""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from app.campaigns import team
from app.campaigns.team_forms import ConfirmForm
from app.errors.domain import DomainError
from app.extensions import db
from app.models import CampaignInvitation
from app.orgs import team_views
from app.permissions import campaign_or_404, campaign_owner_or_403, campaign_role

bp = Blueprint("campaign_team", __name__)
PAGES = team_views.TeamPages(team.CAMPAIGN, "campaign_team", "campaign_id", "campaigns.show", "campaigns.dashboard")
team_views.add_routes(bp, PAGES, see=campaign_or_404, own=campaign_owner_or_403, role_of=campaign_role)


@bp.route("/invitations/<int:invite_id>/accept", methods=["POST"])
@login_required
def accept(invite_id):
    """Accept from the dashboard: the invitation must be addressed to the logged-in account's email."""
    invitation = db.session.get(CampaignInvitation, invite_id)
    if invitation is None or invitation.email != current_user.email.lower():
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            team.accept_invitation(current_user, invitation)
        except DomainError as err:
            flash(err.message, "error")
            return redirect(url_for("main.dashboard"))
        flash(f"Welcome to {invitation.campaign.name}'s team.", "success")
        return redirect(url_for("campaigns.show", campaign_id=invitation.campaign_id))
    return redirect(url_for("main.dashboard"))
