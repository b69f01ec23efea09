"""A partner's portfolio: its campaigns' requests, projects by stage, health, hours and deliverables.

A fixed number of queries, however many campaigns, and work in Python bounded by one page: the
summary (campaigns, requests, hours, deliverables done, stages, late / at risk / silent) is
aggregated by the database over the whole portfolio and kept a minute per worker (`_totals`);
the details are read for one page of campaigns only (PER_PAGE, top priority first).
"""
from collections import Counter, defaultdict

from app.extensions import db
from app.lifecycle import PortfolioStatus, ProjectStatus
from app.page_cache import cached
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

STAGES = ("draft", "awaiting_approval", "changes_requested", "approved", "recruiting", "active", "completed",
          "cancelled")
PER_PAGE = 20  # a page a phone can scroll; totals cover every campaign whatever the page


def _hours_by_project(project_scope):
    return db.select(CheckIn.project_id, db.func.sum(CheckInHours.hours)) \
        .join(CheckInHours, CheckInHours.checkin_id == CheckIn.id) \
        .where(CheckIn.project_id.in_(project_scope)).group_by(CheckIn.project_id)


def _deliverables_by_project(project_scope):
    """(project id, deliverables done, deliverables) — done: some check-in reported it at 100%."""
    best = (db.select(DeliverableProgress.deliverable_id, db.func.max(DeliverableProgress.progress).label("best"))
            .join(Deliverable, Deliverable.id == DeliverableProgress.deliverable_id)
            .where(Deliverable.project_id.in_(project_scope))
            .group_by(DeliverableProgress.deliverable_id).subquery())
    return (db.select(Deliverable.project_id, db.func.sum(db.case((best.c.best >= 100, 1), else_=0)),
                      db.func.count(Deliverable.id))
            .outerjoin(best, best.c.deliverable_id == Deliverable.id)
            .where(Deliverable.project_id.in_(project_scope)).group_by(Deliverable.project_id))


def portfolio(partner, page=1, per_page=PER_PAGE):
    """The portfolio's summary over every campaign, and one page of campaigns (top priority first)."""
    totals = cached("portfolio_totals", _totals, partner.id)
    flags = totals["flags"]
    campaigns = totals["campaigns"]

    # One page of campaigns, and only their details.
    pages = max(1, -(-campaigns // per_page))
    page = min(max(page, 1), pages)
    links = db.session.execute(
        db.select(Campaign, PartnerCampaign.priority_tier)
        .join(PartnerCampaign, PartnerCampaign.campaign_id == Campaign.id)
        .where(PartnerCampaign.partner_id == partner.id, PartnerCampaign.status == PortfolioStatus.ACTIVE)
        .order_by(PartnerCampaign.priority_tier, Campaign.name, Campaign.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    ids = [c.id for c, _ in links]
    requests = defaultdict(Counter)
    for campaign_id, status, n in db.session.execute(
        db.select(HelpRequest.campaign_id, HelpRequest.status, db.func.count())
        .where(HelpRequest.campaign_id.in_(ids)).group_by(HelpRequest.campaign_id, HelpRequest.status)
    ):
        requests[campaign_id][str(status)] = n
    projects = db.session.execute(
        db.select(Project.id, Project.campaign_id, Project.title, Project.status, Project.end_date)
        .where(Project.campaign_id.in_(ids), Project.status != ProjectStatus.DRAFT).order_by(Project.start_date)
    ).all()
    on_page = [p.id for p in projects]
    hours = dict(db.session.execute(_hours_by_project(on_page)).all())
    deliverables = {pid: (int(done or 0), int(total))
                    for pid, done, total in db.session.execute(_deliverables_by_project(on_page))}
    by_campaign = defaultdict(list)
    for p in projects:
        done, total = deliverables.get(p.id, (0, 0))
        row = flags.get(p.id)
        by_campaign[p.campaign_id].append({
            "id": p.id, "title": p.title, "status": str(p.status), "end_date": p.end_date,
            "hours": round(float(hours.get(p.id) or 0), 1), "deliverables_done": done, "deliverables": total,
            "level": row["level"] if row else None, "flags": row["flags"] if row else [],
        })
    rows = [{"campaign": c, "tier": tier, "requests": dict(requests[c.id]), "projects": by_campaign[c.id]}
            for c, tier in links]
    return {"rows": rows, "summary": totals["summary"], "stages": totals["stages"], "page": page, "pages": pages}


def _scope(partner_id):
    """(the portfolio's campaign ids, its projects past the draft stage), as selects."""
    in_portfolio = db.select(PartnerCampaign.campaign_id).where(
        PartnerCampaign.partner_id == partner_id, PartnerCampaign.status == PortfolioStatus.ACTIVE)
    shown = db.select(Project.id).where(Project.campaign_id.in_(in_portfolio), Project.status != ProjectStatus.DRAFT)
    return in_portfolio, shown


def _totals(partner_id):
    """The summary over every campaign of the portfolio, aggregated by the database, and the health
    flags of its active projects. The same for every member of the partner: kept up to
    PAGE_CACHE_SECONDS["portfolio_totals"] per worker (app/page_cache.py), dropped at once when
    this worker writes a table it reads."""
    in_portfolio, shown = _scope(partner_id)
    campaigns = db.session.scalar(db.select(db.func.count()).select_from(in_portfolio.subquery()))
    requests_total = db.session.scalar(db.select(db.func.count(HelpRequest.id))
                                       .where(HelpRequest.campaign_id.in_(in_portfolio)))
    stages = Counter({str(status): n for status, n in db.session.execute(
        db.select(Project.status, db.func.count()).where(Project.id.in_(shown)).group_by(Project.status))})
    hours_total = db.session.scalar(db.select(db.func.sum(CheckInHours.hours))
                                    .join(CheckIn, CheckIn.id == CheckInHours.checkin_id)
                                    .where(CheckIn.project_id.in_(shown)))
    per_project = _deliverables_by_project(shown).subquery()
    done_total = db.session.scalar(db.select(db.func.sum(per_project.c[1])))
    # Health covers active projects only: a handful, even in a large portfolio.
    flags = {r["project_id"]: {"level": r["level"], "flags": list(r["flags"])}
             for r in health.board(campaign_ids=in_portfolio)["rows"]}
    summary = {
        "campaigns": campaigns, "requests": requests_total, "hours": round(float(hours_total or 0), 1),
        "deliverables_done": int(done_total or 0),
        **{key: sum(flag in r["flags"] for r in flags.values()) for key, flag in (
            ("late", "late"), ("at_risk", "at_risk"), ("silent", "silent"))},
    }
    stage_rows = [(s.replace("_", " ").capitalize(), stages[s]) for s in STAGES if stages[s]]
    return {"campaigns": campaigns, "summary": summary, "stages": stage_rows, "flags": flags}
