"""A partner's own members: invitations, roles, leaving, handing ownership over. The routes and pages
are the campaign team's (app/orgs/team_views.py); members and staff see the team, owners change it."""
from flask import Blueprint, url_for

from app import tokens
from app.models import Partner, PartnerInvitation, PartnerMember
from app.orgs import team_views, teams
from app.permissions import partner_or_404, partner_owner_or_403, partner_role

PARTNER = teams.TeamKind("partner", Partner, PartnerMember, PartnerInvitation, tokens.PARTNER_INVITATION,
                         "partner_team.join", "partner_invitation")

bp = Blueprint("partner_team", __name__)
PAGES = team_views.TeamPages(PARTNER, "partner_team", "partner_id", "partners.portfolio", "partners.index")
team_views.add_routes(bp, PAGES, see=partner_or_404, own=partner_owner_or_403, role_of=partner_role)


@bp.app_template_global()
def partner_invitations_for(user):
    """(invitation, join link) for the open partner invitations addressed to `user`: shown on the dashboard
    beside campaign invitations, for someone who signed up after the email came."""
    return [(inv, url_for("partner_team.join", token=teams.make_token(PARTNER, inv)))
            for inv in teams.invitations_for_user(PARTNER, user)]
