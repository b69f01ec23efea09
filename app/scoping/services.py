"""Scoping rules: turning a help request into projects from the menu, and approving the scope.

The rules live in pure functions (`validate_scope`, `validate_template`) so tests can check
each one without a request; the write functions below call them, then save and audit.
"""
import re
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import contains_eager

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.models import (
    AuditEntry,
    Campaign,
    Deliverable,
    HelpRequest,
    Metric,
    Project,
    ProjectSkill,
    ProjectTemplate,
    Skill,
    TemplateSkill,
)
from app.models.base import utcnow
from app.models.campaigns import REQUEST_STATUSES
from app.models.projects import MENU_CATEGORIES
from app.models.skills import SKILL_CATEGORIES
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.teams.sprints import end_date_for, sprint_calendar
from app.teams.workspace import campaign_contacts
from app.webhooks.events import emit_for_campaign

MIN_WEEKS, MAX_WEEKS = 1, 8
MIN_TEAM, MAX_TEAM = 3, 5
WEEKS_MESSAGE = "A phase lasts 1 to 8 weeks; plan more work as a follow-on project."
EDITABLE_STATUSES = ("draft", "changes_requested")
FOLLOW_ON_FROM = ("active", "completed")
BLANK_ROWS = 3  # spare rows in the metric and skill tables of a form


# ---------------------------------------------------------------- pure rules


def _int(value, field, label):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(f"Enter the {label} as a whole number.", field=field) from None


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _metrics(rows):
    metrics = []
    for row in rows or ():
        name = (row.get("name") or "").strip()
        if not name:
            continue  # a blank row of the form
        target = row.get("target")
        if target is not None and target < 0:
            raise DomainError(f"The target of “{name}” cannot be negative.", field="metrics")
        metrics.append({"name": name[:160], "unit": (row.get("unit") or "").strip()[:40], "target": target})
    return metrics


def _skill_needs(rows, allowed_skill_ids):
    needs = {}
    for row in rows or ():
        if not row.get("skill_id"):
            continue  # a blank row of the form
        skill_id = _int(row["skill_id"], "skills", "skill")
        if skill_id not in allowed_skill_ids:
            raise DomainError("That skill is unknown or retired; pick another.", field="skills")
        if skill_id in needs:
            raise DomainError("Each skill is listed once; merge the duplicate rows.", field="skills")
        level = _int(row.get("level"), "skills", "level")
        if not 1 <= level <= 4:
            raise DomainError("A skill level is 1 (beginner) to 4 (expert).", field="skills")
        weight = row.get("weight")
        weight = 1.0 if weight in (None, "") else float(weight)
        if weight <= 0:
            raise DomainError("A skill's weight is a positive number (1 = normal).", field="skills")
        needs[skill_id] = {"skill_id": skill_id, "level": level, "weight": weight}
    if not needs:
        raise DomainError("Add at least one skill the team needs.", field="skills")
    return list(needs.values())


def _common(data, allowed_skill_ids):
    """The rules shared by menu items and projects; returns the cleaned fields."""
    title = (data.get("title") or "").strip()
    if not title:
        raise DomainError("Give it a title.", field="title")
    weeks = _int(data.get("weeks"), "weeks", "number of weeks")
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise DomainError(WEEKS_MESSAGE, field="weeks")
    team_min = _int(data.get("team_min"), "team_min", "smallest team")
    team_max = _int(data.get("team_max"), "team_max", "largest team")
    if not MIN_TEAM <= team_min <= MAX_TEAM:
        raise DomainError("A team has 3 to 5 members.", field="team_min")
    if not MIN_TEAM <= team_max <= MAX_TEAM:
        raise DomainError("A team has 3 to 5 members.", field="team_max")
    if team_min > team_max:
        raise DomainError("The smallest team is larger than the largest.", field="team_min")
    hours = _int(data.get("hours_per_week"), "hours_per_week", "hours per week")
    if not 1 <= hours <= 40:
        raise DomainError("Between 1 and 40 hours a week.", field="hours_per_week")
    deliverables = _lines(data.get("deliverables"))
    if not deliverables:
        raise DomainError("List at least one deliverable, one per line.", field="deliverables")
    return {
        "title": title[:160],
        "summary": (data.get("summary") or "").strip(),
        "campaign_provides": (data.get("campaign_provides") or "").strip(),
        "weeks": weeks,
        "team_min": team_min,
        "team_max": team_max,
        "hours_per_week": hours,
        "deliverables": [d[:255] for d in deliverables],
        "metrics": _metrics(data.get("metrics")),
        "skills": _skill_needs(data.get("skills"), allowed_skill_ids),
    }


