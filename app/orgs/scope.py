"""An organisation is a campaign or a partner; these queries say which records it may read.

Every API call, export and webhook goes through `campaign_ids(org)`: a campaign reads itself, a
partner the campaigns active in its portfolio. People are readable only where the volunteer
consented (ContactConsent.granted) for one of those campaigns.
"""
from dataclasses import dataclass

from app.extensions import db
from app.lifecycle import PortfolioStatus
from app.models import Campaign, ContactConsent, Partner, PartnerCampaign, VolunteerProfile


@dataclass(frozen=True)
class Org:
    kind: str  # "campaign" or "partner"
    id: int

    @classmethod
    def of(cls, row):
        """The organisation owning a key or endpoint row (it has campaign_id or partner_id)."""
        if row.campaign_id is not None:
            return cls("campaign", row.campaign_id)
        return cls("partner", row.partner_id)

    @property
    def owner_columns(self):
        return {"campaign_id": self.id, "partner_id": None} if self.kind == "campaign" else \
            {"campaign_id": None, "partner_id": self.id}

    def name(self):
        model = Campaign if self.kind == "campaign" else Partner
        row = db.session.get(model, self.id)
        return row.name if row else ""


def campaign_ids(org):
    """A select of the ids of the campaigns `org` may read."""
    if org.kind == "campaign":
        return db.select(Campaign.id).where(Campaign.id == org.id)
    return db.select(PartnerCampaign.campaign_id).where(
        PartnerCampaign.partner_id == org.id, PartnerCampaign.status == PortfolioStatus.ACTIVE
    )


def consented_people(org):
    """A select of the volunteer profiles that consented to `org` keeping their contact details."""
    consented = db.select(ContactConsent.volunteer_id).where(
        ContactConsent.granted.is_(True), ContactConsent.campaign_id.in_(campaign_ids(org))
    )
    return db.select(VolunteerProfile).where(VolunteerProfile.id.in_(consented))


def organisations_of_campaign(campaign_id):
    """The organisations that follow a campaign: itself and the partners with it in their portfolio."""
    partner_ids = db.session.scalars(db.select(PartnerCampaign.partner_id).where(
        PartnerCampaign.campaign_id == campaign_id, PartnerCampaign.status == PortfolioStatus.ACTIVE))
    return [Org("campaign", campaign_id)] + [Org("partner", pid) for pid in partner_ids]
