"""A campaign's own staff on Barnstorm: the rules of app/orgs/teams.py bound to campaigns.

The campaign's record (requests, approvals, acknowledgements, ratings) belongs to the campaign, not
to the person who did it; a campaign always keeps at least one owner (see app/orgs/teams.py).
"""
from functools import partial

from app import tokens
from app.models import Campaign, CampaignInvitation, CampaignMember
from app.orgs import teams

CAMPAIGN = teams.TeamKind("campaign", Campaign, CampaignMember, CampaignInvitation, tokens.CAMPAIGN_INVITATION,
                          "campaign_team.join", "campaign_invitation")

make_token = partial(teams.make_token, CAMPAIGN)
invitation_for_token = partial(teams.invitation_for_token, CAMPAIGN)
membership = partial(teams.membership, CAMPAIGN)
invite_colleague = partial(teams.invite, CAMPAIGN)
withdraw_invitation = partial(teams.withdraw_invitation, CAMPAIGN)
accept_invitation = partial(teams.accept_invitation, CAMPAIGN)
change_role = partial(teams.change_role, CAMPAIGN)
remove_member = partial(teams.remove_member, CAMPAIGN)
hand_over = partial(teams.hand_over, CAMPAIGN)
