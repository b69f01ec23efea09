"""A partner organisation's own members: the rules of app/orgs/teams.py bound to partners.

Members invite colleagues by a signed, expiring link; a partner always keeps at least one owner.
"""
from functools import partial

from app import tokens
from app.models import Partner, PartnerInvitation, PartnerMember
from app.orgs import teams

PARTNER = teams.TeamKind("partner", Partner, PartnerMember, PartnerInvitation, tokens.PARTNER_INVITATION,
                         "partner_team.join", "partner_invitation")

invite_colleague = partial(teams.invite, PARTNER)
accept_invitation = partial(teams.accept_invitation, PARTNER)
membership = partial(teams.membership, PARTNER)
change_role = partial(teams.change_role, PARTNER)
remove_member = partial(teams.remove_member, PARTNER)
hand_over = partial(teams.hand_over, PARTNER)
invitations_for_user = partial(teams.invitations_for_user, PARTNER)