def validate_scope(data, template, campaign, today, allowed_skill_ids, previous=None):
    """Check a project scope against every rule; return the cleaned scope or raise DomainError.

    The end date is computed (start + weeks), never typed. A project ending after the
    election is allowed but flagged: `ends_after_election` is set in the result.
    """
    scope = _common(data, allowed_skill_ids)
    if template is not None and not template.team_min <= scope["team_min"] <= scope["team_max"] <= template.team_max:
        raise DomainError(
            f"“{template.title}” works with a team of {template.team_min} to {template.team_max}.",
            field="team_min" if scope["team_min"] < template.team_min else "team_max",
        )
    start = data.get("start_date")
    if start is None:
        raise DomainError("Choose the start date.", field="start_date")
    if start < today:
        raise DomainError("The start date is in the past.", field="start_date")
    if previous is not None:
        if previous.campaign_id != campaign.id or previous.status not in FOLLOW_ON_FROM:
            raise DomainError(
                "Follow-on work continues an active or completed project of the same campaign.",
                field="previous_project_id",
            )
    scope["start_date"] = start
    scope["end_date"] = end_date_for(start, scope["weeks"])
    scope["ends_after_election"] = scope["end_date"] > campaign.election_date
    scope["previous_project_id"] = previous.id if previous is not None else None
    return scope


def validate_template(data, allowed_skill_ids):
    """Check a menu item against the rules; return the cleaned fields or raise DomainError."""
    cleaned = _common(data, allowed_skill_ids)
    if data.get("category") not in MENU_CATEGORIES:
        raise DomainError("Choose a menu category.", field="category")
    cleaned["category"] = data["category"]
    if not cleaned["summary"]:
        raise DomainError("Summarise the project in a sentence or two.", field="summary")
    return cleaned


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"


def sprint_rhythm(project):
    """[(number, starts_on, ends_on, checkin_due)] for the scope pages."""
    return sprint_calendar(project.start_date, project.weeks)


# ---------------------------------------------------------------- reads


def request_queue(status="", query="", page=1, per_page=50):
    stmt = (
        db.select(HelpRequest).join(Campaign).options(contains_eager(HelpRequest.campaign))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
    )
    if status:
        stmt = stmt.where(HelpRequest.status == status)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(
            db.or_(
                func.lower(Campaign.name).like(like),
                func.lower(Campaign.candidate_name).like(like),
                func.lower(HelpRequest.goals).like(like),
                func.lower(Campaign.city).like(like),
            )
        )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def request_counts():
    counts = dict(db.session.execute(db.select(HelpRequest.status, func.count()).group_by(HelpRequest.status)).all())
    return {status: counts.get(status, 0) for status in REQUEST_STATUSES}


def menu_items(include_retired=True):
    stmt = db.select(ProjectTemplate).order_by(ProjectTemplate.retired, ProjectTemplate.category, ProjectTemplate.title)
    if not include_retired:
        stmt = stmt.where(ProjectTemplate.retired.is_(False))
    return list(db.session.scalars(stmt))


def menu_for_request(help_request):
    """Active menu items, those in the categories the campaign asked for first."""
    asked = set(help_request.categories or ())
    return sorted(menu_items(include_retired=False), key=lambda t: (t.category not in asked, t.category, t.title))


def template_project_counts():
    return dict(db.session.execute(
        db.select(Project.template_id, func.count()).where(Project.template_id.is_not(None)).group_by(Project.template_id)
    ).all())


def skills_by_category(include_retired=True):
    stmt = db.select(Skill).order_by(Skill.category, Skill.name)
    if not include_retired:
        stmt = stmt.where(Skill.retired.is_(False))
    grouped = {}
    for skill in db.session.scalars(stmt):
        grouped.setdefault(skill.category_label, []).append(skill)
    return grouped


def skill_choices(keep=()):
    """(id, label) of active skills, plus any in `keep` (already chosen) even if retired since."""
    stmt = db.select(Skill).where(db.or_(Skill.retired.is_(False), Skill.id.in_(list(keep)))).order_by(
        Skill.category, Skill.name
    )
    return [(s.id, f"{s.name} ({s.category_label})") for s in db.session.scalars(stmt)]


