"""Scoping a help request into projects from the menu: creating, editing and deleting draft scopes."""

from app import audit, clock
from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import EDITABLE_PROJECT, ProjectStatus, RequestStatus, transition
from app.models import Deliverable, Metric, Project, ProjectSkill
from app.scoping.catalogue import allowed_skill_ids, sync_skill_needs
from app.scoping.rules import _int, validate_scope


def _previous(data):
    raw = data.get("previous_project_id")
    if not raw:
        return None
    previous = db.session.get(Project, _int(raw, "previous_project_id", "previous project"))
    if previous is None:
        raise DomainError("That previous project does not exist.", field="previous_project_id")
    return previous


def _write_scope(project, scope):
    for name in ("title", "summary", "campaign_provides", "weeks", "team_min", "team_max", "hours_per_week",
                 "start_date", "end_date", "previous_project_id"):
        setattr(project, name, scope[name])
    project.deliverables = [Deliverable(position=i, title=t) for i, t in enumerate(scope["deliverables"])]
    project.metrics = [
        Metric(position=i, name=m["name"], unit=m["unit"], target=m["target"]) for i, m in enumerate(scope["metrics"])
    ]
    sync_skill_needs(project.skills, scope["skills"], ProjectSkill)


def _summary(scope):
    return {
        "title": scope["title"], "weeks": scope["weeks"], "team": [scope["team_min"], scope["team_max"]],
        "hours_per_week": scope["hours_per_week"], "start_date": scope["start_date"].isoformat(),
        "end_date": scope["end_date"].isoformat(), "deliverables": scope["deliverables"],
        "metrics": scope["metrics"], "skills": scope["skills"], "ends_after_election": scope["ends_after_election"],
    }


def scope_project(staff, help_request, template, data, today=None):
    """Create a draft project for the request's campaign from a menu item, as adapted by staff."""
    today = today or clock.today()
    if template.retired:
        raise DomainError("This menu item is retired; choose another.")
    if help_request.status in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
        raise DomainError(f"This request was {help_request.status}; it cannot be scoped.")
    campaign = help_request.campaign
    scope = validate_scope(data, template, campaign, today, allowed_skill_ids(), _previous(data))
    project = Project(
        campaign_id=campaign.id, help_request_id=help_request.id, template_id=template.id,
        status=ProjectStatus.DRAFT, created_by_id=staff.id,
    )
    _write_scope(project, scope)
    db.session.add(project)
    db.session.flush()
    audit.record(staff, "project.scoped", project, template_id=template.id, request_id=help_request.id,
                 **_summary(scope))
    if help_request.status != RequestStatus.SCOPED:
        transition(help_request, RequestStatus.SCOPED, staff, "help_request.status_changed")
    db.session.commit()
    return project


def update_scope(staff, project, data, today=None):
    """Edit a scope that is still a draft or that the campaign asked to change."""
    today = today or clock.today()
    if project.status not in EDITABLE_PROJECT:
        raise DomainError(
            "Only a draft or a scope with requested changes can be edited. "
            "More work is a follow-on project of at most 8 weeks, never an extension."
        )
    keep = {s.skill_id for s in project.skills}
    scope = validate_scope(data, project.template, project.campaign, today, allowed_skill_ids(keep), _previous(data))
    if scope["previous_project_id"] == project.id:
        raise DomainError("A project cannot follow itself.", field="previous_project_id")
    if project.seats_filled and (scope["hours_per_week"] != project.hours_per_week
                                 or scope["team_max"] < project.seats_filled):
        # Volunteers already said yes to these hours and this team; changing them needs a new project.
        raise DomainError(
            f"{project.seats_filled} volunteer(s) already committed to {project.hours_per_week} h/week "
            "on this team; keep the hours and room for them, or cancel and scope a new project.",
            field="hours_per_week",
        )
    _write_scope(project, scope)
    audit.record(staff, "project.scope_edited", project, **_summary(scope))
    db.session.commit()
    return project


def delete_draft(staff, project):
    """Delete a draft nobody has seen yet. Its request goes back to the queue if it was its only project."""
    if project.status != ProjectStatus.DRAFT:
        raise DomainError("Only a draft can be deleted; a scope the campaign has seen is cancelled instead, "
                          "so its history stays.")
    help_request = project.help_request
    audit.record(staff, "project.draft_deleted", project, title=project.title, request_id=project.help_request_id)
    db.session.delete(project)
    db.session.flush()
    if help_request is not None and help_request.status == RequestStatus.SCOPED:
        others = db.session.scalar(
            db.select(db.func.count()).select_from(Project).where(Project.help_request_id == help_request.id)
        )
        if not others:
            transition(help_request, RequestStatus.IN_CONVERSATION, staff, "help_request.status_changed",
                       note="its only draft project was deleted")
    db.session.commit()
    return help_request
