"""Every main page issues a bounded number of SQL queries, whatever the size of the data.

Each page is requested on a small world and on a larger one (about 3x the rows of everything
the page shows: invitations, memberships, team members, sprints, check-ins, hours, deliverables,
metrics, skills, candidates, campaigns, requests, active projects), counting the statements the
engine sends (SQLAlchemy `before_cursor_execute`). The counts must be equal: a difference is an
N+1 (a query per row) somewhere in the view, the service or the template.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db as _db
from app.models import (
    CampaignMember, CheckIn, CheckInHours, CheckInNote, Deliverable, DeliverableProgress, FinalReport, HelpRequest, Invitation,
    MatchCandidate, MatchRun, Metric, MetricValue, ProjectSkill, Sprint, TeamMembership,
)
from app.models.base import utcnow
from app.teams.sprints import end_date_for, sprint_calendar

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): query counts depend on the dialect (RETURNING,
# executemany, eager loads).
pytestmark = pytest.mark.postgres

SMALL, LARGE = 1, 3


@dataclass
class World:
    staff: object
    volunteer: object  # the lead of the workspace project, with invitations, commitments and history
    campaign_user: object
    campaign: object  # one of the campaign user's campaigns (the workspace project's)
    workspace_project: object
    match_project: object
    invitation: object
    urls: dict = field(default_factory=dict)


def _project(make, campaign, status, weeks, start, n_skills, n_items, skills, title="Project"):
    p = make.project(campaign, status=status, weeks=weeks, title=title, start_in_days=0)
    p.start_date, p.end_date = start, end_date_for(start, weeks)
    p.summary = "A well-scoped project."
    for i in range(n_skills):
        p.skills.append(ProjectSkill(skill_id=skills[i].id, level=2, weight=1.0))
    p.deliverables = [Deliverable(title=f"Deliverable {i}", position=i, progress=10 * i) for i in range(n_items)]
    p.metrics = [Metric(name=f"Metric {i}", unit="$", target=1000, position=i) for i in range(n_items)]
    _db.session.commit()
    return p


def _team(make, project, size, lead=None, status="active"):
    """`size` members (the first is `lead` when given, else a new lead-trained volunteer)."""
    users = [lead or make.volunteer(hours=40, lead_trained=True)]
    users += [make.volunteer(hours=40) for _ in range(size - 1)]
    memberships = []
    for i, u in enumerate(users):
        m = TeamMembership(project_id=project.id, volunteer_id=u.volunteer_profile.id, is_lead=(i == 0),
                           hours_per_week=project.hours_per_week, status=status)
        _db.session.add(m)
        memberships.append(m)
    project.seats_filled = size
    _db.session.commit()
    return memberships


def _sprints_and_checkins(project, memberships, author, today, notes=1):
    """The project's sprints; every sprint already due gets a check-in with hours, progress, metric values."""
    sprints = []
    for number, starts, ends, due in sprint_calendar(project.start_date, project.weeks):
        s = Sprint(project_id=project.id, number=number, starts_on=starts, ends_on=ends, due_on=due)
        _db.session.add(s)
        sprints.append(s)
    _db.session.flush()
    for s in sprints:
        if s.due_on >= today:
            continue
        at = datetime.combine(s.due_on, datetime.min.time())
        c = CheckIn(sprint_id=s.id, project_id=project.id, author_id=author.id,
                    status=("on_track", "at_risk", "off_track")[s.number % 3], done="Work", next_steps="More",
                    on_time=True, submitted_at=at, updated_at=at, acknowledged_at=at if s.number % 2 else None)
        c.hours = [CheckInHours(membership_id=m.id, hours=4 + s.number) for m in memberships]
        c.deliverable_progress = [DeliverableProgress(deliverable_id=d.id, progress=min(100, 20 * s.number))
                                  for d in project.deliverables]
        c.metric_values = [MetricValue(metric_id=m.id, value=100.0 * s.number) for m in project.metrics]
        c.notes = [CheckInNote(author_id=author.id, body=f"Note {i}") for i in range(notes)]
        _db.session.add(c)
    _db.session.commit()
    return sprints


