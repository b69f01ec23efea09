"""A campaign's own staff on Barnstorm: the rules of app/orgs/teams.py bound to campaigns.

The campaign's record (requests, approvals, acknowledgements, ratings) belongs to the campaign, not
to the person who did it; a campaign always keeps at least one owner (see app/orgs/teams.py).
"""
from functools import partial

from sqlalchemy.orm import aliased

from app import tokens
from app.extensions import db
from app.models import Campaign, CampaignInvitation, CampaignMember
from app.orgs import teams

CAMPAIGN = teams.TeamKind("campaign", Campaign, CampaignMember, CampaignInvitation, tokens.CAMPAIGN_INVITATION,
                          "campaign_team.join", "campaign_invitation")

make_token = partial(teams.make_token, CAMPAIGN)
invitation_for_token = partial(teams.invitation_for_token, CAMPAIGN)
invitations_for_user = partial(teams.invitations_for_user, CAMPAIGN)
membership = partial(teams.membership, CAMPAIGN)
invite_colleague = partial(teams.invite, CAMPAIGN)
withdraw_invitation = partial(teams.withdraw_invitation, CAMPAIGN)
accept_invitation = partial(teams.accept_invitation, CAMPAIGN)
change_role = partial(teams.change_role, CAMPAIGN)
remove_member = partial(teams.remove_member, CAMPAIGN)
hand_over = partial(teams.hand_over, CAMPAIGN)


def campaigns_left_without_owner(user):
    """Campaigns where `user` is the only owner while colleagues remain: they must hand over before leaving."""
    other = aliased(CampaignMember)
    owners = aliased(CampaignMember)
    sole_owner = (db.select(db.func.count(owners.id))
                  .where(owners.campaign_id == CampaignMember.campaign_id, owners.role == "owner")
                  .scalar_subquery())
    colleagues = (db.select(db.func.count(other.id))
                  .where(other.campaign_id == CampaignMember.campaign_id, other.user_id != user.id)
                  .scalar_subquery())
    return list(db.session.scalars(
        db.select(Campaign).join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .where(CampaignMember.user_id == user.id, CampaignMember.role == "owner", sole_owner == 1, colleagues > 0)
    ))
