"""A partner's own members: invitations, roles, leaving, handing ownership over (pages shared with
campaign teams, app/orgs/team_views.py). Members see the team; owners change it."""
from flask import Blueprint
from flask_login import current_user

from app.orgs import team_views
from app.partners.team import PARTNER
from app.permissions import partner_or_404, partner_owner_or_403, partner_role, roles_required

bp = Blueprint("partner_team", __name__)
PAGES = team_views.TeamPages(PARTNER, "partner_team", "partner_id", "partners.portfolio", "partners.index")


@bp.route("/<int:partner_id>/team")
@roles_required("campaign", "staff")
def members(partner_id):
    partner = partner_or_404(partner_id, current_user)
    return team_views.page(PAGES, partner, partner_role(current_user, partner.id))


@bp.route("/<int:partner_id>/team/invite", methods=["POST"])
@roles_required("campaign")
def invite(partner_id):
    return team_views.invite(PAGES, partner_owner_or_403(partner_id, current_user))


@bp.route("/<int:partner_id>/team/invitations/<int:invite_id>/withdraw", methods=["POST"])
@roles_required("campaign")
def withdraw(partner_id, invite_id):
    return team_views.withdraw(PAGES, partner_owner_or_403(partner_id, current_user), invite_id)


@bp.route("/<int:partner_id>/team/<int:member_id>/role", methods=["POST"])
@roles_required("campaign")
def change_role(partner_id, member_id):
    return team_views.change_role(PAGES, partner_owner_or_403(partner_id, current_user), member_id)


@bp.route("/<int:partner_id>/team/<int:member_id>/remove", methods=["POST"])
@roles_required("campaign")
def remove(partner_id, member_id):
    partner = partner_or_404(partner_id, current_user)
    return team_views.remove(PAGES, partner, member_id, partner_role(current_user, partner_id))


@bp.route("/<int:partner_id>/team/hand-over", methods=["POST"])
@roles_required("campaign")
def hand_over(partner_id):
    return team_views.hand_over(PAGES, partner_owner_or_403(partner_id, current_user))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token):
    return team_views.join(PAGES, token)
