"""Scoping rules as pure functions: what makes a valid project scope or menu item.

Tests check each rule without a request; the write functions in app/scoping call them first.
"""
import re

from app.errors.domain import DomainError, DomainErrors
from app.lifecycle import ProjectStatus
from app.models.projects import MENU_CATEGORIES
from app.teams.sprints import end_date_for, sprint_calendar

MIN_WEEKS, MAX_WEEKS = 1, 8
MIN_TEAM, MAX_TEAM = 3, 5
WEEKS_MESSAGE = "A phase lasts 1 to 8 weeks; plan more work as a follow-on project."
FOLLOW_ON_FROM = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)


def _int(value, field, label, errors=None):
    """int(value); on bad input a DomainError, raised, or added to `errors` (then None is returned)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        err = DomainError(f"Enter the {label} as a whole number.", field=field)
        if errors is None:
            raise err from None
        errors.append(err)
        return None


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _fail(errors, message, field):
    errors.append(DomainError(message, field=field))


def _raise_all(errors):
    """Every broken rule at once, so a form shows them together (app/errors/domain.py)."""
    if errors:
        raise DomainErrors(errors)


def _metrics(rows, errors):
    metrics = []
    for row in rows or ():
        name = (row.get("name") or "").strip()
        if not name:
            continue  # a blank row of the form
        target = row.get("target")
        if target is not None and target < 0:
            _fail(errors, f"The target of “{name}” cannot be negative.", "metrics")
            continue
        metrics.append({"name": name[:160], "unit": (row.get("unit") or "").strip()[:40], "target": target})
    return metrics


def _skill_needs(rows, allowed_skill_ids, errors):
    needs, found = {}, len(errors)
    for row in rows or ():
        if not row.get("skill_id"):
            continue  # a blank row of the form
        skill_id = _int(row["skill_id"], "skills", "skill", errors)
        if skill_id is None:
            continue
        if skill_id not in allowed_skill_ids:
            _fail(errors, "That skill is unknown or retired; pick another.", "skills")
            continue
        if skill_id in needs:
            _fail(errors, "Each skill is listed once; merge the duplicate rows.", "skills")
            continue
        level = _int(row.get("level"), "skills", "level", errors)
        if level is None:
            continue
        if not 1 <= level <= 4:
            _fail(errors, "A skill level is 1 (beginner) to 4 (expert).", "skills")
            continue
        weight = row.get("weight")
        weight = 1.0 if weight in (None, "") else float(weight)
        if weight <= 0:
            _fail(errors, "A skill's weight is a positive number (1 = normal).", "skills")
            continue
        needs[skill_id] = {"skill_id": skill_id, "level": level, "weight": weight}
    if not needs and len(errors) == found:
        _fail(errors, "Add at least one skill the team needs.", "skills")
    return list(needs.values())


def _common(data, allowed_skill_ids, errors):
    """The rules shared by menu items and projects: the cleaned fields (None where a rule broke),
    every broken rule added to `errors`."""
    title = (data.get("title") or "").strip()
    if not title:
        _fail(errors, "Give it a title.", "title")
    weeks = _int(data.get("weeks"), "weeks", "number of weeks", errors)
    if weeks is not None and not MIN_WEEKS <= weeks <= MAX_WEEKS:
        _fail(errors, WEEKS_MESSAGE, "weeks")
        weeks = None
    team_min = _int(data.get("team_min"), "team_min", "smallest team", errors)
    team_max = _int(data.get("team_max"), "team_max", "largest team", errors)
    if team_min is not None and not MIN_TEAM <= team_min <= MAX_TEAM:
        _fail(errors, "A team has 3 to 5 members.", "team_min")
        team_min = None
    if team_max is not None and not MIN_TEAM <= team_max <= MAX_TEAM:
        _fail(errors, "A team has 3 to 5 members.", "team_max")
        team_max = None
    if team_min is not None and team_max is not None and team_min > team_max:
        _fail(errors, "The smallest team is larger than the largest.", "team_min")
    hours = _int(data.get("hours_per_week"), "hours_per_week", "hours per week", errors)
    if hours is not None and not 1 <= hours <= 40:
        _fail(errors, "Between 1 and 40 hours a week.", "hours_per_week")
    deliverables = _lines(data.get("deliverables"))
    if not deliverables:
        _fail(errors, "List at least one deliverable, one per line.", "deliverables")
    return {
        "title": title[:160],
        "summary": (data.get("summary") or "").strip(),
        "campaign_provides": (data.get("campaign_provides") or "").strip(),
        "weeks": weeks,
        "team_min": team_min,
        "team_max": team_max,
        "hours_per_week": hours,
        "deliverables": [d[:255] for d in deliverables],
        "metrics": _metrics(data.get("metrics"), errors),
        "skills": _skill_needs(data.get("skills"), allowed_skill_ids, errors),
    }


def validate_scope(data, template, campaign, today, allowed_skill_ids, previous=None):
    """Check a project scope against every rule; return the cleaned scope or raise DomainErrors
    listing every rule it breaks (one per field at most, except skill and metric rows).

    The end date is computed (start + weeks), never typed. A project ending after the
    election is allowed but flagged: `ends_after_election` is set in the result.
    """
    errors = []
    scope = _common(data, allowed_skill_ids, errors)
    team_min, team_max = scope["team_min"], scope["team_max"]
    if (template is not None and team_min is not None and team_max is not None
            and not template.team_min <= team_min <= team_max <= template.team_max):
        _fail(errors, f"“{template.title}” works with a team of {template.team_min} to {template.team_max}.",
              "team_min" if team_min < template.team_min else "team_max")
    start = data.get("start_date")
    if start is None:
        _fail(errors, "Choose the start date.", "start_date")
    elif start < today:
        _fail(errors, "The start date is in the past.", "start_date")
    if previous is not None:
        if previous.campaign_id != campaign.id or previous.status not in FOLLOW_ON_FROM:
            _fail(errors, "Follow-on work continues an active or completed project of the same campaign.",
                  "previous_project_id")
    _raise_all(errors)
    scope["start_date"] = start
    scope["end_date"] = end_date_for(start, scope["weeks"])
    scope["ends_after_election"] = scope["end_date"] > campaign.election_date
    scope["previous_project_id"] = previous.id if previous is not None else None
    return scope


def scope_problems(*args, **kwargs):
    """Every rule validate_scope(*args) finds broken, as a list (empty when the scope is valid)."""
    try:
        validate_scope(*args, **kwargs)
    except DomainErrors as err:
        return err.errors
    return []


def validate_template(data, allowed_skill_ids):
    """Check a menu item against the rules; return the cleaned fields or raise DomainErrors."""
    errors = []
    cleaned = _common(data, allowed_skill_ids, errors)
    if data.get("category") not in MENU_CATEGORIES:
        _fail(errors, "Choose a menu category.", "category")
    if not cleaned["summary"]:
        _fail(errors, "Summarise the project in a sentence or two.", "summary")
    _raise_all(errors)
    cleaned["category"] = data["category"]
    return cleaned


def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"


def sprint_rhythm(project):
    """[(number, starts_on, ends_on, checkin_due)] for the scope pages."""
    return sprint_calendar(project.start_date, project.weeks)