def follow_on_candidates(campaign):
    return list(db.session.scalars(
        db.select(Project)
        .where(Project.campaign_id == campaign.id, Project.status.in_(FOLLOW_ON_FROM))
        .order_by(Project.start_date.desc())
    ))


def history(obj):
    """The audit entries of a project or request, oldest first."""
    return list(db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ))


def _blank_metric():
    return {"name": "", "unit": "", "target": None}


def _blank_skill():
    return {"skill_id": "", "level": 2, "weight": 1.0}


def _rows(metrics, skills):
    return {
        "metrics": list(metrics) + [_blank_metric() for _ in range(BLANK_ROWS)],
        "skills": [
            {"skill_id": str(s.skill_id), "level": s.level, "weight": s.weight} for s in skills
        ] + [_blank_skill() for _ in range(BLANK_ROWS)],
    }


def scope_form_data(template, help_request=None, today=None):
    """Form data pre-filled from a menu item: what staff start from when scoping a project."""
    today = today or date.today()
    desired = help_request.desired_start if help_request is not None else None
    return {
        "title": template.title,
        "summary": template.summary,
        "campaign_provides": template.campaign_provides,
        "deliverables": "\n".join(template.deliverables or ()),
        "team_min": template.team_min,
        "team_max": template.team_max,
        "hours_per_week": template.hours_per_week,
        "weeks": template.weeks,
        "start_date": desired if desired and desired >= today else None,
        "previous_project_id": "",
        **_rows([dict(m) for m in template.metrics or ()], template.skills),
    }


def project_form_data(project):
    return {
        "title": project.title,
        "summary": project.summary,
        "campaign_provides": project.campaign_provides,
        "deliverables": "\n".join(d.title for d in project.deliverables),
        "team_min": project.team_min,
        "team_max": project.team_max,
        "hours_per_week": project.hours_per_week,
        "weeks": project.weeks,
        "start_date": project.start_date,
        "previous_project_id": str(project.previous_project_id or ""),
        **_rows([{"name": m.name, "unit": m.unit, "target": m.target} for m in project.metrics], project.skills),
    }


def template_form_data(template=None):
    if template is None:
        return {"team_min": MIN_TEAM, "team_max": MAX_TEAM, "weeks": 6, "hours_per_week": 5, **_rows([], [])}
    return {
        "title": template.title,
        "category": template.category,
        "summary": template.summary,
        "campaign_provides": template.campaign_provides,
        "deliverables": "\n".join(template.deliverables or ()),
        "team_min": template.team_min,
        "team_max": template.team_max,
        "hours_per_week": template.hours_per_week,
        "weeks": template.weeks,
        **_rows([dict(m) for m in template.metrics or ()], template.skills),
    }


# ---------------------------------------------------------------- help requests


def set_request_status(staff, help_request, status, note=""):
    """Move a request along the queue: new, in conversation, or declined (with a note)."""
    note = (note or "").strip()
    if status not in ("new", "in_conversation", "declined"):
        raise DomainError("Choose new, in conversation or declined.", field="status")
    if status == "declined" and not note:
        raise DomainError("Say why the request is declined; the campaign will read it.", field="note")
    if status == "declined" and help_request.projects:
        raise DomainError("This request already has projects; cancel them rather than declining it.", field="status")
    old = help_request.status
    help_request.status = status
    if note:
        help_request.staff_notes = note
    audit.record(staff, "help_request.status_changed", help_request, old=old, new=status, note=note)
    db.session.commit()
    return help_request


# ---------------------------------------------------------------- projects


def _allowed_skill_ids(keep=()):
    return set(db.session.scalars(db.select(Skill.id).where(Skill.retired.is_(False)))) | set(keep)


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
    # Updated in place: a skill row is keyed by (project, skill), so delete-and-insert would collide.
    wanted = {s["skill_id"]: s for s in scope["skills"]}
    for existing in list(project.skills):
        if existing.skill_id not in wanted:
            project.skills.remove(existing)
        else:
            need = wanted.pop(existing.skill_id)
            existing.level, existing.weight = need["level"], need["weight"]
    for need in wanted.values():
        project.skills.append(ProjectSkill(skill_id=need["skill_id"], level=need["level"], weight=need["weight"]))


