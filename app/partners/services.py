"""Partner rules: creating partners, referrals into a portfolio, priority tiers, who belongs."""
import secrets

from flask import g

from app import audit
from app.auth.services import normalise_email
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import PortfolioStatus, transition
from app.models import Campaign, CampaignMember, Partner, PartnerCampaign, PartnerMember, User
from app.models.base import utcnow
from app.models.organisations import PARTNER_KINDS, PRIORITY_TIERS
from app.permissions import is_campaign_owner

TIER_LABELS = {1: "Top priority", 2: "Normal", 3: "Low"}


def create_partner(staff, name, kind, state, owner_email):
    """Staff register a partner and its first member (an existing campaign-side account)."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Name the organisation.", field="name")
    if kind not in PARTNER_KINDS:
        raise DomainError("Choose a kind of organisation.", field="kind")
    owner = db.session.scalar(db.select(User).where(User.email == normalise_email(owner_email)))
    if owner is None or owner.role != "campaign":
        raise DomainError("No campaign-side account uses that email; ask them to sign up as campaign staff first.",
                          field="owner_email")
    partner = Partner(name=name[:160], kind=kind, state=(state or "")[:2], referral_code=secrets.token_urlsafe(12))
    db.session.add(partner)
    db.session.flush()
    db.session.add(PartnerMember(partner_id=partner.id, user_id=owner.id, role="owner"))
    audit.record(staff, "partner.created", partner, owner_id=owner.id)
    db.session.commit()
    return partner


def partners_of(user):
    return list(db.session.scalars(db.select(Partner).join(PartnerMember, PartnerMember.partner_id == Partner.id)
                                   .where(PartnerMember.user_id == user.id).order_by(Partner.name)))


def all_partners():
    return list(db.session.scalars(db.select(Partner).order_by(Partner.name)))


def partner_for_code(code):
    return db.session.scalar(db.select(Partner).where(Partner.referral_code == code))


def owned_campaigns(user):
    """Campaigns the user owns: those they may put into a partner's portfolio."""
    return list(db.session.scalars(db.select(Campaign).join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
                                   .where(CampaignMember.user_id == user.id, CampaignMember.role == "owner")
                                   .order_by(Campaign.name)))


def join_portfolio(user, partner, campaign_id):
    """A campaign owner accepts a partner's invitation (its referral link): the campaign joins the portfolio."""
    if not is_campaign_owner(user, campaign_id):
        raise DomainError("Only an owner of the campaign can add it to a portfolio.")
    link = db.session.scalar(db.select(PartnerCampaign).where(
        PartnerCampaign.partner_id == partner.id, PartnerCampaign.campaign_id == campaign_id))
    if link is None:
        link = PartnerCampaign(partner_id=partner.id, campaign_id=campaign_id, status=PortfolioStatus.ACTIVE,
                               decided_at=utcnow())
        db.session.add(link)
        db.session.flush()
        audit.record(user, "partner.campaign_joined", partner, campaign_id=campaign_id)
    elif link.status != PortfolioStatus.ACTIVE:  # invited, declined or left before: the link is a yes
        transition(link, PortfolioStatus.ACTIVE, user, "partner.campaign_joined", values={"decided_at": utcnow()},
                   campaign_id=campaign_id)
    db.session.commit()
    return link


def set_priority(actor, partner, campaign_id, tier):
    """Staff or the partner set a campaign's tier (1 top, 2 normal, 3 low); batch matching weighs it."""
    try:
        tier = int(tier)
    except (TypeError, ValueError):
        tier = None
    if tier not in PRIORITY_TIERS:
        raise DomainError("Choose top, normal or low priority.", field="tier")
    link = db.session.scalar(db.select(PartnerCampaign).where(
        PartnerCampaign.partner_id == partner.id, PartnerCampaign.campaign_id == campaign_id,
        PartnerCampaign.status == PortfolioStatus.ACTIVE))
    if link is None:
        raise DomainError("That campaign is not in this portfolio.")
    link.priority_tier = tier
    audit.record(actor, "partner.priority_set", partner, campaign_id=campaign_id, tier=tier)
    db.session.commit()
    return link


def tiers_by_campaign():
    """{campaign_id: best (lowest) tier across its partners}, one query per request (template helper)."""
    if "priority_tiers" not in g:
        g.priority_tiers = dict(db.session.execute(
            db.select(PartnerCampaign.campaign_id, db.func.min(PartnerCampaign.priority_tier))
            .where(PartnerCampaign.status == PortfolioStatus.ACTIVE).group_by(PartnerCampaign.campaign_id)).all())
    return g.priority_tiers
