"""Load the skills taxonomy, the causes and the project menu (idempotent: upsert by slug).

The catalog in `app.seed.catalog` is the source of truth for the rows it names: running
`flask seed menu` again brings their fields back to the catalog's values and changes nothing
when they already match. Rows staff added themselves are left alone, and so is `retired`
(staff retire skills and templates; a reload does not bring them back).
"""
from app.extensions import db
from app.models import Cause, ProjectTemplate, Skill, TemplateSkill
from app.models.projects import MENU_CATEGORIES
from app.models.skills import SKILL_CATEGORIES
from app.seed.catalog import CAUSES, SKILLS, TEMPLATES

TEMPLATE_FIELDS = (
    "title", "category", "summary", "deliverables", "metrics", "campaign_provides",
    "team_min", "team_max", "hours_per_week", "weeks",
)


def _set(obj, **values):
    """Set only the attributes that differ, so an unchanged row is not written."""
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)


def check_catalog():
    """Raise ValueError if the catalog breaks a rule of the models (caught in tests, not in prod)."""
    slugs = {s[0] for s in SKILLS}
    problems = []
    for slug, _name, category, _desc in SKILLS:
        if category not in SKILL_CATEGORIES:
            problems.append(f"skill {slug}: unknown category {category}")
    bits = [c[2] for c in CAUSES]
    if len(set(bits)) != len(bits) or not all(0 <= b < 64 for b in bits):
        problems.append("cause bits must be unique and in 0..63")
    for t in TEMPLATES:
        where = f"template {t['slug']}"
        if t["category"] not in MENU_CATEGORIES:
            problems.append(f"{where}: unknown category {t['category']}")
        if not 1 <= t["weeks"] <= 8:
            problems.append(f"{where}: weeks must be 1..8")
        if not 3 <= t["team_min"] <= t["team_max"] <= 5:
            problems.append(f"{where}: team size must be within 3..5")
        for skill, level, weight in t["skills"]:
            if skill not in slugs:
                problems.append(f"{where}: unknown skill {skill}")
            if not 1 <= level <= 4 or weight <= 0:
                problems.append(f"{where}: bad level/weight for {skill}")
    if problems:
        raise ValueError("; ".join(problems))


def load_menu():
    """Upsert skills, causes and templates by slug; returns {"skills": n, "causes": n, "templates": n}."""
    check_catalog()
    skills = {s.slug: s for s in db.session.scalars(db.select(Skill))}
    for slug, name, category, description in SKILLS:
        skill = skills.get(slug)
        if skill is None:
            skill = skills[slug] = Skill(slug=slug, name=name, category=category, description=description)
            db.session.add(skill)
        else:
            _set(skill, name=name, category=category, description=description)

    causes = {c.slug: c for c in db.session.scalars(db.select(Cause))}
    used_bits = {c.bit for c in causes.values()}
    for slug, name, bit in CAUSES:
        cause = causes.get(slug)
        if cause is None:
            if bit in used_bits:  # staff gave our bit to a cause of their own: take the next free one
                bit = min(set(range(64)) - used_bits)
            used_bits.add(bit)
            db.session.add(Cause(slug=slug, name=name, bit=bit))
        else:
            _set(cause, name=name)  # a cause's bit never changes once given
    db.session.flush()  # skill ids for the template needs

    templates = {t.slug: t for t in db.session.scalars(db.select(ProjectTemplate))}
    for data in TEMPLATES:
        template = templates.get(data["slug"])
        values = {key: data[key] for key in TEMPLATE_FIELDS}
        if template is None:
            template = ProjectTemplate(slug=data["slug"], **values)
            db.session.add(template)
        else:
            _set(template, **values)
        wanted = {skills[slug].id: (level, float(weight)) for slug, level, weight in data["skills"]}
        have = {ts.skill_id: ts for ts in template.skills}
        for skill_id, ts in have.items():
            if skill_id not in wanted:
                template.skills.remove(ts)
        for skill_id, (level, weight) in wanted.items():
            ts = have.get(skill_id)
            if ts is None:
                template.skills.append(TemplateSkill(skill_id=skill_id, level=level, weight=weight))
            else:
                _set(ts, level=level, weight=weight)
    db.session.commit()
    return {"skills": len(SKILLS), "causes": len(CAUSES), "templates": len(TEMPLATES)}