def build_world(make, k):
    """A marketplace whose every list the main pages show has about `k` times the rows of k=1."""
    today = date.today()
    skills = [make.skill() for _ in range(3 * k)]
    staff = make.user("staff")
    me = make.volunteer(hours=40, lead_trained=True)
    campaign_user = make.user("campaign")
    size = {SMALL: 3, LARGE: 5}[k]  # teams have 3 to 5 members
    weeks = {SMALL: 2, LARGE: 6}[k]  # a phase lasts at most 8 weeks

    # The campaign user's campaigns, each with requests and projects in several stages.
    campaigns = [make.campaign(campaign_user) for _ in range(k)]
    for c in campaigns:
        for i in range(k):
            _db.session.add(HelpRequest(campaign_id=c.id, submitted_by_id=campaign_user.id, goals="Help us",
                                        categories=["website"], status=("new", "in_conversation", "scoped")[i % 3]))
        for status in ("awaiting_approval", "draft", "completed"):
            for _ in range(k):
                _project(make, c, status, 3, today - timedelta(days=60), k, k, skills, title=f"{status} work")
    # More campaigns with requests, for the staff request queue.
    for _ in range(4 * k):
        c = make.campaign(make.user("campaign"))
        _db.session.add(HelpRequest(campaign_id=c.id, goals="Help", categories=["email"], status="new"))
    for _ in range(k):  # more campaign contacts on the workspace project's campaign
        _db.session.add(CampaignMember(campaign_id=campaigns[0].id, user_id=make.user("campaign").id))
    _db.session.commit()

    # The workspace project: active, `me` leads it, most sprints already reported.
    start = today - timedelta(weeks=weeks - 1, days=3)
    ws = _project(make, campaigns[0], "active", weeks, start, k, k, skills, title="Donation page")
    ws_members = _team(make, ws, size, lead=me)
    _sprints_and_checkins(ws, ws_members, me, today, notes=k)

    # More active projects for the health board and for `me`'s commitments and upcoming check-ins.
    for i in range(3 * k):
        c = campaigns[i % len(campaigns)]
        p = _project(make, c, "active", weeks, start - timedelta(days=7 * (i % 2)), k, k, skills, title=f"Active {i}")
        members = _team(make, p, size, lead=me if i < k - 1 else None)
        _sprints_and_checkins(p, members, members[0].volunteer.user, today)
    # `me`'s history: completed projects with hours logged, and a project they dropped out of.
    for i in range(k):
        c = make.campaign()
        p = _project(make, c, "completed", 3, today - timedelta(days=120), k, k, skills, title=f"Past {i}")
        members = _team(make, p, size, lead=me, status="completed")
        _sprints_and_checkins(p, members, me, today)
        _db.session.add(FinalReport(project_id=p.id, author_id=me.id, deliverables_done="All"))
    for i in range(k):
        p = _project(make, make.campaign(), "active", weeks, start, k, k, skills, title=f"Dropped {i}")
        members = _team(make, p, size)
        _db.session.add(TeamMembership(project_id=p.id, volunteer_id=me.volunteer_profile.id,
                                       hours_per_week=p.hours_per_week, status="dropped"))
        _sprints_and_checkins(p, members, members[0].volunteer.user, today)

    # Opportunities waiting for `me`: recruiting projects (each its own campaign) with people on them.
    now = utcnow()
    invitations = []
    for i in range(k):
        p = _project(make, make.campaign(), "recruiting", weeks, today + timedelta(days=10), k, k, skills,
                     title=f"Recruiting {i}")
        others = [make.volunteer(hours=40) for _ in range(k)]
        for u in others:
            _db.session.add(TeamMembership(project_id=p.id, volunteer_id=u.volunteer_profile.id,
                                           hours_per_week=p.hours_per_week))
        p.seats_filled = len(others)
        inv = Invitation(project_id=p.id, volunteer_id=me.volunteer_profile.id, invited_by_id=staff.id,
                         expires_at=now + timedelta(days=5), created_at=now)
        _db.session.add(inv)
        invitations.append(inv)
    _db.session.commit()

    # Staff match results: a recruiting project with a finished run, candidates, invitations, members,
    # and a batch run that proposed people for it.
    mp = _project(make, campaigns[0], "recruiting", weeks, today + timedelta(days=14), k, k, skills,
                  title="Match me")
    pool = [make.volunteer(hours=40, lead_trained=(i % 2 == 0)) for i in range(10 * k)]
    run = MatchRun(project_id=mp.id, kind="project", status="done", progress=100, eligible_count=len(pool),
                   filtered={"paused": 1}, suggested_team=[u.volunteer_profile.id for u in pool[:3]],
                   finished_at=now)
    batch = MatchRun(kind="batch", status="done", progress=100, finished_at=now)
    _db.session.add_all([run, batch])
    _db.session.flush()
    for rank, u in enumerate(pool, start=1):
        _db.session.add(MatchCandidate(run_id=run.id, project_id=mp.id, volunteer_id=u.volunteer_profile.id,
                                       rank=rank, score=1 - rank / 100, suggested=rank <= 3,
                                       components={"skills": 0.5}, reasons=["3 of 3 needed skills"]))
    for rank, u in enumerate(pool[-2 * k:], start=1):
        _db.session.add(MatchCandidate(run_id=batch.id, project_id=mp.id, volunteer_id=u.volunteer_profile.id,
                                       rank=rank, score=0.5, suggested=False, components={}, reasons=[]))
    for i, u in enumerate(pool[:2 * k]):
        _db.session.add(Invitation(project_id=mp.id, volunteer_id=u.volunteer_profile.id, invited_by_id=staff.id,
                                   match_run_id=run.id, expires_at=now + timedelta(days=5), created_at=now,
                                   status="declined" if i % 2 else "accepted"))
    for u in pool[:k]:
        _db.session.add(TeamMembership(project_id=mp.id, volunteer_id=u.volunteer_profile.id,
                                       hours_per_week=mp.hours_per_week))
    mp.seats_filled = k
    _db.session.commit()

    w = World(staff, me, campaign_user, campaigns[0], ws, mp, invitations[0])
    w.urls = {
        "volunteer dashboard": ("/volunteer/", me),
        "opportunity page": (f"/opportunities/{invitations[0].id}", me),
        "my teams": ("/teams/", me),
        "project workspace (lead)": (f"/teams/{ws.id}", me),
        "project workspace (staff)": (f"/teams/{ws.id}", staff),
        "project workspace (campaign)": (f"/teams/{ws.id}", campaign_user),
        "workspace progress (htmx)": (f"/teams/{ws.id}/progress", me),
        "staff match results": (f"/staff/recruiting/projects/{mp.id}", staff),
        "staff recruiting board": ("/staff/recruiting/", staff),
        "staff health board": ("/teams/health", staff),
        "staff overview": ("/staff/", staff),
        "staff request queue": ("/staff/scoping/", staff),
        "campaign dashboard": ("/campaigns/", campaign_user),
        "campaign page": (f"/campaigns/{campaigns[0].id}", campaign_user),
    }
    return w


