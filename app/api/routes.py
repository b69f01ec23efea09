"""/api/v1: OSDI people, tags, taggings and the person signup helper; Barnstorm's projects, sprints,
check-ins and help requests. Every query is limited to the calling key's organisation."""
from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import HTTPException

from app.api import auth, hal, resources
from app.api.hal import ApiError, collection, hal_response, paging
from app.api.openapi import spec
from app.extensions import csrf, db
from app.models import (
    CheckIn,
    HelpRequest,
    Project,
    Sprint,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
    volunteer_causes,
)
from app.orgs.scope import campaign_ids, consented_people
from app.lifecycle import ProjectStatus

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # keys only: no cookie is read here, so there is nothing for a forged request to ride on
bp.before_request(auth.authenticate)
bp.after_request(auth.audit_call)
bp.register_error_handler(ApiError, auth.api_error)
bp.register_error_handler(HTTPException, auth.http_error)


def init_api(app):
    """After the app's own handlers and limiter exist: JSON errors on /api paths, per-key rate limit."""
    from flask_limiter.errors import RateLimitExceeded

    auth.wrap_app_errors(app)
    bp_handlers = app.error_handler_spec.setdefault("api", {}).setdefault(429, {})
    bp_handlers[RateLimitExceeded] = auth.rate_limited
    auth.apply_rate_limit(app, bp)


def _page_of(stmt, order_by):
    page, per_page = paging()
    total = db.session.scalar(db.select(db.func.count()).select_from(stmt.order_by(None).subquery()))
    rows = list(db.session.scalars(stmt.order_by(*order_by).limit(per_page).offset((page - 1) * per_page)))
    return rows, total, page, per_page


@bp.route("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.route("/")
def entry_point():
    """OSDI's API entry point: where each collection lives."""
    links = {"self": {"href": "/api/v1/"}, "curies": hal.CURIES,
             "osdi:people": {"href": "/api/v1/people"}, "osdi:tags": {"href": "/api/v1/tags"},
             "osdi:person_signup_helper": {"href": "/api/v1/people/person_signup_helper"},
             "barnstorm:projects": {"href": "/api/v1/projects"},
             "barnstorm:help_requests": {"href": "/api/v1/help_requests"}}
    return hal_response({"motd": "Barnstorm OSDI API", "vendor_name": "Barnstorm", "product_name": "Barnstorm",
                         "osdi_version": "1.1", "max_pagesize": hal.MAX_PER_PAGE, "_links": links})


# ---------------------------------------------------------------- people, tags, taggings


def _person_or_404(person_id):
    profile = db.session.scalar(consented_people(g.org).where(VolunteerProfile.id == person_id))
    if profile is None:
        raise ApiError(404, "NOT_FOUND", "No such person.", resource="osdi:person")
    return profile


@bp.route("/people")
def people():
    rows, total, page, per_page = _page_of(consented_people(g.org), [VolunteerProfile.id])
    return hal_response(collection("osdi:people", [resources.person(p) for p in rows], total, page, per_page,
                                   "api.people"))


@bp.route("/people/<int(max=2147483647):person_id>")
def person(person_id):
    return hal_response(resources.person(_person_or_404(person_id)))


def _tag_members(tag_id):
    """A select of the consented people carrying the tag; ApiError 404 for a tag the org cannot see."""
    kind, _, raw = tag_id.partition("-")
    if not raw.isdigit() or len(raw) > 9:
        raise ApiError(404, "NOT_FOUND", "No such tag.", resource="osdi:tag")
    ident = int(raw)
    people = consented_people(g.org)
    if kind == "skill":
        return people.where(VolunteerProfile.id.in_(
            db.select(VolunteerSkill.volunteer_id).where(VolunteerSkill.skill_id == ident)))
    if kind == "cause":
        return people.where(VolunteerProfile.id.in_(
            db.select(volunteer_causes.c.volunteer_id).where(volunteer_causes.c.cause_id == ident)))
    if kind == "project":
        visible = db.session.scalar(db.select(Project.id).where(
            Project.id == ident, Project.campaign_id.in_(campaign_ids(g.org)), Project.status != ProjectStatus.DRAFT))
        if visible is not None:
            return people.where(VolunteerProfile.id.in_(
                db.select(TeamMembership.volunteer_id).where(TeamMembership.project_id == ident)))
    raise ApiError(404, "NOT_FOUND", "No such tag.", resource="osdi:tag")


def _tag_or_404(tag_id):
    for item in resources.tags_for(campaign_ids(g.org)):
        if item["id"] == tag_id:
            return item
    raise ApiError(404, "NOT_FOUND", "No such tag.", resource="osdi:tag")


@bp.route("/tags")
def tags():
    page, per_page = paging()
    items = resources.tags_for(campaign_ids(g.org))
    window = items[(page - 1) * per_page: page * per_page]
    return hal_response(collection("osdi:tags", window, len(items), page, per_page, "api.tags"))


@bp.route("/tags/<tag_id>")
def tag(tag_id):
    return hal_response(_tag_or_404(tag_id))


@bp.route("/tags/<tag_id>/taggings")
def tag_taggings(tag_id):
    _tag_or_404(tag_id)
    rows, total, page, per_page = _page_of(_tag_members(tag_id), [VolunteerProfile.id])
    items = [resources.tagging(tag_id, p.id) for p in rows]
    return hal_response(collection("osdi:taggings", items, total, page, per_page, "api.tag_taggings", tag_id=tag_id))


@bp.route("/tags/<tag_id>/taggings/<tagging_id>")
def tagging(tag_id, tagging_id):
    _tag_or_404(tag_id)
    prefix, _, person_id = tagging_id.rpartition(".")
    if prefix != tag_id or not person_id.isdigit() or len(person_id) > 9:
        raise ApiError(404, "NOT_FOUND", "No such tagging.", resource="osdi:tagging")
    if db.session.scalar(_tag_members(tag_id).where(VolunteerProfile.id == int(person_id))) is None:
        raise ApiError(404, "NOT_FOUND", "No such tagging.", resource="osdi:tagging")
    return hal_response(resources.tagging(tag_id, int(person_id)))


@bp.route("/people/<int(max=2147483647):person_id>/taggings")
def person_taggings(person_id):
    profile = _person_or_404(person_id)
    page, per_page = paging()
    tag_ids = [f"skill-{s.skill_id}" for s in profile.skills] + [f"cause-{c.id}" for c in profile.causes]
    tag_ids += [f"project-{pid}" for pid in db.session.scalars(
        db.select(TeamMembership.project_id).join(Project, Project.id == TeamMembership.project_id)
        .where(TeamMembership.volunteer_id == profile.id, Project.campaign_id.in_(campaign_ids(g.org)),
               Project.status != ProjectStatus.DRAFT).order_by(TeamMembership.project_id))]
    items = [resources.tagging(t, profile.id) for t in tag_ids]
    window = items[(page - 1) * per_page: page * per_page]
    return hal_response(collection("osdi:taggings", window, len(items), page, per_page, "api.person_taggings",
                                   person_id=person_id))


@bp.route("/people/person_signup_helper", methods=["POST"])
def person_signup_helper():
    """Refer a volunteer: they get an email to confirm; nothing is stored until they do."""
    from app.api.signup import refer_person

    auth.require_write()
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "INVALID_JSON", "Send a JSON object with a `person`.", ["person"], "osdi:person")
    address = refer_person(g.org, g.api_key, body)
    return hal_response({"status": "confirmation_sent", "email_address": address,
                         "_links": {"self": {"href": "/api/v1/people/person_signup_helper"}}}, 202)


