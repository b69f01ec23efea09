"""A partner invites an existing campaign into its portfolio; the campaign's owners accept or
decline, and may leave later. (New campaigns come in through the referral link, app/partners/routes.py.)

The link row (PartnerCampaign) carries the state: invited -> active | declined; active -> declined
when the campaign leaves. Both sides are told (docs/NOTIFICATIONS.md: portfolio-*).
"""
from sqlalchemy.orm import contains_eager

from app import audit
from app.auth.services import normalise_email
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import PortfolioStatus, transition
from app.links import external_url
from app.models import Campaign, CampaignMember, Partner, PartnerCampaign, PartnerMember, User
from app.models.base import utcnow
from app.notifications import campaign_people, notify
from app.permissions import is_campaign_owner


def partner_people(partner_id):
    """The partner's own members (open accounts)."""
    return list(db.session.scalars(
        db.select(User).join(PartnerMember, PartnerMember.user_id == User.id)
        .where(PartnerMember.partner_id == partner_id, User.closed_at.is_(None)).order_by(PartnerMember.id)))


def invite_campaign(actor, partner, email, now=None):
    """Invite the campaigns run from `email` (as owner) into the portfolio. Returns the links invited."""
    now = now or utcnow()
    email = normalise_email(email or "")
    if "@" not in email:
        raise DomainError("Enter the email address of someone who runs the campaign.", field="email")
    owned = list(db.session.scalars(
        db.select(Campaign).join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .join(User, User.id == CampaignMember.user_id)
        .where(User.email == email, User.closed_at.is_(None), CampaignMember.role == "owner").order_by(Campaign.id)))
    if not owned:
        raise DomainError("No campaign on Barnstorm is run from that address. Send them your referral link "
                          "instead: a campaign registered through it joins your portfolio.", field="email")
    invited = []
    for campaign in owned:
        link = db.session.scalar(db.select(PartnerCampaign).where(
            PartnerCampaign.partner_id == partner.id, PartnerCampaign.campaign_id == campaign.id))
        if link is not None and link.status in (PortfolioStatus.ACTIVE, PortfolioStatus.INVITED):
            continue
        if link is None:
            link = PartnerCampaign(partner_id=partner.id, campaign_id=campaign.id, status=PortfolioStatus.INVITED,
                                   created_at=now)
            db.session.add(link)
            db.session.flush()
            audit.record(actor, "partner.campaign_invited", partner, campaign_id=campaign.id)
        else:  # declined or left before: asked again
            transition(link, PortfolioStatus.INVITED, actor, "partner.campaign_invited",
                       values={"created_at": now, "decided_at": None}, partner_id=partner.id)
        notify(campaign_people(campaign.id), "portfolio", f"portfolio-invite:{link.id}:{now:%Y%m%d%H%M%S%f}",
               f"{partner.name} invites {campaign.name} into its portfolio",
               f"{partner.name} would like {campaign.name} in the portfolio of campaigns it supports. It would "
               "see your requests, projects and how your teams are doing (never volunteers' contact details "
               "without their consent), and could set your priority with our staff. An owner of the campaign "
               "can accept or decline on the campaign's page.",
               external_url("campaigns.show", campaign_id=campaign.id, _anchor="partners"))
        invited.append(link)
    if not invited:
        raise DomainError("Every campaign run from that address is already in your portfolio or invited.",
                          field="email")
    db.session.commit()
    return invited


def _link(campaign, partner_id, status):
    link = db.session.scalar(db.select(PartnerCampaign).where(
        PartnerCampaign.partner_id == partner_id, PartnerCampaign.campaign_id == campaign.id,
        PartnerCampaign.status == status))
    if link is None:
        raise DomainError("That invitation is no longer open." if status == PortfolioStatus.INVITED
                          else "Your campaign is not in that portfolio.")
    return link


def _owner_or_error(user, campaign):
    if not is_campaign_owner(user, campaign.id):
        raise DomainError("Only an owner of the campaign can decide which portfolios it is in.")


def respond(user, campaign, partner_id, accept, now=None):
    """An owner of the campaign accepts or declines a partner's invitation."""
    _owner_or_error(user, campaign)
    link = _link(campaign, partner_id, PortfolioStatus.INVITED)
    now = now or utcnow()
    # Conditional (transition): of two owners answering at once, only the first answer counts.
    transition(link, PortfolioStatus.ACTIVE if accept else PortfolioStatus.DECLINED, user,
               "partner.campaign_joined" if accept else "partner.campaign_declined", values={"decided_at": now},
               campaign_id=campaign.id)
    key = "portfolio-joined" if accept else "portfolio-declined"
    notify(partner_people(partner_id), "portfolio", f"{key}:{link.id}:{now:%Y%m%d%H%M%S%f}",
           f"{campaign.name} {'joined' if accept else 'declined to join'} your portfolio",
           f"{user.name} answered for {campaign.name}." + (" Its projects now show in your portfolio." if accept
                                                            else ""),
           external_url("partners.portfolio", partner_id=partner_id))
    db.session.commit()
    return link


def leave(user, campaign, partner_id, now=None):
    """An owner takes the campaign out of a partner's portfolio: the partner no longer reads its record."""
    _owner_or_error(user, campaign)
    link = _link(campaign, partner_id, PortfolioStatus.ACTIVE)
    now = now or utcnow()
    transition(link, PortfolioStatus.DECLINED, user, "partner.campaign_left", values={"decided_at": now},
               campaign_id=campaign.id)
    notify(partner_people(partner_id), "portfolio", f"portfolio-left:{link.id}:{now:%Y%m%d%H%M%S%f}",
           f"{campaign.name} left your portfolio",
           f"{user.name} took {campaign.name} out of your portfolio; its record is no longer shared with you.",
           external_url("partners.portfolio", partner_id=partner_id))
    db.session.commit()
    return link


def links_of(campaign):
    """The campaign's portfolio links that matter to it: open invitations and active memberships."""
    return list(db.session.scalars(
        db.select(PartnerCampaign).join(Partner, Partner.id == PartnerCampaign.partner_id)
        .where(PartnerCampaign.campaign_id == campaign.id, PartnerCampaign.status.in_((PortfolioStatus.INVITED, PortfolioStatus.ACTIVE)))
        .options(contains_eager(PartnerCampaign.partner)).order_by(PartnerCampaign.status.desc(), Partner.name)))
