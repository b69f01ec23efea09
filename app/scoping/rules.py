"""Scoping rules as pure functions: what makes a valid project scope or menu item.

Tests check each rule without a request; the write functions in app/scoping call them first.
"""
import re

from app.errors.domain import DomainError
from app.lifecycle import ProjectStatus
from app.models.projects import MENU_CATEGORIES
from app.teams.sprints import end_date_for, sprint_calendar

MIN_WEEKS, MAX_WEEKS = 1, 8
MIN_TEAM, MAX_TEAM = 3, 5
WEEKS_MESSAGE = "A phase lasts 1 to 8 weeks; plan more work as a follow-on project."
FOLLOW_ON_FROM = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)


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
