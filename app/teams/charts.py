"""Chart.js configurations (plain dicts, rendered as JSON blocks) for the teams pages."""
from sqlalchemy import func

from app.extensions import db
from app.models import (
    CheckIn, CheckInHours, DeliverableProgress, MetricValue, Sprint, TeamMembership, User, VolunteerProfile,
)
from app.lifecycle import MembershipStatus

PALETTE = ("#1d5fbf", "#1e7f4f", "#9a6700", "#b42318", "#6941c6", "#0e7490", "#c11574", "#5b6470")


def _color(i):
    return PALETTE[i % len(PALETTE)]


def _sprint_numbers(project):
    return [n for (n,) in db.session.execute(
        db.select(Sprint.number).where(Sprint.project_id == project.id).order_by(Sprint.number))]


def burnup(project, numbers=None):
    """Deliverables' average progress and each metric's % of target, per sprint, against the ideal line.

    `numbers`: the project's sprint numbers in order, when the caller has them."""
    numbers = _sprint_numbers(project) if numbers is None else numbers
    if not numbers:
        return None
    labels = [f"Sprint {n}" for n in numbers]
    avg = dict(db.session.execute(
        db.select(Sprint.number, func.avg(DeliverableProgress.progress))
        .join(CheckIn, CheckIn.id == DeliverableProgress.checkin_id)
        .join(Sprint, Sprint.id == CheckIn.sprint_id)
        .where(CheckIn.project_id == project.id)
        .group_by(Sprint.number)
    ).all())
    datasets = [
        {"label": "Ideal", "data": [round(100 * n / len(numbers), 1) for n in numbers],
         "borderColor": "#a0a7b1", "borderDash": [6, 4], "pointRadius": 0, "fill": False},
        {"label": "Deliverables (average %)", "data": [_round(avg.get(n)) for n in numbers],
         "borderColor": _color(0), "backgroundColor": _color(0), "spanGaps": True, "borderWidth": 3},
    ]
    metrics = list(project.metrics)  # the relationship the workspace template reads too: loaded once
    values = {}
    for number, metric_id, value in db.session.execute(
        db.select(Sprint.number, MetricValue.metric_id, MetricValue.value)
        .join(CheckIn, CheckIn.id == MetricValue.checkin_id)
        .join(Sprint, Sprint.id == CheckIn.sprint_id)
        .where(CheckIn.project_id == project.id)
    ):
        values[(number, metric_id)] = value
    for i, metric in enumerate(metrics, start=1):
        if not metric.target:
            continue
        data = [_round(100 * values[(n, metric.id)] / metric.target) if (n, metric.id) in values else None
                for n in numbers]
        datasets.append({"label": f"{metric.name} (% of target)", "data": data, "borderColor": _color(i),
                         "backgroundColor": _color(i), "spanGaps": True})
    return {
        "type": "line",
        "data": {"labels": labels, "datasets": datasets},
        "options": {"scales": {"y": {"beginAtZero": True, "suggestedMax": 100,
                                     "title": {"display": True, "text": "% done"}}},
                    "plugins": {"legend": {"position": "bottom"}}},
    }


def hours_per_week(project, numbers=None):
    """Hours per sprint, stacked by member (`numbers`: the sprint numbers, when the caller has them)."""
    rows = db.session.execute(
        db.select(Sprint.number, CheckInHours.membership_id, CheckInHours.hours)
        .join(CheckIn, CheckIn.id == CheckInHours.checkin_id)
        .join(Sprint, Sprint.id == CheckIn.sprint_id)
        .where(CheckIn.project_id == project.id)
    ).all()
    numbers = _sprint_numbers(project) if numbers is None else numbers
    if not numbers:
        return None
    names = dict(db.session.execute(
        db.select(TeamMembership.id, User.name)
        .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(TeamMembership.project_id == project.id)
        .order_by(TeamMembership.is_lead.desc(), TeamMembership.joined_at, TeamMembership.id)
    ).all())
    hours = {(n, mid): h for n, mid, h in rows}
    datasets = [
        {"label": name, "data": [hours.get((n, mid), 0) for n in numbers], "backgroundColor": _color(i),
         "stack": "hours"}
        for i, (mid, name) in enumerate(names.items())
    ]
    committed = sum(m.hours_per_week for m in project.memberships if m.status != MembershipStatus.DROPPED)
    datasets.append({"type": "line", "label": "Committed", "data": [committed] * len(numbers),
                     "borderColor": "#a0a7b1", "borderDash": [6, 4], "pointRadius": 0, "fill": False})
    return {
        "type": "bar",
        "data": {"labels": [f"Sprint {n}" for n in numbers], "datasets": datasets},
        "options": {"scales": {"x": {"stacked": True}, "y": {"stacked": True, "beginAtZero": True,
                                                           "title": {"display": True, "text": "hours"}}},
                    "plugins": {"legend": {"position": "bottom"}}},
    }


def pipeline(stages):
    """Staff pipeline [(label, count)] as a horizontal bar chart."""
    return {
        "type": "bar",
        "data": {"labels": [label for label, _ in stages],
                 "datasets": [{"label": "Projects", "data": [count for _, count in stages],
                               "backgroundColor": [_color(i) for i in range(len(stages))], "maxBarThickness": 28}]},
        "options": {"indexAxis": "y", "plugins": {"legend": {"display": False}},
                    "scales": {"x": {"beginAtZero": True, "ticks": {"precision": 0}}}},
    }


def volunteer_hours(history_rows):
    """Hours given per project, from the volunteer's history."""
    if not history_rows:
        return None
    return {
        "type": "bar",
        "data": {"labels": [r["title"] for r in history_rows],
                 "datasets": [{"label": "Hours", "data": [r["hours"] for r in history_rows],
                               "backgroundColor": _color(1), "maxBarThickness": 28}]},
        "options": {"indexAxis": "y", "plugins": {"legend": {"display": False}},
                    "scales": {"x": {"beginAtZero": True, "title": {"display": True, "text": "hours"}}}},
    }


def _round(value):
    return None if value is None else round(float(value), 1)