def _summary(scope):
    return {
        "title": scope["title"], "weeks": scope["weeks"], "team": [scope["team_min"], scope["team_max"]],
        "hours_per_week": scope["hours_per_week"], "start_date": scope["start_date"].isoformat(),
        "end_date": scope["end_date"].isoformat(), "deliverables": scope["deliverables"],
        "metrics": scope["metrics"], "skills": scope["skills"], "ends_after_election": scope["ends_after_election"],
    }


def scope_project(staff, help_request, template, data, today=None):
    """Create a draft project for the request's campaign from a menu item, as adapted by staff."""
    today = today or date.today()
    if template.retired:
        raise DomainError("This menu item is retired; choose another.")
    if help_request.status == "declined":
        raise DomainError("This request was declined; reopen it before scoping a project.")
    campaign = help_request.campaign
    scope = validate_scope(data, template, campaign, today, _allowed_skill_ids(), _previous(data))
    project = Project(
        campaign_id=campaign.id, help_request_id=help_request.id, template_id=template.id,
        status="draft", created_by_id=staff.id,
    )
    _write_scope(project, scope)
    db.session.add(project)
    old_status = help_request.status
    help_request.status = "scoped"
    db.session.flush()
    audit.record(staff, "project.scoped", project, template_id=template.id, request_id=help_request.id,
                 **_summary(scope))
    if old_status != "scoped":
        audit.record(staff, "help_request.status_changed", help_request, old=old_status, new="scoped")
    db.session.commit()
    return project


def update_scope(staff, project, data, today=None):
    """Edit a scope that is still a draft or that the campaign asked to change."""
    today = today or date.today()
    if project.status not in EDITABLE_STATUSES:
        raise DomainError(
            "Only a draft or a scope with requested changes can be edited. "
            "More work is a follow-on project of at most 8 weeks, never an extension."
        )
    keep = {s.skill_id for s in project.skills}
    scope = validate_scope(data, project.template, project.campaign, today, _allowed_skill_ids(keep), _previous(data))
    if scope["previous_project_id"] == project.id:
        raise DomainError("A project cannot follow itself.", field="previous_project_id")
    _write_scope(project, scope)
    audit.record(staff, "project.scope_edited", project, **_summary(scope))
    db.session.commit()
    return project


def send_for_approval(staff, project, today=None):
    """Show the scope to the campaign for approval."""
    today = today or date.today()
    if project.status not in EDITABLE_STATUSES:
        raise DomainError("Only a draft or a changed scope can be sent for approval.")
    if project.start_date < today:
        raise DomainError("The start date has passed; edit the scope and choose a new one.")
    old = project.status
    project.status = "awaiting_approval"
    entry = audit.record(staff, "project.sent_for_approval", project, old=old)
    db.session.flush()
    _ask_campaign_to_review(project, entry.id)
    db.session.commit()
    return project


def _ask_campaign_to_review(project, sending_id):
    # keyed by the audit entry: a scope sent again after changes is a new email, a retry is not
    link = external_url("campaigns.scope", campaign_id=project.campaign_id, project_id=project.id)
    for contact in campaign_contacts(project):
        subject, text = render_message("scope_for_approval", project=project, person=contact.name, link=link)
        queue_email(f"scope-approval:{sending_id}:{contact.id}", contact.email, subject, text, category="scoping")


def _require_campaign_member(user, project):
    """Only the project's own campaign decides on its scope (the views check too; this is the rule)."""
    from app.permissions import is_campaign_member

    if user.role != "campaign" or not is_campaign_member(user, project.campaign_id):
        raise DomainError("Only the campaign's people can approve or change this scope.")


def approve_scope(member, project, today=None):
    """The campaign member approves the scope; the project is ready for matching."""
    today = today or date.today()
    _require_campaign_member(member, project)
    if project.status != "awaiting_approval":
        raise DomainError("This scope is not waiting for your approval.")
    if project.start_date < today:
        raise DomainError("The start date of this scope has passed; ask for changes so staff can move it.")
    _approve(member, project, by_phone=False, note="")
    db.session.commit()
    return project


def record_phone_approval(staff, project, note, today=None):
    """Staff record an approval the campaign gave by phone or in person."""
    today = today or date.today()
    note = (note or "").strip()
    if project.status not in ("awaiting_approval", "changes_requested"):
        raise DomainError("Send the scope for approval before recording one.")
    if not note:
        raise DomainError("Say who approved, when and how (e.g. “Jane Doe, by phone on May 3”).", field="note")
    if project.start_date < today:
        raise DomainError("The start date has passed; edit the scope and choose a new one.")
    _approve(staff, project, by_phone=True, note=note)
    db.session.commit()
    return project


