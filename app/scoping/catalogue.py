"""The menu of project templates and the skills taxonomy that staff keep."""
from sqlalchemy import func

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.models import Project, ProjectTemplate, Skill, TemplateSkill
from app.models.skills import SKILL_CATEGORIES
from app.scoping.rules import slugify, validate_template


def allowed_skill_ids(keep=()):
    """Ids of skills a new scope or menu item may ask for: the active ones, plus any in `keep`."""
    return set(db.session.scalars(db.select(Skill.id).where(Skill.retired.is_(False)))) | set(keep)


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
    sync_skill_needs(template.skills, cleaned["skills"], TemplateSkill)


def sync_skill_needs(rows, needs, row_class):
    """Make a menu item's or a project's skill rows match `needs` [{skill_id, level, weight}].

    Updated in place: a skill row is keyed by (owner, skill), so delete-and-insert would collide.
    """
    wanted = {s["skill_id"]: s for s in needs}
    for existing in list(rows):
        if existing.skill_id not in wanted:
            rows.remove(existing)
        else:
            need = wanted.pop(existing.skill_id)
            existing.level, existing.weight = need["level"], need["weight"]
    for need in wanted.values():
        rows.append(row_class(skill_id=need["skill_id"], level=need["level"], weight=need["weight"]))


def create_template(staff, data):
    """Add a menu item."""
    cleaned = validate_template(data, allowed_skill_ids())
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
    cleaned = validate_template(data, allowed_skill_ids(keep))
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
