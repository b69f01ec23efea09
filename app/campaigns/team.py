"""A campaign's own staff on Barnstorm: inviting colleagues, roles, leaving, handing ownership over.

The campaign's record (requests, approvals, acknowledgements, ratings) belongs to the campaign, not
to the person who did it: removing a member deletes only their membership row, never their work.
A campaign always keeps at least one owner. The rules that could race (two owners stepping down at
once) run under the campaign row's lock (PostgreSQL) or SQLite's write lock, then re-count owners.
"""
from datetime import timedelta


from app import audit, tokens
from app.auth.services import normalise_email
from app.errors.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import Campaign, CampaignInvitation, CampaignMember, User
from app.models.base import utcnow
from app.models.campaigns import MEMBER_ROLES
from app.sqlite_tuning import write_transaction

INVITATION_DAYS = 7



def make_token(invitation):
    """The signed link's token: it names the invitation and the address it was sent to."""
    return tokens.sign(tokens.CAMPAIGN_INVITATION, {"i": invitation.id, "e": invitation.email})


def invitation_for_token(token):
    """The invitation a token names, or None when tampered with or older than an invitation lives."""
    data = tokens.unsign(tokens.CAMPAIGN_INVITATION, token, max_age=(INVITATION_DAYS + 1) * 86400)
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    invitation = db.session.get(CampaignInvitation, data["i"])
    if invitation is None or invitation.email != data.get("e"):
        return None
    return invitation


def members_of(campaign):
    """The campaign's members, owners first."""
    return list(db.session.scalars(
        db.select(CampaignMember).join(User, User.id == CampaignMember.user_id)
        .where(CampaignMember.campaign_id == campaign.id)
        .order_by(CampaignMember.role.desc(), User.name, CampaignMember.id)
    ))


def open_invitations(campaign, now=None):
    now = now or utcnow()
    return list(db.session.scalars(
        db.select(CampaignInvitation).where(
            CampaignInvitation.campaign_id == campaign.id, CampaignInvitation.accepted_at.is_(None),
            CampaignInvitation.withdrawn_at.is_(None), CampaignInvitation.expires_at > now,
        ).order_by(CampaignInvitation.created_at)
    ))


def invitations_for_user(user, now=None):
    """Open invitations addressed to this person's email (shown on their dashboard after sign-up)."""
    now = now or utcnow()
    return list(db.session.scalars(
        db.select(CampaignInvitation).where(
            CampaignInvitation.email == user.email, CampaignInvitation.accepted_at.is_(None),
            CampaignInvitation.withdrawn_at.is_(None), CampaignInvitation.expires_at > now,
        ).order_by(CampaignInvitation.created_at)
    ))


def membership(campaign_id, user_id):
    return db.session.scalar(
        db.select(CampaignMember).where(CampaignMember.campaign_id == campaign_id, CampaignMember.user_id == user_id)
    )


def invite_colleague(owner, campaign, email, role="member", now=None):
    """Email a signed, expiring link inviting `email` to the campaign's staff."""
    if role not in MEMBER_ROLES:
        raise DomainError("Choose owner or member.", field="role")
    email = normalise_email(email or "")
    if "@" not in email:
        raise DomainError("Enter an email address.", field="email")
    existing = db.session.scalar(db.select(User).where(User.email == email))
    if existing is not None and membership(campaign.id, existing.id) is not None:
        raise DomainError(f"{email} is already on this campaign's team.", field="email")
    now = now or utcnow()
    if any(i.email == email for i in open_invitations(campaign, now)):
        raise DomainError(f"{email} already has an open invitation; it works for {INVITATION_DAYS} days.",
                          field="email")
    invitation = CampaignInvitation(campaign_id=campaign.id, email=email, role=role, invited_by_id=owner.id,
                                    created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS))
    db.session.add(invitation)
    db.session.flush()
    link = external_url("campaign_team.join", token=make_token(invitation))
    subject, text = render_message("campaign_invitation", invitation=invitation, campaign=campaign,
                                   owner=owner, link=link)
    queue_email(f"campaign-invite:{invitation.id}", email, subject, text, category="campaign")
    audit.record(owner, "campaign.member_invited", campaign, email=email, role=role, invitation_id=invitation.id)
    db.session.commit()
    return invitation


def withdraw_invitation(owner, campaign, invitation_id, now=None):
    invitation = db.session.get(CampaignInvitation, invitation_id)
    if invitation is None or invitation.campaign_id != campaign.id or not invitation.is_open(now):
        raise DomainError("That invitation is no longer open.")
    invitation.withdrawn_at = now or utcnow()
    audit.record(owner, "campaign.invitation_withdrawn", campaign, email=invitation.email)
    db.session.commit()