# ---------------------------------------------------------------- Barnstorm resources


def _project_or_404(project_id):
    project = db.session.scalar(db.select(Project).where(
        Project.id == project_id, Project.campaign_id.in_(campaign_ids(g.org)), Project.status != ProjectStatus.DRAFT))
    if project is None:
        raise ApiError(404, "NOT_FOUND", "No such project.", resource="barnstorm:project")
    return project


@bp.route("/projects")
def projects():
    stmt = db.select(Project).where(Project.campaign_id.in_(campaign_ids(g.org)), Project.status != ProjectStatus.DRAFT)
    rows, total, page, per_page = _page_of(stmt, [Project.id])
    return hal_response(collection("barnstorm:projects", [resources.project(p) for p in rows], total, page,
                                   per_page, "api.projects"))


@bp.route("/projects/<int(max=2147483647):project_id>")
def project(project_id):
    return hal_response(resources.project(_project_or_404(project_id)))


@bp.route("/projects/<int(max=2147483647):project_id>/sprints")
def project_sprints(project_id):
    _project_or_404(project_id)
    rows, total, page, per_page = _page_of(db.select(Sprint).where(Sprint.project_id == project_id), [Sprint.number])
    return hal_response(collection("barnstorm:sprints", [resources.sprint(s) for s in rows], total, page, per_page,
                                   "api.project_sprints", project_id=project_id))


@bp.route("/projects/<int(max=2147483647):project_id>/check_ins")
def project_checkins(project_id):
    _project_or_404(project_id)
    stmt = db.select(CheckIn).where(CheckIn.project_id == project_id)
    rows, total, page, per_page = _page_of(stmt, [CheckIn.id])
    numbers = dict(db.session.execute(db.select(Sprint.id, Sprint.number).where(Sprint.project_id == project_id)).all())
    items = [resources.checkin(c, numbers.get(c.sprint_id)) for c in rows]
    return hal_response(collection("barnstorm:check_ins", items, total, page, per_page, "api.project_checkins",
                                   project_id=project_id))


@bp.route("/help_requests", methods=["POST"])
def submit_help_request():
    """A campaign asks for help from its own tools: the form's rules, answered all at once."""
    from app.api.requests import submit

    auth.require_write()
    row = submit(g.org, g.api_key, request.get_json(silent=True))
    return hal_response(resources.help_request(row), 201)


@bp.route("/help_requests")
def help_requests():
    stmt = db.select(HelpRequest).where(HelpRequest.campaign_id.in_(campaign_ids(g.org)))
    rows, total, page, per_page = _page_of(stmt, [HelpRequest.id])
    return hal_response(collection("barnstorm:help_requests", [resources.help_request(r) for r in rows], total,
                                   page, per_page, "api.help_requests"))


@bp.route("/help_requests/<int(max=2147483647):request_id>")
def help_request(request_id):
    row = db.session.scalar(db.select(HelpRequest).where(
        HelpRequest.id == request_id, HelpRequest.campaign_id.in_(campaign_ids(g.org))))
    if row is None:
        raise ApiError(404, "NOT_FOUND", "No such help request.", resource="barnstorm:help_request")
    return hal_response(resources.help_request(row))
