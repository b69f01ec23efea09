"""Campaign rules: registering and editing a campaign, asking for help, what a member sees."""
from datetime import date

from sqlalchemy.orm import selectinload

from app import audit
from app.errors.domain import DomainError, DomainErrors
from app.extensions import db
from app.models import Campaign, CampaignMember, HelpRequest, Project
from app.models.projects import MENU_CATEGORIES
from app.permissions import visible_campaigns_query
from app.places import find_city

CAMPAIGN_FIELDS = (
    "name", "candidate_name", "office", "office_level", "state", "district", "city", "timezone",
    "election_date", "website", "description",
)


def campaign_problems(data, today=None):
    """Every campaign rule `data` breaks, as DomainErrors; checks only the fields that are filled in,
    so a form can show them beside its own field errors."""
    today = today or date.today()
    problems = []
    if data.get("election_date") and data["election_date"] < today:
        problems.append(DomainError("The election date is in the past.", field="election_date"))
    if data.get("city") and data.get("state") and find_city(data["city"], data["state"]) is None:
        problems.append(DomainError(
            f"We could not find {data['city']} in {data['state']}. Check the spelling, or use the nearest larger city.",
            field="city",
        ))
    return problems


def _apply(campaign, data, today=None):
    problems = campaign_problems(data, today)
    if problems:
        raise DomainErrors(problems)
    place = find_city(data["city"], data["state"])
    for name in CAMPAIGN_FIELDS:
        setattr(campaign, name, data.get(name) or ("" if name not in ("election_date",) else None))
    campaign.city = place.name
    campaign.city_key, campaign.lat, campaign.lon = place.key, place.lat, place.lon


def create_campaign(user, data, today=None):
    """Register a campaign with `user` as its first member."""
    campaign = Campaign()
    _apply(campaign, data, today)
    db.session.add(campaign)
    db.session.add(CampaignMember(campaign=campaign, user_id=user.id, title="Campaign staff"))
    db.session.flush()
    audit.record(user, "campaign.created", campaign)
    db.session.commit()
    return campaign


def update_campaign(user, campaign, data, today=None):
    """Edit a campaign's profile."""
    _apply(campaign, data, today)
    audit.record(user, "campaign.updated", campaign)
    db.session.commit()
    return campaign


def campaigns_for(user):
    return list(db.session.scalars(
        visible_campaigns_query(user).options(selectinload(Campaign.projects), selectinload(Campaign.requests))
    ))


def submit_request(user, campaign, data, today=None):
    """Record a help request: goals, menu categories, timing, constraints. Staff see it in their queue."""
    today = today or date.today()
    goals = (data.get("goals") or "").strip()
    if not goals:
        raise DomainError("Tell us what you want to achieve.", field="goals")
    categories = [c for c in data.get("categories") or () if c in MENU_CATEGORIES]
    if not categories:
        raise DomainError("Tick at least one kind of help.", field="categories")
    desired = data.get("desired_start")
    if desired is not None and desired < today:
        raise DomainError("The earliest start is in the past.", field="desired_start")
    if desired is not None and desired > campaign.election_date:
        raise DomainError("The earliest start is after election day.", field="desired_start")
    help_request = HelpRequest(
        campaign_id=campaign.id,
        submitted_by_id=user.id,
        goals=goals,
        categories=categories,
        timing=(data.get("timing") or "").strip(),
        desired_start=desired,
        constraints=(data.get("constraints") or "").strip(),
        status="new",
    )
    db.session.add(help_request)
    db.session.flush()
    audit.record(user, "help_request.submitted", help_request, campaign_id=campaign.id, categories=categories)
    db.session.commit()
    return help_request


def request_of(campaign, request_id):
    """The campaign's request with that id, or None (ids of other campaigns reveal nothing)."""
    return db.session.scalar(
        db.select(HelpRequest).where(HelpRequest.id == request_id, HelpRequest.campaign_id == campaign.id)
    )


def project_of(campaign, project_id):
    """The campaign's project with that id, or None."""
    return db.session.scalar(db.select(Project).where(Project.id == project_id, Project.campaign_id == campaign.id))
