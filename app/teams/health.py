"""Health of active projects at a glance: late, at risk, silent. Two queries, however many projects.

* late: a check-in whose due date has passed is missing;
* at risk: the latest check-in says at risk or off track;
* silent: once the first check-in was due, nothing was logged in the last 10 days;
* needs a replacement: the team fell below its minimum, or has no lead (app/teams/seats.py).
"""
from datetime import timedelta

from sqlalchemy import and_, case, func
from sqlalchemy.orm import aliased

from app import clock
from app.extensions import db
from app.models import Campaign, CheckIn, Project, Sprint, TeamMembership, User, VolunteerProfile
from app.page_cache import cached
from app.teams import seats
from app.lifecycle import MembershipStatus, ProjectStatus

SILENT_DAYS = 10
PER_PAGE = 50


# Module-level: aliases made anew on each call miss SQLAlchemy's compiled-statement cache (about 1 ms a query).
_LATEST_CHECKIN, _LATEST_SPRINT = aliased(CheckIn), aliased(Sprint)


def _project_rows(today, campaign_ids=None):
    """One row per active project (of `campaign_ids`, a select, if given) with its sprint and check-in
    facts, aggregated by the database.

    A sprint has at most one check-in, so the outer joins never repeat a sprint; due dates rise with
    the sprint number, so "first due" and "next due" are minimums.
    """
    latest, latest_sprint = _LATEST_CHECKIN, _LATEST_SPRINT
    reported = CheckIn.id.is_not(None)
    latest_status = (
        db.select(latest.status)
        .join(latest_sprint, latest_sprint.id == latest.sprint_id)
        .where(latest.project_id == Project.id)
        .order_by(latest_sprint.number.desc())
        .limit(1)
        .correlate(Project)
        .scalar_subquery()
    )
    # The team's size and whether it has a lead, for "needs a replacement" (see app/teams/seats.py).
    active_member = (TeamMembership.project_id == Project.id) & (TeamMembership.status == MembershipStatus.ACTIVE)
    members = db.select(func.count()).where(active_member).correlate(Project).scalar_subquery()
    leads = (db.select(func.count()).where(active_member, TeamMembership.is_lead.is_(True))
             .correlate(Project).scalar_subquery())
    scope = [Project.campaign_id.in_(campaign_ids)] if campaign_ids is not None else []
    return db.session.execute(
        db.select(
            Project.id, Project.title, Project.end_date, Project.team_min, Campaign.name.label("campaign"),
            members.label("members"), leads.label("leads"),
            func.count(Sprint.id).label("sprints"),
            func.min(Sprint.due_on).label("first_due"),
            func.min(case((Sprint.due_on >= today, Sprint.due_on))).label("next_due"),
            func.sum(case((and_(Sprint.due_on < today, CheckIn.id.is_(None)), 1), else_=0)).label("missing"),
            func.max(case((reported, Sprint.number))).label("latest_sprint"),
            func.max(CheckIn.submitted_at).label("last_logged_at"),
            func.sum(case((and_(reported, CheckIn.acknowledged_at.is_(None)), 1), else_=0)).label("unacknowledged"),
            latest_status.label("latest_status"),
        )
        .join(Campaign, Campaign.id == Project.campaign_id)
        .outerjoin(Sprint, Sprint.project_id == Project.id)
        .outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
        .where(Project.status == ProjectStatus.ACTIVE, *scope)
        .group_by(Project.id, Project.title, Project.end_date, Project.team_min, Campaign.name)
    ).all()


def board(today=None, campaign_ids=None):
    """Rows for every active project (of `campaign_ids`, a select, if given: a partner's portfolio),
    the ones needing attention first, plus counts.

    Staff's whole board is the same for every staffer: kept up to 30 s per worker
    (app/page_cache.py). Callers must not change what it returns."""
    today = today or clock.today()
    if campaign_ids is None:
        return cached("health_board", _board, today)
    return _board(today, campaign_ids)


def _board(today, campaign_ids=None):
    scope = [Project.campaign_id.in_(campaign_ids)] if campaign_ids is not None else []
    leads = dict(
        db.session.execute(
            db.select(TeamMembership.project_id, User.name)
            .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
            .join(User, User.id == VolunteerProfile.user_id)
            .join(Project, Project.id == TeamMembership.project_id)
            .where(Project.status == ProjectStatus.ACTIVE, TeamMembership.is_lead.is_(True),
                   TeamMembership.status == MembershipStatus.ACTIVE, *scope)
        ).all()
    )
    rows = []
    for p in _project_rows(today, campaign_ids):
        last_logged = p.last_logged_at.date() if p.last_logged_at else None
        silent = (
            p.first_due is not None
            and today > p.first_due
            and (last_logged or p.first_due) <= today - timedelta(days=SILENT_DAYS)
        )
        at_risk = p.latest_status in ("at_risk", "off_track")
        late = bool(p.missing)
        members, has_lead = int(p.members or 0), bool(p.leads)
        short = seats.needs_replacement_counts(p.team_min, members, has_lead)
        flags = [f for f, on in (("late", late), ("at_risk", at_risk), ("silent", silent),
                                 ("needs_replacement", short)) if on]
        if short:
            level = "needs-replacement"
        elif p.latest_status == "off_track":
            level = "off-track"
        elif late or silent:
            level = "late" if late else "silent"
        elif at_risk:
            level = "at-risk"
        else:
            level = "ok"
        rows.append({
            "project_id": p.id,
            "title": p.title,
            "campaign": p.campaign,
            "lead": leads.get(p.id),
            "end_date": p.end_date,
            "flags": flags,
            "level": level,
            "late": late,
            "at_risk": at_risk,
            "silent": silent,
            "missing": int(p.missing or 0),
            "latest_status": p.latest_status,
            "latest_sprint": p.latest_sprint,
            "last_logged": last_logged,
            "unacknowledged": int(p.unacknowledged or 0),
            "next_due": p.next_due,
            "sprints": p.sprints,
            "needs_replacement": short,
            "members": members,
            "team_min": p.team_min,
            "has_lead": has_lead,
        })
    order = {"needs-replacement": 0, "off-track": 1, "late": 2, "silent": 3, "at-risk": 4, "ok": 5}
    rows.sort(key=lambda r: (order[r["level"]], r["end_date"], r["project_id"]))
    summary = {
        "active": len(rows),
        "late": sum(r["late"] for r in rows),
        "at_risk": sum(r["at_risk"] for r in rows),
        "silent": sum(r["silent"] for r in rows),
        "ok": sum(1 for r in rows if not r["flags"]),
        "needs_replacement": sum(r["needs_replacement"] for r in rows),
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
