"""A campaign's own team: members, invitations, roles, leaving and handing ownership over.

The pages are shared with partners' teams (app/orgs/team_views.py); here: who may do what.
"""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user, login_required

from app.campaigns import team
from app.campaigns.team_forms import ConfirmForm
from app.errors.domain import DomainError
from app.extensions import db
from app.models import CampaignInvitation
from app.orgs import team_views
from app.permissions import campaign_or_404, campaign_owner_or_403, campaign_role, roles_required

bp = Blueprint("campaign_team", __name__)
PAGES = team_views.TeamPages(team.CAMPAIGN, "campaign_team", "campaign_id", "campaigns.show", "campaigns.dashboard")


@bp.route("/<int:campaign_id>/team")
@roles_required("campaign", "staff")
def members(campaign_id):
    campaign = campaign_or_404(campaign_id, current_user)
    return team_views.page(PAGES, campaign, campaign_role(current_user, campaign.id))


@bp.route("/<int:campaign_id>/team/invite", methods=["POST"])
@roles_required("campaign")
def invite(campaign_id):
    return team_views.invite(PAGES, campaign_owner_or_403(campaign_id, current_user))


@bp.route("/<int:campaign_id>/team/invitations/<int:invite_id>/withdraw", methods=["POST"])
@roles_required("campaign")
def withdraw(campaign_id, invite_id):
    return team_views.withdraw(PAGES, campaign_owner_or_403(campaign_id, current_user), invite_id)


@bp.route("/<int:campaign_id>/team/<int:member_id>/role", methods=["POST"])
@roles_required("campaign")
def change_role(campaign_id, member_id):
    return team_views.change_role(PAGES, campaign_owner_or_403(campaign_id, current_user), member_id)


@bp.route("/<int:campaign_id>/team/<int:member_id>/remove", methods=["POST"])
@roles_required("campaign")
def remove(campaign_id, member_id):
    campaign = campaign_or_404(campaign_id, current_user)
    return team_views.remove(PAGES, campaign, member_id, campaign_role(current_user, campaign_id))


@bp.route("/<int:campaign_id>/team/hand-over", methods=["POST"])
@roles_required("campaign")
def hand_over(campaign_id):
    return team_views.hand_over(PAGES, campaign_owner_or_403(campaign_id, current_user))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token):
    return team_views.join(PAGES, token)


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
