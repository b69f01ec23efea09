"""Every teams route for every role; the check-in form; health board; dashboards; the .ics calendar."""
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from app.extensions import db as _db
from app.models import CheckIn, TeamMembership
from app.teams import calendar_feed, checkins, health
from app.teams.progress import campaign_progress
from tests.integration.team_helpers import active_team, at, checkin_data


@pytest.fixture
def team(db, make):
    t = active_team(make, weeks=3, start=date.today() - timedelta(days=3))
    s1 = t.sprint(1)
    checkins.submit_checkin(t.lead, s1, checkin_data(t, status="at_risk"))
    return t


@pytest.fixture
def users(make, team):
    other_campaign = make.user("campaign")
    make.campaign(other_campaign)
    return {
        "anon": None, "outsider": make.volunteer(), "other_campaign": other_campaign,
        "member": team.members[1], "lead": team.lead, "campaign": team.campaign_user, "staff": team.staff,
    }


ROLES = ("anon", "outsider", "other_campaign", "member", "lead", "campaign", "staff")
VIEW = {"anon": 302, "outsider": 404, "other_campaign": 404, "member": 200, "lead": 200, "campaign": 200, "staff": 200}
GETS = {
    "/teams/": {**{r: 200 for r in ROLES}, "anon": 302},
    "/teams/health": {"anon": 302, "outsider": 403, "other_campaign": 403, "member": 403, "lead": 403,
                      "campaign": 403, "staff": 200},
    "/teams/{p}": VIEW,
    "/teams/{p}/sprints/1": VIEW,
    "/teams/{p}/sprints/1/checkin": {**VIEW, "member": 403, "campaign": 403},
    "/teams/{p}/final-report": VIEW,
    "/teams/{p}/links": {**VIEW, "member": 403, "campaign": 403},
    "/teams/{p}/calendar.ics": VIEW,
    "/teams/{p}/rate": {**VIEW, "member": 403, "lead": 403, "staff": 403},  # volunteers rate once completed
    "/account/": {**{r: 200 for r in ROLES}, "anon": 302},
    "/account/data.json": {**{r: 200 for r in ROLES}, "anon": 302},
}
POSTS = {
    "/teams/{p}/sprints/1/acknowledge": ({"comment": "Thanks"}, {**VIEW, "member": 403, "lead": 403, "staff": 403,
                                                                 "campaign": 302}),
    "/teams/{p}/sprints/1/notes": ({"body": "Note"}, {**VIEW, "member": 302, "lead": 302, "campaign": 403,
                                                       "staff": 403}),
    "/teams/{p}/links": ({"chat_url": "https://chat.example.org/x"}, {**VIEW, "member": 403, "campaign": 403,
                                                                      "lead": 302, "staff": 302}),
    "/teams/{p}/final-report": ({"deliverables_done": "x"}, {**VIEW, "member": 403, "campaign": 403,
                                                             "lead": 200, "staff": 200}),
    "/teams/{p}/complete": ({}, {"anon": 302, "outsider": 403, "other_campaign": 403, "member": 403, "lead": 403,
                                 "campaign": 403, "staff": 302}),
    "/teams/{p}/members/{m}/drop": ({"reason": "Moved away", "confirm": "y"},
                                    {**VIEW, "member": 403, "campaign": 403, "lead": 302, "staff": 302}),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_get_route_for_every_role(client, login, team, users, role):
    if users[role] is not None:
        login(users[role])
    for url, expected in GETS.items():
        resp = client.get(url.format(p=team.project.id))
        assert resp.status_code == expected[role], (url, role, resp.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_every_post_route_for_every_role(client, login, team, users, role):
    if users[role] is not None:
        login(users[role])
    for url, (data, expected) in POSTS.items():
        resp = client.post(url.format(p=team.project.id, m=team.memberships[2].id), data=data)
        assert resp.status_code == expected[role], (url, role, resp.status_code)


def test_unknown_project_and_sprint_are_404(client, login, team):
    login(team.staff)
    assert client.get("/teams/9999").status_code == 404
    assert client.get(f"/teams/{team.project.id}/sprints/9").status_code == 404


def test_a_member_who_dropped_no_longer_sees_the_workspace(db, client, login, team):
    m = db.session.get(TeamMembership, team.memberships[2].id)
    m.status = "dropped"
    db.session.commit()
    login(team.members[2])
    assert client.get(f"/teams/{team.project.id}").status_code == 404


def test_the_workspace_shows_scope_team_emails_sprints_and_charts(client, login, team):
    login(team.members[1])
    html = client.get(f"/teams/{team.project.id}").get_data(as_text=True)
    progress_url = f"/teams/{team.project.id}/progress"
    for text in ("Sprint", team.lead.email, team.members[2].email,
                 team.campaign_user.email, "vendor/chartjs/chart.umd.min.js", f'hx-get="{progress_url}"',
                 f'<a href="{progress_url}">', "1 of 3", "Lead"):
        assert text in html, text
    # Deliverables, metrics and charts come on demand (htmx), or as a page of their own.
    assert "style=" not in html and "burnup-data" not in html and "Donation page live" not in html
    fragment = client.get(progress_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    page = client.get(progress_url).get_data(as_text=True)
    for text in ("Donation page live", "Online donations", 'data-chart-source="burnup-data"',
                 'data-chart-source="hours-data"', "Sprint 1"):
        assert text in fragment and text in page, text
    assert "<html" not in fragment and "vendor/chartjs/chart.umd.min.js" in page


def test_the_links_form_comes_when_the_lead_opens_it(app, client, login, team):
    links_url = f"/teams/{team.project.id}/links"
    member = app.test_client()
    login(team.members[1], c=member)
    assert links_url not in member.get(f"/teams/{team.project.id}").get_data(as_text=True)
    login(team.lead)
    html = client.get(f"/teams/{team.project.id}").get_data(as_text=True)
    # Not in the workspace itself: htmx fetches it when "Change the links" opens, or a plain link.
    assert f'hx-get="{links_url}"' in html and f'<a href="{links_url}">' in html and 'name="chat_url"' not in html
    fragment = client.get(links_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    page = client.get(links_url).get_data(as_text=True)
    for body in (fragment, page):
        assert 'name="chat_url"' in body and f'action="{links_url}"' in body
    assert "<html" not in fragment and "<html" in page and "Back to the workspace" in page
    resp = client.post(links_url, data={"chat_url": "https://chat.example.org/team"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/teams/{team.project.id}#links")
    assert 'value="https://chat.example.org/team"' in client.get(links_url).get_data(as_text=True)


def test_teammates_emails_are_not_shown_outside_the_workspace(client, login, team):
    login(team.campaign_user)
    assert team.members[1].email not in client.get("/teams/").get_data(as_text=True)


def test_lead_logs_a_checkin_through_the_form(db, client, login, team):
    login(team.lead)
    s1 = team.sprint(1)
    page = client.get(f"/teams/{team.project.id}/sprints/1/checkin").get_data(as_text=True)
    assert "Save changes" in page  # it exists already (logged in the fixture)
    data = {"status": "on_track", "done": "Shipped the page", "next_steps": "Email", "blockers": ""}
    for m in team.memberships:
        data[f"hours_{m.id}"] = "4.5"
    for d in team.project.deliverables:
        data[f"progress_{d.id}"] = "80"
    data[f"metric_{team.project.metrics[0].id}"] = "2500"
    resp = client.post(f"/teams/{team.project.id}/sprints/1/checkin", data=data)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/teams/{team.project.id}/sprints/1")
    db.session.expire_all()
    c = db.session.scalar(db.select(CheckIn).where(CheckIn.sprint_id == s1.id))
    assert c.status == "on_track" and {h.hours for h in c.hours} == {4.5}


def test_the_checkin_form_keeps_what_was_typed_on_errors(db, client, login, team):
    login(team.lead)
    data = {"status": "on_track", "done": "Typed words survive", "next_steps": "", "blockers": ""}
    for m in team.memberships:
        data[f"hours_{m.id}"] = "4"
    d1, d2 = team.project.deliverables
    data[f"progress_{d1.id}"] = "140"
    data[f"progress_{d2.id}"] = "10"
    resp = client.post(f"/teams/{team.project.id}/sprints/1/checkin", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Typed words survive" in html and "A percentage between 0 and 100." in html and 'value="140"' in html
    db.session.expire_all()
    assert db.session.scalar(db.select(CheckIn)).status == "at_risk"  # unchanged


def test_the_campaign_acknowledges_from_the_checkin_page(db, client, login, team):
    login(team.campaign_user)
    page = client.get(f"/teams/{team.project.id}/sprints/1").get_data(as_text=True)
    assert "Acknowledge" in page and "Built the form" in page
    resp = client.post(f"/teams/{team.project.id}/sprints/1/acknowledge", data={"comment": "Looks great"})
    assert resp.status_code == 302
    page = client.get(f"/teams/{team.project.id}/sprints/1").get_data(as_text=True)
    assert "Acknowledged" in page and "Looks great" in page


def test_acknowledging_a_sprint_without_checkin_is_404(client, login, team):
    login(team.campaign_user)
    assert client.post(f"/teams/{team.project.id}/sprints/2/acknowledge", data={}).status_code == 404


def test_health_board_lists_at_risk_and_late_projects(db, client, login, make, team):
    quiet = active_team(make, weeks=3, start=date.today() - timedelta(days=20), title="Texting program")
    login(team.staff)
    html = client.get("/teams/health").get_data(as_text=True)
    assert "Donation page" in html and "Texting program" in html and "At risk" in html and "Late" in html
    board = health.board()
    rows = {r["project_id"]: r for r in board["rows"]}
    assert rows[team.project.id]["at_risk"] and not rows[team.project.id]["late"]
    assert rows[quiet.project.id]["late"] and rows[quiet.project.id]["missing"] == 2
    assert rows[quiet.project.id]["silent"]  # first due 14 days ago, nothing since
    assert board["rows"][0]["project_id"] == quiet.project.id  # the late one first
    dash = client.get("/staff/").get_data(as_text=True)
    assert dash.index("Active projects needing attention") < dash.index("Pipeline")
    assert 'data-chart-source="pipeline-data"' in dash and "Texting program" in dash
    assert 'href="/teams/health"' in dash


def test_health_board_pages_with_attention_first_and_overview_shows_only_trouble(db, client, login, make, team,
                                                                                monkeypatch):
    monkeypatch.setattr(health, "PER_PAGE", 2)
    fine = [active_team(make, weeks=3, title=f"Healthy {i}") for i in range(3)]  # nothing due yet
    late = active_team(make, weeks=3, start=date.today() - timedelta(days=20), title="Texting program")
    login(team.staff)
    first = client.get("/teams/health").get_data(as_text=True)
    assert "Texting program" in first and "Donation page" in first and "Healthy" not in first
    assert "Projects 1–2 of 5" in first and 'href="/teams/health?page=2"' in first
    last = client.get("/teams/health?page=3").get_data(as_text=True)
    assert "Projects 5–5 of 5" in last and "Healthy" in last and 'href="/teams/health?page=2"' in last
    assert "Projects 5–5 of 5" in client.get("/teams/health?page=99").get_data(as_text=True)  # clamped
    dash = client.get("/staff/").get_data(as_text=True)
    assert "Texting program" in dash and "Donation page" in dash
    assert not any(f'data-project-id="{t.project.id}"' in dash for t in fine)
    assert f'data-project-id="{late.project.id}"' in dash


def test_health_board_uses_a_fixed_number_of_queries(db, make, team):
    def count_queries():
        statements = []

        def before(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", before)
        try:
            health.board()
        finally:
            event.remove(_db.engine, "before_cursor_execute", before)
        return len(statements)

    one = count_queries()
    for i in range(4):
        active_team(make, weeks=4, title=f"Project {i}")
    assert len(health.board()["rows"]) == 5
    assert count_queries() == one == 2


def test_health_board_row_reports_latest_checkin_due_dates_and_acknowledgements(db, make, team):
    """Each figure of a row, as the database aggregates it, before and after time moves on."""
    quiet = active_team(make, weeks=3, title="Texting program")  # nothing logged yet
    s1, s2, s3 = team.sprints
    row = {r["project_id"]: r for r in health.board()["rows"]}
    assert {k: row[team.project.id][k] for k in (
        "latest_status", "latest_sprint", "last_logged", "unacknowledged", "missing", "next_due", "sprints",
        "level")} == {
        "latest_status": "at_risk", "latest_sprint": 1, "last_logged": s1.checkin.submitted_at.date(),
        "unacknowledged": 1, "missing": 0, "next_due": s1.due_on, "sprints": 3, "level": "at-risk"}
    assert {k: row[quiet.project.id][k] for k in ("latest_status", "latest_sprint", "last_logged", "flags")} == {
        "latest_status": None, "latest_sprint": None, "last_logged": None, "flags": []}

    checkins.acknowledge(team.campaign_user, s1.checkin)
    checkins.submit_checkin(team.lead, s2, checkin_data(team, status="on_track"), now=at(s2.due_on))
    later = health.board(today=s3.due_on + timedelta(days=1))
    row = {r["project_id"]: r for r in later["rows"]}[team.project.id]
    assert {k: row[k] for k in (
        "latest_status", "latest_sprint", "last_logged", "unacknowledged", "missing", "next_due", "level")} == {
        "latest_status": "on_track", "latest_sprint": 2, "last_logged": s2.due_on, "unacknowledged": 1,
        "missing": 1, "next_due": None, "level": "late"}


def test_volunteer_dashboard_shows_commitments_due_dates_and_history(client, login, team):
    login(team.members[1])
    html = client.get("/volunteer/").get_data(as_text=True)
    assert "My commitments" in html and "Upcoming check-ins" in html and "My history" in html
    assert f'href="/teams/{team.project.id}"' in html
    assert "your lead logs it" in html and 'data-chart-source="volunteer-hours-data"' in html


def test_the_leads_dashboard_lists_an_invitation_and_the_checkins_to_log(client, login, make, team):
    from app.opportunities.services import invite_volunteers

    other = make.project(team.campaign, status="approved", title="Phone bank tool")
    invite_volunteers(team.staff, other, [team.lead.volunteer_profile.id])
    login(team.lead)
    html = client.get("/volunteer/").get_data(as_text=True)
    assert "Phone bank tool" in html and "answer by" in html and "/opportunities/" in html
    assert f'href="/teams/{team.project.id}/sprints/' in html and ">Log it</a>" in html
    assert "your lead logs it" not in html and "<span class=\"badge\">Lead</span>" in html


def test_campaign_progress_on_the_campaign_page(client, login, team):
    progress = campaign_progress(team.campaign)
    assert progress[0]["sprints_reported"] == 1 and progress[0]["to_acknowledge"] == [1]
    assert progress[0]["deliverables_pct"] == 35
    login(team.campaign_user)
    html = client.get(f"/campaigns/{team.campaign.id}").get_data(as_text=True)
    assert "How your projects are going" in html and 'class="progress-card"' in html
    assert "Donation page" in html and "Sprint 1 check-in" in html and "waiting for your acknowledgement" in html
    assert '<progress value="35" max="100">' in html


def test_ics_calendar_for_members(client, login, team):
    login(team.members[1])
    resp = client.get(f"/teams/{team.project.id}/calendar.ics")
    assert resp.mimetype == "text/calendar"
    body = resp.get_data(as_text=True)
    lines = body.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert body.count("BEGIN:VEVENT") == 3 and "\n" not in body.replace("\r\n", "")
    s1 = team.sprint(1)
    assert f"DTSTART;VALUE=DATE:{s1.due_on:%Y%m%d}" in lines
    assert any(line.startswith(f"UID:sprint-{s1.id}-project-{team.project.id}@") for line in lines)
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)


def test_signed_calendar_feed_works_without_a_session(app, client, team, make):
    with app.test_request_context():
        token = calendar_feed.feed_token(team.members[1], team.project)
        stranger = calendar_feed.feed_token(make.volunteer(), team.project)
    resp = client.get(f"/teams/calendar/{token}.ics")
    assert resp.status_code == 200 and "BEGIN:VEVENT" in resp.get_data(as_text=True)
    assert client.get(f"/teams/calendar/{token}x.ics").status_code == 404
    assert client.get(f"/teams/calendar/{stranger}.ics").status_code == 404
