"""What the scope and menu-item forms start from: a menu item, a project, or nothing."""

from app import clock
from app.scoping.rules import MAX_TEAM, MIN_TEAM

BLANK_ROWS = 3  # spare rows in the metric and skill tables of a form


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
    today = today or clock.today()
    desired = help_request.desired_start if help_request is not None else None
    return {
        **_menu_item_fields(template),
        "start_date": desired if desired and desired >= today else None,
        "previous_project_id": "",
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
    return {**_menu_item_fields(template), "category": template.category}


def _menu_item_fields(template):
    """A menu item's scope as form data: what both its own form and a scope started from it show."""
    return {
        "title": template.title,
        "summary": template.summary,
        "campaign_provides": template.campaign_provides,
        "deliverables": "\n".join(template.deliverables or ()),
        "team_min": template.team_min,
        "team_max": template.team_max,
        "hours_per_week": template.hours_per_week,
        "weeks": template.weeks,
        **_rows([dict(m) for m in template.metrics or ()], template.skills),
    }
