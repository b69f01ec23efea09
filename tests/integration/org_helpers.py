"""Two organisations with data of their own, for the API, export and webhook tests."""
import secrets
from dataclasses import dataclass

from app.extensions import db
from app.models import ContactConsent, HelpRequest, Partner, PartnerCampaign, PartnerMember
from app.orgs import keys
from app.orgs.scope import Org
from tests.integration.team_helpers import active_team


@dataclass
class OrgWorld:
    team: object
    consenting: object  # a team member who agreed to be contacted again
    silent: object  # a team member who said no
    keys: dict  # name -> clear key
    partner: object
    partner_user: object
    other_campaign: object


def partner(make, name="Virginia House Caucus", member=None, role="owner"):
    p = Partner(name=name, kind="caucus", state="VA", referral_code=secrets.token_urlsafe(8))
    db.session.add(p)
    db.session.flush()
    if member is not None:
        db.session.add(PartnerMember(partner_id=p.id, user_id=member.id, role=role))
    db.session.commit()
    return p


def consent(user, project, granted=True):
    db.session.add(ContactConsent(volunteer_id=user.volunteer_profile.id, project_id=project.id,
                                  campaign_id=project.campaign_id, granted=granted))
    db.session.commit()


def build(make):
    team = active_team(make)
    consenting, silent = team.members[1], team.members[2]
    consent(consenting, team.project, True)
    consent(silent, team.project, False)
    db.session.add(HelpRequest(campaign_id=team.campaign.id, submitted_by_id=team.campaign_user.id,
                               goals="Raise $20k online", categories=["website"], status="scoped"))
    other_user = make.user("campaign", name="Olivia Other")
    other = make.campaign(other_user, name="Other Campaign")
    other_volunteer = make.volunteer()
    other_project = make.project(other, status="approved", title="Other project")
    consent(other_volunteer, other_project, True)
    db.session.add(HelpRequest(campaign_id=other.id, submitted_by_id=other_user.id, goals="Other goals",
                               categories=["website"], status="new"))
    partner_user = make.user("campaign", name="Pat Partner")
    p = partner(make, member=partner_user)
    db.session.add(PartnerCampaign(partner_id=p.id, campaign_id=team.campaign.id, status="active", priority_tier=1))
    db.session.commit()
    clear = {}
    for name, org, scope, actor in (
        ("campaign_read", Org("campaign", team.campaign.id), "read", team.campaign_user),
        ("campaign_write", Org("campaign", team.campaign.id), "read_write", team.campaign_user),
        ("other_read", Org("campaign", other.id), "read_write", other_user),
        ("partner_read", Org("partner", p.id), "read_write", partner_user),
    ):
        clear[name] = keys.create_key(actor, org, name, scope)[1]
    return OrgWorld(team, consenting, silent, clear, p, partner_user, other)