PAGES = (
    "volunteer dashboard", "opportunity page", "my teams", "project workspace (lead)", "project workspace (staff)",
    "project workspace (campaign)", "workspace progress (htmx)", "staff match results", "staff recruiting board", "staff health board",
    "staff overview", "staff request queue", "campaign dashboard", "campaign page",
)


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.statements = []

    def _on(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on)

    @property
    def count(self):
        return len(self.statements)


def _measure(app, login, world):
    """{page: (count, statements)} for every page, each requested twice (the second request counted)."""
    results = {}
    for name in PAGES:
        url, user = world.urls[name]
        client = app.test_client()
        login(user, c=client)
        first = client.get(url)
        assert first.status_code == 200, (name, url, first.status_code)
        with QueryCounter(_db.engine) as qc:
            resp = client.get(url)
        assert resp.status_code == 200, (name, url, resp.status_code)
        results[name] = (qc.count, qc.statements)
    return results


def test_each_main_page_issues_the_same_number_of_queries_on_small_and_large_data(app, make, login):
    from tests.conftest import _empty_tables

    small = _measure(app, login, build_world(make, SMALL))
    _db.session.remove()
    _empty_tables()
    large = _measure(app, login, build_world(make, LARGE))

    report = "\n".join(f"  {name:32s} small {small[name][0]:3d}  large {large[name][0]:3d}" for name in PAGES)
    print("\nSQL queries per page:\n" + report)
    grown = [name for name in PAGES if large[name][0] != small[name][0]]
    details = []
    for name in grown:
        extra = list(large[name][1])
        for s in small[name][1]:
            if s in extra:
                extra.remove(s)
        details.append(f"{name}: statements on large data not in small:\n    " + "\n    ".join(e[:200] for e in extra[:10]))
    assert not grown, "query counts grow with the data:\n" + report + "\n" + "\n".join(details)
    # Bounded is not enough if the bound is high: every query costs ~0.5-1 ms of ORM work under load.
    too_many = {name: n for name, (n, _s) in small.items() if n > 20}
    assert not too_many, too_many
    # The pages `make load` measures against the floor (2 statements) were shaped to these counts
    # (docs/BENCHMARKS.md, "Load": under load each round trip costs more than the floor's Python).
    # SQLite sends one more statement per request: the BEGIN app/sqlite_tuning.py issues itself.
    extra = 1 if _db.engine.dialect.name == "sqlite" else 0
    over = {name: (small[name][0], budget) for name, budget in BUDGET.items() if small[name][0] > budget + extra}
    assert not over, f"more statements than the page's budget (count, budget): {over}"


# Besides the user and the layout's unread count: one UNION ALL each for the campaign dashboard's
# campaigns, projects, requests and open invitations to campaign and partner teams, and for the volunteer
# dashboard's skills flag, invitations, memberships and next check-ins; the opportunity's invitation, then
# its scope and team (one UNION ALL); the workspace's project with the viewer's place on it, then its
# sprints and people (one UNION ALL). A wide row (invitation, project) stays apart from the short lists:
# in a UNION every list would carry its columns as NULLs, which costs PostgreSQL more than a round trip.
BUDGET = {
    "volunteer dashboard": 3, "opportunity page": 4, "project workspace (lead)": 4, "project workspace (staff)": 4,
    "project workspace (campaign)": 4, "staff match results": 6, "staff health board": 4, "campaign dashboard": 3,
}
