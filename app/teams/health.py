"""Health of active projects at a glance: late, at risk, silent. Three queries, however many projects.

* late: a check-in whose due date has passed is missing;
* at risk: the latest check-in says at risk or off track;
* silent: once the first check-in was due, nothing was logged in the last 10 days.
"""
from datetime import date, timedelta

from app.extensions import db
from app.models import Campaign, CheckIn, Project, Sprint, TeamMembership, User, VolunteerProfile

SILENT_DAYS = 10
PER_PAGE = 50


def board(today=None):
    """Rows for every active project, the ones needing attention first, plus counts."""
    today = today or date.today()
    projects = db.session.execute(
        db.select(Project.id, Project.title, Project.start_date, Project.end_date, Campaign.name)
        .join(Campaign, Campaign.id == Project.campaign_id)
        .where(Project.status == "active")
    ).all()
    sprints = db.session.execute(
        db.select(
            Sprint.project_id, Sprint.number, Sprint.due_on, CheckIn.status, CheckIn.submitted_at,
            CheckIn.updated_at, CheckIn.acknowledged_at,
        )
        .join(Project, Project.id == Sprint.project_id)
        .outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
        .where(Project.status == "active")
        .order_by(Sprint.project_id, Sprint.number)
    ).all()
    leads = dict(
        db.session.execute(
            db.select(TeamMembership.project_id, User.name)
            .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
            .join(User, User.id == VolunteerProfile.user_id)
            .join(Project, Project.id == TeamMembership.project_id)
            .where(Project.status == "active", TeamMembership.is_lead.is_(True))
        ).all()
    )
    by_project = {}
    for row in sprints:
        by_project.setdefault(row.project_id, []).append(row)

    rows = []
    for p in projects:
        srows = by_project.get(p.id, [])
        due = [s for s in srows if s.due_on < today]
        missing = [s for s in due if s.status is None]
        reported = [s for s in srows if s.status is not None]
        latest = reported[-1] if reported else None
        last_logged = max((s.submitted_at.date() for s in reported), default=None)
        first_due = srows[0].due_on if srows else None
        silent = (
            first_due is not None
            and today > first_due
            and (last_logged or first_due) <= today - timedelta(days=SILENT_DAYS)
        )
        at_risk = latest is not None and latest.status in ("at_risk", "off_track")
        late = bool(missing)
        flags = [f for f, on in (("late", late), ("at_risk", at_risk), ("silent", silent)) if on]
        if latest is not None and latest.status == "off_track":
            level = "off-track"
        elif late or silent:
            level = "late" if late else "silent"
        elif at_risk:
            level = "at-risk"
        else:
            level = "ok"
        current = next((s for s in srows if s.due_on >= today), None)
        rows.append({
            "project_id": p.id,
            "title": p.title,
            "campaign": p.name,
            "lead": leads.get(p.id),
            "end_date": p.end_date,
            "flags": flags,
            "level": level,
            "late": late,
            "at_risk": at_risk,
            "silent": silent,
            "missing": len(missing),
            "latest_status": latest.status if latest else None,
            "latest_sprint": latest.number if latest else None,
            "last_logged": last_logged,
            "unacknowledged": sum(1 for s in reported if s.acknowledged_at is None),
            "next_due": current.due_on if current else None,
            "sprints": len(srows),
        })
    order = {"off-track": 0, "late": 1, "silent": 2, "at-risk": 3, "ok": 4}
    rows.sort(key=lambda r: (order[r["level"]], r["end_date"], r["project_id"]))
    summary = {
        "active": len(rows),
        "late": sum(r["late"] for r in rows),
        "at_risk": sum(r["at_risk"] for r in rows),
        "silent": sum(r["silent"] for r in rows),
        "ok": sum(1 for r in rows if not r["flags"]),
    }
    return {"rows": rows, "summary": summary}


def board_page(page=1, per_page=None, today=None):
    """One page of the board (attention first), with the summary of all active projects."""
    per_page = per_page or PER_PAGE
    full = board(today)
    pages = max(1, -(-len(full["rows"]) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return {**full, "rows": full["rows"][start:start + per_page], "page": page, "pages": pages,
            "total": len(full["rows"]), "first": start + 1}


def needing_attention(limit=10, today=None):
    """The staff overview's excerpt: flagged projects only, worst first, at most `limit`."""
    full = board(today)
    flagged = [r for r in full["rows"] if r["flags"]]
    return {"summary": full["summary"], "rows": flagged[:limit], "more": max(len(flagged) - limit, 0)}
