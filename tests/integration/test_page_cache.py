"""The staff overview, the health board and a partner's portfolio are kept per worker for a while, and dropped by any commit in
the worker that writes the rows they are computed from (app/page_cache.py)."""
import pytest
from sqlalchemy import event

from app.models import Notification, Project
from app.staff import services as staff
from app.teams import health


@pytest.fixture
def app_config():
    return {"PAGE_CACHE_SECONDS": {"staff_overview": 60, "health_board": 30}}


class Statements:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _on(self, *args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._on)


def _pipeline(overview):
    return dict(overview["pipeline"])


def test_the_overview_is_served_from_the_cache_until_a_project_changes(db, make):
    campaign = make.campaign()
    make.project(campaign, status="draft")
    first = staff.overview()
    assert _pipeline(first)["Scoping"] == 1
    with Statements(db.engine) as s:
        assert staff.overview() is first
    assert s.count == 0
    make.project(campaign, status="draft")  # an ORM insert, committed
    assert _pipeline(staff.overview())["Scoping"] == 2


def test_an_update_statement_drops_the_cached_board_too(db, make):
    campaign = make.campaign()
    project = make.project(campaign, status="draft")
    board = health.board()
    assert health.board() is board
    db.session.execute(db.update(Project).where(Project.id == project.id).values(title="Renamed"))
    db.session.commit()
    assert health.board() is not board


def test_writes_to_other_tables_and_rolled_back_writes_keep_it(db, make):
    user = make.user("staff")
    project = make.project(make.campaign(), status="draft")
    first = staff.overview()
    db.session.add(Notification(user_id=user.id, kind="requests", key="k", subject="s"))
    db.session.commit()
    assert staff.overview() is first
    project.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    db.session.execute(db.update(Project).values(title="x"))
    db.session.rollback()
    assert staff.overview() is first
    project.title = "Saved"
    db.session.commit()
    assert staff.overview() is not first


def test_off_when_the_ttl_is_zero(app, db, make):
    app.config["PAGE_CACHE_SECONDS"] = {}
    assert staff.overview() is not staff.overview()


def test_portfolio_details_are_cached_but_tiers_are_fresh_and_a_checkin_in_the_worker_shows(app, db, make):
    """The portfolio keeps its campaigns' projects a minute, but reads the page's campaigns and tiers each
    time: a priority just set must show whichever worker serves the next page."""
    from app.models import PartnerCampaign
    from app.partners import services as partner_services
    from app.partners.portfolio import portfolio
    from app.teams import checkins
    from tests.integration import org_helpers
    from tests.integration.team_helpers import active_team, at, checkin_data

    app.config["PAGE_CACHE_SECONDS"] = {"portfolio_totals": 60, "portfolio_details": 60}
    member = make.user("campaign")
    partner = org_helpers.partner(make, member=member)
    team = active_team(make)
    other = make.campaign(None, name="Aaron for Council")
    for campaign in (team.campaign, other):
        db.session.add(PartnerCampaign(partner_id=partner.id, campaign_id=campaign.id, status="active"))
    db.session.commit()

    first = portfolio(partner)
    assert [r["campaign"].name for r in first["rows"]] == ["Aaron for Council", team.campaign.name]
    assert first["rows"][1]["projects"][0]["hours"] == 0
    with Statements(db.engine) as s:
        again = portfolio(partner)
    assert s.count == 1 and again["rows"][1]["projects"] == first["rows"][1]["projects"]  # the page's campaigns only

    # Another worker changed the tier: nothing in this worker was written, yet the order and tier are new.
    db.session.execute(db.update(PartnerCampaign).where(PartnerCampaign.campaign_id == team.campaign.id)
                       .values(priority_tier=1).execution_options(synchronize_session=False))
    rows = portfolio(partner)["rows"]
    assert [(r["campaign"].name, r["tier"]) for r in rows] == [(team.campaign.name, 1), ("Aaron for Council", 2)]
    assert partner_services.TIER_LABELS[rows[0]["tier"]]

    # A check-in logged in this worker drops the cached details and totals at once.
    sprint = team.project.sprints[0]
    checkins.submit_checkin(team.lead, sprint, checkin_data(team, hours=5), now=at(sprint.due_on))
    db.session.commit()
    after = portfolio(partner)
    assert after["rows"][0]["projects"][0]["hours"] == 5 * len(team.memberships)
    assert after["summary"]["hours"] == 5 * len(team.memberships)


def test_the_portfolio_page_shows_a_checkin_logged_in_the_same_worker_at_once(app, client, login, db, make):
    """The page keeps its campaign blocks rendered (portfolio_bodies) beside their data: a check-in in
    this worker drops both, and the next page shows the new hours."""
    from app.models import PartnerCampaign
    from app.teams import checkins
    from tests.integration import org_helpers
    from tests.integration.team_helpers import active_team, at, checkin_data

    app.config["PAGE_CACHE_SECONDS"] = {"portfolio_totals": 60, "portfolio_details": 60, "portfolio_bodies": 60}
    member = make.user("campaign")
    partner = org_helpers.partner(make, member=member)
    team = active_team(make)
    db.session.add(PartnerCampaign(partner_id=partner.id, campaign_id=team.campaign.id, status="active"))
    db.session.commit()
    login(member)
    hours = 4 * len(team.memberships)
    assert f"<td>{float(hours)}</td>" not in client.get(f"/partners/{partner.id}").get_data(as_text=True)
    sprint = team.project.sprints[0]
    checkins.submit_checkin(team.lead, sprint, checkin_data(team, hours=4), now=at(sprint.due_on))
    db.session.commit()
    assert f"<td>{float(hours)}</td>" in client.get(f"/partners/{partner.id}").get_data(as_text=True)
