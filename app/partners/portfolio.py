"""A partner's portfolio: its campaigns' requests, projects by stage, health, hours and deliverables.

A fixed number of queries (grouped by campaign or project in the database), however many campaigns.
"""
from collections import Counter, defaultdict

from app.extensions import db
from app.models import (
    Campaign,
    CheckIn,
    CheckInHours,
    Deliverable,
    DeliverableProgress,
    HelpRequest,
    PartnerCampaign,
    Project,
)
from app.teams import health
from app.lifecycle import ProjectStatus

STAGES = ("draft", "awaiting_approval", "changes_requested", "approved", "recruiting", "active", "completed",
          "cancelled")


PER_PAGE = 50


def portfolio(partner, page=1, per_page=PER_PAGE):
    """The portfolio's summary over every campaign, and one page of campaigns (top priority first)."""
    links = db.session.execute(
        db.select(Campaign, PartnerCampaign.priority_tier)
        .join(PartnerCampaign, PartnerCampaign.campaign_id == Campaign.id)
        .where(PartnerCampaign.partner_id == partner.id, PartnerCampaign.status == "active")
        .order_by(PartnerCampaign.priority_tier, Campaign.name)
    ).all()
    ids = [c.id for c, _ in links]
    in_portfolio = db.select(PartnerCampaign.campaign_id).where(
        PartnerCampaign.partner_id == partner.id, PartnerCampaign.status == "active")
    requests = defaultdict(Counter)
    for campaign_id, status, n in db.session.execute(
        db.select(HelpRequest.campaign_id, HelpRequest.status, db.func.count())
        .where(HelpRequest.campaign_id.in_(in_portfolio)).group_by(HelpRequest.campaign_id, HelpRequest.status)
    ):
        requests[campaign_id][str(status)] = n
    projects = db.session.execute(
        db.select(Project.id, Project.campaign_id, Project.title, Project.status, Project.end_date)
        .where(Project.campaign_id.in_(in_portfolio), Project.status != ProjectStatus.DRAFT).order_by(Project.start_date)
    ).all()
    hours = dict(db.session.execute(
        db.select(CheckIn.project_id, db.func.sum(CheckInHours.hours))
        .join(CheckInHours, CheckInHours.checkin_id == CheckIn.id)
        .join(Project, Project.id == CheckIn.project_id)
        .where(Project.campaign_id.in_(in_portfolio)).group_by(CheckIn.project_id)).all())
    best = (db.select(DeliverableProgress.deliverable_id, db.func.max(DeliverableProgress.progress).label("best"))
            .group_by(DeliverableProgress.deliverable_id).subquery())
    deliverables = {pid: (int(done or 0), int(total)) for pid, done, total in db.session.execute(
        db.select(Deliverable.project_id, db.func.sum(db.case((best.c.best >= 100, 1), else_=0)),
                  db.func.count(Deliverable.id))
        .outerjoin(best, best.c.deliverable_id == Deliverable.id)
        .join(Project, Project.id == Deliverable.project_id)
        .where(Project.campaign_id.in_(in_portfolio)).group_by(Deliverable.project_id)).all()}
    flags = {r["project_id"]: r for r in health.board(campaign_ids=in_portfolio)["rows"]}
    by_campaign = defaultdict(list)
    stages = Counter()
    for p in projects:
        stages[str(p.status)] += 1
        done, total = deliverables.get(p.id, (0, 0))
        row = flags.get(p.id)
        by_campaign[p.campaign_id].append({
            "id": p.id, "title": p.title, "status": str(p.status), "end_date": p.end_date,
            "hours": round(float(hours.get(p.id) or 0), 1), "deliverables_done": done, "deliverables": total,
            "level": row["level"] if row else None, "flags": row["flags"] if row else [],
        })
    rows = [{"campaign": c, "tier": tier, "requests": dict(requests[c.id]), "projects": by_campaign[c.id]}
            for c, tier in links]
    all_projects = [p for r in rows for p in r["projects"]]
    summary = {
        "campaigns": len(ids), "requests": sum(sum(r["requests"].values()) for r in rows),
        "hours": round(sum(p["hours"] for p in all_projects), 1),
        "deliverables_done": sum(p["deliverables_done"] for p in all_projects),
        "late": sum("late" in p["flags"] for p in all_projects),
        "at_risk": sum("at_risk" in p["flags"] for p in all_projects),
        "silent": sum("silent" in p["flags"] for p in all_projects),
    }
    stage_rows = [(s.replace("_", " ").capitalize(), stages[s]) for s in STAGES if stages[s]]
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(page, 1), pages)
    return {"rows": rows[(page - 1) * per_page: page * per_page], "summary": summary, "stages": stage_rows,
            "page": page, "pages": pages}