def accept_invitation(user, invitation, now=None):
    """`user` joins the campaign with the invitation's role. Accepting twice is harmless."""
    now = now or utcnow()
    if invitation.accepted_at is not None and invitation.accepted_by_id == user.id:
        return membership(invitation.campaign_id, user.id)
    if not invitation.is_open(now):
        raise DomainError("This invitation has expired or was withdrawn. Ask the campaign for a new one.")
    if user.role != "campaign":
        raise DomainError("Campaign teams are for campaign accounts. Log in with (or sign up for) a campaign "
                          "account using the invited address.")
    if normalise_email(user.email) != invitation.email:
        raise DomainError(f"This invitation was sent to {invitation.email}. Log in with that address to accept it.")
    write_transaction()
    # Single use, even with two tabs: only the first conditional update finds the row open.
    taken = db.session.execute(
        db.update(CampaignInvitation)
        .where(CampaignInvitation.id == invitation.id, CampaignInvitation.accepted_at.is_(None))
        .values(accepted_at=now, accepted_by_id=user.id)
    ).rowcount
    member = membership(invitation.campaign_id, user.id)
    if taken and member is None:
        member = CampaignMember(campaign_id=invitation.campaign_id, user_id=user.id, role=invitation.role)
        db.session.add(member)
        db.session.flush()
        audit.record(user, "campaign.member_joined", invitation.campaign, role=invitation.role,
                     invitation_id=invitation.id)
    db.session.commit()
    if member is None:
        raise DomainError("This invitation was already used.")
    return member


def _lock_campaign(campaign_id):
    """Serialise changes to one campaign's owners: SQLite's write lock, the campaign row's lock on PostgreSQL."""
    write_transaction()
    db.session.execute(db.select(Campaign.id).where(Campaign.id == campaign_id).with_for_update())


def _owner_count(campaign_id):
    return db.session.scalar(
        db.select(db.func.count(CampaignMember.id))
        .where(CampaignMember.campaign_id == campaign_id, CampaignMember.role == "owner")
    )


def _member_or_error(campaign_id, member_id):
    member = db.session.get(CampaignMember, member_id)
    if member is None or member.campaign_id != campaign_id:
        raise DomainError("That person is not on this campaign's team.")
    db.session.refresh(member)  # read after the lock: another owner may just have changed it
    return member


def change_role(owner, campaign, member_id, role):
    """Make a member an owner or an owner a member; the last owner cannot step down."""
    if role not in MEMBER_ROLES:
        raise DomainError("Choose owner or member.", field="role")
    campaign_id = campaign.id
    _lock_campaign(campaign_id)
    member = _member_or_error(campaign_id, member_id)
    if member.role == role:
        db.session.commit()
        return member
    if member.role == "owner" and _owner_count(campaign_id) <= 1:
        db.session.rollback()
        raise DomainError("A campaign always keeps an owner: make someone else owner first.", field="role")
    member.role = role
    audit.record(owner, "campaign.member_role_changed", member.campaign, user_id=member.user_id, role=role)
    db.session.commit()
    return member


def remove_member(actor, campaign, member_id):
    """Take someone off the campaign's team (an owner removing a colleague, or anyone leaving).

    Only the membership goes: what they did for the campaign stays in the campaign's record.
    """
    campaign_id = campaign.id
    _lock_campaign(campaign_id)
    member = _member_or_error(campaign_id, member_id)
    if member.role == "owner" and _owner_count(campaign_id) <= 1:
        db.session.rollback()
        raise DomainError("A campaign always keeps an owner: hand ownership to a colleague before leaving.")
    user_id = member.user_id
    db.session.delete(member)
    action = "campaign.member_left" if actor.id == user_id else "campaign.member_removed"
    audit.record(actor, action, db.session.get(Campaign, campaign_id), user_id=user_id)
    db.session.commit()


def hand_over(owner, campaign, member_id, leave=False):
    """Make a colleague owner; with `leave`, the handing-over owner then leaves the campaign."""
    campaign_id = campaign.id
    _lock_campaign(campaign_id)
    member = _member_or_error(campaign_id, member_id)
    if member.user_id == owner.id:
        db.session.rollback()
        raise DomainError("Choose a colleague to hand ownership to.", field="member_id")
    member.role = "owner"
    audit.record(owner, "campaign.ownership_handed_over", member.campaign, to_user_id=member.user_id)
    mine = membership(campaign_id, owner.id)
    if leave and mine is not None:
        db.session.delete(mine)
        audit.record(owner, "campaign.member_left", member.campaign, user_id=owner.id)
    db.session.commit()
    return member


def campaigns_left_without_owner(user):
    """Campaigns where `user` is the only owner while colleagues remain: they must hand over before leaving."""
    from sqlalchemy.orm import aliased

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
