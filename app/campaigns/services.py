"""Campaign rules: registering and editing a campaign, asking for help, what a member sees."""
import functools

from app import audit, clock, reads, submissions
from app.errors.domain import DomainError, DomainErrors
from app.extensions import db
from app.lifecycle import EDITABLE_REQUEST, RequestStatus, transition
from app.links import external_url
from app.models import Campaign, CampaignMember, HelpRequest, Project
from app.models.base import utcnow
from app.models.projects import MENU_CATEGORIES
from app.notifications import campaign_people, notify, staff_users
from app.orgs import teams
from app.permissions import member_campaign_ids
from app.places import find_city
from app.webhooks.events import emit_for_campaign

CAMPAIGN_FIELDS = (
    "name", "candidate_name", "office", "office_level", "state", "district", "city", "timezone",
    "election_date", "website", "description",
)


def campaign_problems(data, today=None):
    """Every campaign rule `data` breaks, as DomainErrors; checks only the fields that are filled in,
    so a form can show them beside its own field errors."""
    today = today or clock.today()
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
    """Register a campaign with `user` as its first member (once per form token: a double
    submit answers with the campaign the first one registered)."""
    claim = submissions.claim(user, data.get("submission_token"), "campaign")
    if claim.duplicate_of is not None:
        return db.session.get(Campaign, claim.duplicate_of)
    campaign = Campaign()
    _apply(campaign, data, today)
    db.session.add(campaign)
    db.session.add(CampaignMember(campaign=campaign, user_id=user.id, title="Campaign staff"))
    db.session.flush()
    claim.record(campaign.id)
    audit.record(user, "campaign.created", campaign)
    db.session.commit()
    return campaign


def update_campaign(user, campaign, data, today=None):
    """Edit a campaign's profile."""
    _apply(campaign, data, today)
    audit.record(user, "campaign.updated", campaign)
    db.session.commit()
    return campaign


_COLUMNS = {"sort_name": db.String, "campaign_id": db.Integer, "id": db.Integer, "name": db.String,
            "candidate_name": db.String, "office": db.String, "city": db.String, "state": db.String, "day": db.Date,
            "end_date": db.Date, "status": db.String, "created_at": db.DateTime, "categories": db.JSON,
            **teams.INVITATION_COLUMNS}


@functools.cache
def _dashboard_rows(invitation_kinds):
    """The member's campaigns (by name), their projects (by start) and their requests (newest first),
    and the open invitations to teams of `invitation_kinds` addressed to them, in one UNION ALL of rows:
    the dashboard only reads (app/reads.py)."""
    mine = member_campaign_ids(db.bindparam("user_id"))
    return reads.union(_COLUMNS, {
        "campaign": ({"sort_name": Campaign.name, "campaign_id": Campaign.id, "id": Campaign.id, "name": Campaign.name,
                      "candidate_name": Campaign.candidate_name, "office": Campaign.office, "city": Campaign.city,
                      "state": Campaign.state, "day": Campaign.election_date},
                     lambda q: q.where(Campaign.id.in_(mine))),
        "project": ({"campaign_id": Project.campaign_id, "id": Project.id, "name": Project.title,
                     "day": Project.start_date, "end_date": Project.end_date, "status": Project.status},
                    lambda q: q.where(Project.campaign_id.in_(mine))),
        "request": ({"campaign_id": HelpRequest.campaign_id, "id": HelpRequest.id, "status": HelpRequest.status,
                     "created_at": HelpRequest.created_at, "categories": HelpRequest.categories},
                    lambda q: q.where(HelpRequest.campaign_id.in_(mine))),
        **teams.invitation_branches(invitation_kinds),
    }, order_by=("kind", "sort_name", "day", "-created_at", "id"))


def dashboard(user, invitation_kinds):
    """The dashboard's campaigns (dicts of their fields, each with its `projects` and `requests`) and
    {invitation kind: open invitations addressed to `user`, oldest first}."""
    campaigns, by_id = [], {}
    invitations = {teams.invitation_kind(kind): [] for kind in invitation_kinds}
    for r in reads.rows(_dashboard_rows(tuple(invitation_kinds)), user_id=user.id, email=user.email, now=utcnow()):
        if r.kind == "campaign":
            by_id[r.id] = {"id": r.id, "name": r.name, "candidate_name": r.candidate_name, "office": r.office,
                           "city": r.city, "state": r.state, "election_date": r.day, "projects": [], "requests": []}
            campaigns.append(by_id[r.id])
        elif r.kind == "project":
            by_id[r.campaign_id]["projects"].append(
                {"id": r.id, "title": r.name, "status": r.status, "start_date": r.day, "end_date": r.end_date})
        elif r.kind == "request":
            by_id[r.campaign_id]["requests"].append(
                {"id": r.id, "status": r.status, "created_at": r.created_at, "categories": r.categories})
        else:
            invitations[r.kind].append(r)
    return campaigns, {k: sorted(rows, key=lambda r: (r.created_at, r.id)) for k, rows in invitations.items()}


