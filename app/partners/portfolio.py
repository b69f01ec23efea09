"""A partner's portfolio: its campaigns' requests, projects by stage, health, hours and deliverables.

A fixed number of queries, however many campaigns, and work in Python bounded by one page: the
summary (campaigns, requests, hours, deliverables done, stages, late / at risk / silent) is
aggregated by the database over the whole portfolio (`_totals`); the details are read for one
page of campaigns only (PER_PAGE, top priority first; `_details`). Both are kept a minute per
worker (app/page_cache.py): a partner watches a portfolio, a minute late is harmless, and a write
in the same worker drops them at once.
"""
from collections import Counter, defaultdict

from app import reads
from app.extensions import db
from app.lifecycle import PortfolioStatus, ProjectStatus
from app.page_cache import cached
from app.models import (
    Campaign,
    CheckIn,
    CheckInHours,
    Deliverable,
    HelpRequest,
    PartnerCampaign,
    Project,
)
from app.teams import health

STAGES = ("draft", "awaiting_approval", "changes_requested", "approved", "recruiting", "active", "completed",
          "cancelled")
PER_PAGE = 20  # a page a phone can scroll; totals cover every campaign whatever the page


def _project_figures(project_scope):
    """(project id, hours logged, deliverables done, deliverables) for the projects in `project_scope`.

    Done: the deliverable's latest check-in put it at 100% (Deliverable.progress, which the workspace
    shows too), so the portfolio never reads the progress history."""
    hours = (db.select(CheckIn.project_id.label("project_id"), db.func.sum(CheckInHours.hours).label("hours"))
             .join(CheckInHours, CheckInHours.checkin_id == CheckIn.id)
             .where(CheckIn.project_id.in_(project_scope)).group_by(CheckIn.project_id).subquery())
    deliverables = (db.select(Deliverable.project_id.label("project_id"),
                              db.func.sum(db.case((Deliverable.progress >= 100, 1), else_=0)).label("done"),
                              db.func.count(Deliverable.id).label("total"))
                    .where(Deliverable.project_id.in_(project_scope)).group_by(Deliverable.project_id).subquery())
    return hours, deliverables


def portfolio(partner, page=1, per_page=PER_PAGE):
    """The portfolio's summary over every campaign, and one page of campaigns (top priority first).

    The campaigns of the page and their tiers are read fresh (a priority just set shows at once, in
    whichever worker serves the next page); their details are kept a minute per worker like the totals."""
    totals = cached("portfolio_totals", _totals, partner.id)
    flags = totals["flags"]
    campaigns = totals["campaigns"]

    pages = max(1, -(-campaigns // per_page))
    page = min(max(page, 1), pages)
    found = reads.by_kind(reads.rows(_page_links(), partner_id=partner.id, limit=per_page,
                                     offset=(page - 1) * per_page), ("campaign", "invited"))
    links = found["campaign"]
    details = cached("portfolio_details", _details, tuple(c.id for c in links))
    rows = []
    for c in links:
        projects = [{**p, "level": flags[p["id"]]["level"] if p["id"] in flags else None,
                     "flags": flags[p["id"]]["flags"] if p["id"] in flags else []}
                    for p in details["projects"].get(c.id, ())]
        rows.append({"campaign": c, "tier": c.tier, "requests": details["requests"].get(c.id, {}), "projects": projects})
    return {"rows": rows, "pending": found["invited"], "summary": totals["summary"], "stages": totals["stages"],
            "page": page, "pages": pages}


# The page's campaigns with their tiers (top priority first), and the invitations still waiting for an
# answer (oldest first), in one UNION ALL of rows (app/reads.py): the page shows only these columns.
_LINK_COLUMNS = {"id": db.Integer, "name": db.String, "office": db.String, "city": db.String, "state": db.String,
                 "election_date": db.Date, "tier": db.SmallInteger, "since": db.DateTime}


@reads.statement
def _page_links():
    partner_id = db.bindparam("partner_id")
    campaign = {"id": Campaign.id, "name": Campaign.name, "office": Campaign.office, "city": Campaign.city,
                "state": Campaign.state, "election_date": Campaign.election_date}
    on_page = (db.select(PartnerCampaign.campaign_id).join(Campaign, Campaign.id == PartnerCampaign.campaign_id)
               .where(PartnerCampaign.partner_id == partner_id, PartnerCampaign.status == PortfolioStatus.ACTIVE)
               .order_by(PartnerCampaign.priority_tier, Campaign.name, Campaign.id)
               .limit(db.bindparam("limit")).offset(db.bindparam("offset")))

    def links(status, *where):
        return lambda q: q.select_from(PartnerCampaign).join(Campaign, Campaign.id == PartnerCampaign.campaign_id) \
            .where(PartnerCampaign.partner_id == partner_id, PartnerCampaign.status == status, *where)

    return reads.union(_LINK_COLUMNS, {
        "campaign": ({**campaign, "tier": PartnerCampaign.priority_tier},
                     links(PortfolioStatus.ACTIVE, PartnerCampaign.campaign_id.in_(on_page))),
        "invited": ({**campaign, "since": PartnerCampaign.created_at}, links(PortfolioStatus.INVITED)),
    }, order_by=("kind", "tier", "since", "name", "id"))


def _details(campaign_ids):
    """Requests by status and projects past the draft stage (hours, deliverables) of these campaigns:
    two statements, whatever their number."""
    requests = defaultdict(dict)
    for campaign_id, status, n in db.session.execute(
        db.select(HelpRequest.campaign_id, HelpRequest.status, db.func.count())
        .where(HelpRequest.campaign_id.in_(campaign_ids)).group_by(HelpRequest.campaign_id, HelpRequest.status)
    ):
        requests[campaign_id][str(status)] = n
    shown = db.select(Project.id).where(Project.campaign_id.in_(campaign_ids), Project.status != ProjectStatus.DRAFT)
    hours, deliverables = _project_figures(shown)
    projects = defaultdict(list)
    for p in db.session.execute(
        db.select(Project.id, Project.campaign_id, Project.title, Project.status, Project.end_date,
                  hours.c.hours, deliverables.c.done, deliverables.c.total)
        .outerjoin(hours, hours.c.project_id == Project.id)
        .outerjoin(deliverables, deliverables.c.project_id == Project.id)
        .where(Project.campaign_id.in_(campaign_ids), Project.status != ProjectStatus.DRAFT)
        .order_by(Project.start_date, Project.id)
    ):
        projects[p.campaign_id].append({
            "id": p.id, "title": p.title, "status": str(p.status), "end_date": p.end_date,
            "hours": round(float(p.hours or 0), 1), "deliverables_done": int(p.done or 0),
            "deliverables": int(p.total or 0),
        })
    return {"requests": dict(requests), "projects": dict(projects)}


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
    hours, deliverables = _project_figures(shown)
    hours_total = db.session.scalar(db.select(db.func.sum(hours.c.hours)))
    done_total = db.session.scalar(db.select(db.func.sum(deliverables.c.done)))
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
