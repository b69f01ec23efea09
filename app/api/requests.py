"""Help requests sent through the API: a campaign's own tools ask for help without our forms.

The same rules as the form (app/campaigns/services.submit_request): every broken rule is answered at
once, staff are told, the campaign's people are told, the webhook fires. Only a campaign's
read-write key may ask; a partner refers campaigns, it does not speak for them.
"""
from datetime import date

from app.api.hal import ApiError
from app.campaigns import services
from app.errors.domain import DomainError, DomainErrors
from app.extensions import db
from app.models import Campaign, CampaignMember, User

RESOURCE = "barnstorm:help_request"
TEXT_LIMITS = {"goals": 4000, "timing": 2000, "constraints": 2000}  # as the form (HelpRequestForm)


def _invalid(description, prop):
    return ApiError(400, "INVALID_HELP_REQUEST", description, [prop], RESOURCE)


def _parse(body):
    """The form's fields from a JSON body; a wrong type is refused by name, nothing is guessed."""
    if not isinstance(body, dict):
        raise _invalid("Send a JSON object with `goals` and `categories`.", "goals")
    data = {}
    for name, limit in TEXT_LIMITS.items():
        value = body.get(name, "")
        if not isinstance(value, str) or len(value) > limit:
            raise _invalid(f"`{name}` must be text of at most {limit} characters.", name)
        data[name] = value
    categories = body.get("categories", [])
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise _invalid("`categories` must be a list of kinds of help (see the menu).", "categories")
    data["categories"] = categories
    start = body.get("desired_start")
    if start is not None:
        try:
            data["desired_start"] = date.fromisoformat(start) if isinstance(start, str) else None
        except ValueError:
            data["desired_start"] = None
        if data["desired_start"] is None:
            raise _invalid("`desired_start` must be a date written YYYY-MM-DD.", "desired_start")
    return data


def _actor(key, campaign_id):
    """Who the request is recorded as: the key's maker while they are on the campaign, else an owner
    (a key outlives the person who made it, as the campaign's records do)."""
    member_ids = db.select(CampaignMember.user_id).where(CampaignMember.campaign_id == campaign_id)
    maker = db.session.scalar(db.select(User).where(User.id == key.created_by_id, User.id.in_(member_ids)))
    if maker is not None:
        return maker
    return db.session.scalar(db.select(User).join(CampaignMember, CampaignMember.user_id == User.id).where(
        CampaignMember.campaign_id == campaign_id, CampaignMember.role == "owner").order_by(CampaignMember.id))


def submit(org, key, body):
    """Record a help request for the key's campaign; ApiError for anything refused (nothing is kept)."""
    if org.kind != "campaign":
        raise ApiError(403, "FORBIDDEN", "Only a campaign's own key may ask for help for it.", resource=RESOURCE)
    data = _parse(body)
    campaign = db.session.get(Campaign, org.id)
    actor = _actor(key, org.id) if campaign is not None else None
    if actor is None:
        raise ApiError(403, "FORBIDDEN", "This campaign has no owner to record the request as.", resource=RESOURCE)
    try:
        return services.submit_request(actor, campaign, data)
    except DomainError as err:
        db.session.rollback()
        problems = err.errors if isinstance(err, DomainErrors) else [err]
        raise ApiError(400, "INVALID_HELP_REQUEST", " ".join(p.message for p in problems),
                       [p.field for p in problems if p.field], RESOURCE) from None