def request_problems(campaign, data, today=None):
    """Every help-request rule `data` breaks, as DomainErrors (a form shows them all at once)."""
    today = today or clock.today()
    problems = []
    if not (data.get("goals") or "").strip():
        problems.append(DomainError("Tell us what you want to achieve.", field="goals"))
    if not [c for c in data.get("categories") or () if c in MENU_CATEGORIES]:
        problems.append(DomainError("Tick at least one kind of help.", field="categories"))
    desired = data.get("desired_start")
    if desired is not None and desired < today:
        problems.append(DomainError("The earliest start is in the past.", field="desired_start"))
    elif desired is not None and desired > campaign.election_date:
        problems.append(DomainError("The earliest start is after election day.", field="desired_start"))
    return problems


def _clean_request(campaign, data, today):
    problems = request_problems(campaign, data, today)
    if problems:
        raise DomainErrors(problems)
    return {
        "goals": data["goals"].strip(), "categories": [c for c in data["categories"] if c in MENU_CATEGORIES],
        "timing": (data.get("timing") or "").strip(), "desired_start": data.get("desired_start"),
        "constraints": (data.get("constraints") or "").strip(),
    }


def submit_request(user, campaign, data, today=None):
    """Record a help request: goals, menu categories, timing, constraints. Staff see it in their queue.
    Once per form token: a double submit answers with the request the first one recorded."""
    claim = submissions.claim(user, data.get("submission_token"), f"help_request:{campaign.id}")
    if claim.duplicate_of is not None:
        return db.session.get(HelpRequest, claim.duplicate_of)
    cleaned = _clean_request(campaign, data, today or clock.today())
    help_request = HelpRequest(campaign_id=campaign.id, submitted_by_id=user.id, status=RequestStatus.NEW, **cleaned)
    db.session.add(help_request)
    db.session.flush()
    claim.record(help_request.id)
    audit.record(user, "help_request.submitted", help_request, campaign_id=campaign.id,
                 categories=cleaned["categories"])
    emit_for_campaign("request.received", campaign.id, {"help_request_id": help_request.id})
    what = ", ".join(cleaned["categories"]).replace("_", " ")
    notify(campaign_people(campaign.id), "requests", f"request-received:{help_request.id}",
           f"We received your request for help: {campaign.name}",
           f"Thank you. Our staff read every request and will contact you to scope the work ({what}). "
           "You can edit or withdraw the request until then.",
           external_url("campaigns.show_request", campaign_id=campaign.id, request_id=help_request.id))
    notify(staff_users(), "requests", f"request-received:{help_request.id}",
           f"New request for help: {campaign.name}",
           f"{user.name} asked for: {what}.\nGoals: {cleaned['goals'][:500]}",
           external_url("scoping.request_detail", request_id=help_request.id))
    db.session.commit()
    return help_request


def _require_editable(help_request):
    if help_request.status not in EDITABLE_REQUEST:
        raise DomainError(
            f"This request is {help_request.status.replace('_', ' ')}: it can no longer be changed. "
            "Talk to our staff about its projects instead."
        )


def edit_request(user, help_request, data, today=None):
    """The campaign changes its request until staff have scoped it; staff are told what changed."""
    _require_editable(help_request)
    cleaned = _clean_request(help_request.campaign, data, today or clock.today())
    changed = [name for name, value in cleaned.items() if getattr(help_request, name) != value]
    if not changed:
        return help_request
    for name in changed:
        setattr(help_request, name, cleaned[name])
    entry = audit.record(user, "help_request.edited", help_request, changed=changed)
    db.session.flush()
    notify(staff_users(), "requests", f"request-edited:{entry.id}",
           f"Request edited: {help_request.campaign.name}",
           f"{user.name} changed {', '.join(c.replace('_', ' ') for c in changed)} of their request.",
           external_url("scoping.request_detail", request_id=help_request.id))
    db.session.commit()
    return help_request


def withdraw_request(user, help_request, reason=""):
    """The campaign withdraws a request it no longer needs; staff are told, the record stays."""
    _require_editable(help_request)
    reason = (reason or "").strip()[:2000]
    transition(help_request, RequestStatus.WITHDRAWN, user, "help_request.withdrawn", reason=reason)
    db.session.flush()
    campaign = help_request.campaign
    notify(staff_users(), "requests", f"request-withdrawn:{help_request.id}",
           f"Request withdrawn: {campaign.name}",
           f"{user.name} withdrew the request{': ' + reason if reason else ''}.",
           external_url("scoping.request_detail", request_id=help_request.id))
    notify(campaign_people(campaign.id), "requests", f"request-withdrawn:{help_request.id}",
           f"Your request was withdrawn: {campaign.name}",
           f"{user.name} withdrew the request. Nothing else changes; you can send a new one any time.",
           external_url("campaigns.show_request", campaign_id=campaign.id, request_id=help_request.id))
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