def _approve(user, project, by_phone, note):
    project.status = "approved"
    project.approved_at = utcnow()
    project.approved_by_id = user.id
    project.approval_note = note
    audit.record(user, "project.approved", project, by_phone=by_phone, note=note)
    emit_for_campaign("scope.approved", project.campaign_id, {"project_id": project.id})


def request_changes(member, project, comment):
    """The campaign member asks staff to change the scope, saying what."""
    _require_campaign_member(member, project)
    comment = (comment or "").strip()
    if project.status != "awaiting_approval":
        raise DomainError("This scope is not waiting for your approval.")
    if not comment:
        raise DomainError("Tell us what should change.", field="comment")
    project.status = "changes_requested"
    audit.record(member, "project.changes_requested", project, comment=comment)
    db.session.commit()
    return project


# ---------------------------------------------------------------- the menu


def _unique_slug(model, base, exclude_id=None):
    slug, n = base, 2
    while True:
        stmt = db.select(model.id).where(model.slug == slug)
        if exclude_id is not None:
            stmt = stmt.where(model.id != exclude_id)
        if db.session.scalar(stmt) is None:
            return slug
        slug, n = f"{base}-{n}", n + 1


def _write_template(template, cleaned):
    for name in ("title", "category", "summary", "campaign_provides", "weeks", "team_min", "team_max",
                 "hours_per_week", "deliverables", "metrics"):
        setattr(template, name, cleaned[name])
    wanted = {s["skill_id"]: s for s in cleaned["skills"]}
    for existing in list(template.skills):
        if existing.skill_id not in wanted:
            template.skills.remove(existing)
        else:
            need = wanted.pop(existing.skill_id)
            existing.level, existing.weight = need["level"], need["weight"]
    for need in wanted.values():
        template.skills.append(TemplateSkill(skill_id=need["skill_id"], level=need["level"], weight=need["weight"]))


def create_template(staff, data):
    """Add a menu item."""
    cleaned = validate_template(data, _allowed_skill_ids())
    template = ProjectTemplate(slug=_unique_slug(ProjectTemplate, slugify(cleaned["title"])))
    _write_template(template, cleaned)
    db.session.add(template)
    db.session.flush()
    audit.record(staff, "template.created", template, title=template.title)
    db.session.commit()
    return template


def update_template(staff, template, data):
    """Edit a menu item; projects already scoped from it keep their own copy of the scope."""
    keep = {s.skill_id for s in template.skills}
    cleaned = validate_template(data, _allowed_skill_ids(keep))
    _write_template(template, cleaned)
    audit.record(staff, "template.updated", template, title=template.title)
    db.session.commit()
    return template


def set_template_retired(staff, template, retired):
    """Retire (hide from scoping) or bring back a menu item; its past projects are untouched."""
    template.retired = bool(retired)
    audit.record(staff, "template.retired" if retired else "template.unretired", template)
    db.session.commit()
    return template


# ---------------------------------------------------------------- the skills taxonomy


def _clean_skill(data, exclude_id=None):
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError("Name the skill.", field="name")
    if data.get("category") not in SKILL_CATEGORIES:
        raise DomainError("Choose a category.", field="category")
    stmt = db.select(Skill.id).where(func.lower(Skill.name) == name.lower())
    if exclude_id is not None:
        stmt = stmt.where(Skill.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise DomainError(f"A skill called “{name}” already exists.", field="name")
    return {"name": name[:80], "category": data["category"], "description": (data.get("description") or "").strip()}


def create_skill(staff, data):
    cleaned = _clean_skill(data)
    skill = Skill(slug=_unique_slug(Skill, slugify(cleaned["name"])), **cleaned)
    db.session.add(skill)
    db.session.flush()
    audit.record(staff, "skill.created", skill, name=skill.name)
    db.session.commit()
    return skill


def update_skill(staff, skill, data):
    cleaned = _clean_skill(data, exclude_id=skill.id)
    for name, value in cleaned.items():
        setattr(skill, name, value)
    audit.record(staff, "skill.updated", skill, name=skill.name)
    db.session.commit()
    return skill


def set_skill_retired(staff, skill, retired):
    """Retire a skill: volunteers and new scopes no longer offer it; existing records keep it."""
    skill.retired = bool(retired)
    audit.record(staff, "skill.retired" if retired else "skill.unretired", skill)
    db.session.commit()
    return skill
