"""docs/NOTIFICATIONS.md is the table of who is told what; this test holds the code to it.

For each row it runs the event and checks that exactly the listed recipients were told, in the app
and by email; and it fails when the code sends a notification under a key the table does not list."""
import ast
import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db as _db
from app.leads import changes as lead_changes, sessions, status
from app.models import HelpRequest, LeadTrainer, Notification, OutboxEmail
from app.opportunities import services as invitations
from app.scoping import approval, changes, queue, services as scoping
from app.teams import checkins
from tests.integration.team_helpers import active_team, checkin_data
from tests.integration.test_scoping_rules import scope_data

# Conditional updates, constraints and the JSON audit details behave per dialect: both passes.
pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "NOTIFICATIONS.md"


def documented():
    """{key: (event, {recipient roles})} from the markdown table."""
    rows = {}
    for line in TABLE.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] not in ("key", "---") and re.fullmatch(r"[a-z-]+", cells[1]):
            rows[cells[1]] = (cells[0], {r.strip() for r in cells[2].split(",")})
    return rows


def _keys_in_code():
    """Key prefixes the code passes to notify() (directly, through a `key` variable, or to the scope-review helper)."""
    prefixes = set()

    def prefix(node):
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            return node.values[0].value.split(":")[0]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value.split(":")[0]
        return None

    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            assigned = {t.id: n.value for n in ast.walk(func) if isinstance(n, ast.Assign)
                        for t in n.targets if isinstance(t, ast.Name)}
            for call in ast.walk(func):
                if not isinstance(call, ast.Call) or not isinstance(call.func, (ast.Name, ast.Attribute)):
                    continue
                name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr
                index = {"notify": 2, "ask_campaign_to_review": 1, "tell": 2}.get(name)
                if index is None or len(call.args) <= index:
                    continue
                arg = call.args[index]
                if isinstance(arg, ast.Name):
                    arg = assigned.get(arg.id, arg)
                found = prefix(arg)
                if found:
                    prefixes.add(found)
    return prefixes


def test_every_key_the_code_sends_is_in_the_table():
    missing = _keys_in_code() - set(documented())
    assert not missing, f"notifications sent but not documented in docs/NOTIFICATIONS.md: {sorted(missing)}"


# ---------------------------------------------------------------- the events


@pytest.fixture
def people(db, make):
    """Everyone who could be told, including people who never should be for these events."""
    staff = [make.user("staff", name="Sam Staff"), make.user("admin", name="Ada Admin")]
    member = make.user("campaign", name="Casey Campaign")
    colleague = make.user("campaign", name="Cody Colleague")
    campaign = make.campaign(member)
    from app.models import CampaignMember

    db.session.add(CampaignMember(campaign_id=campaign.id, user_id=colleague.id))
    bystander = make.volunteer()
    outsider = make.user("campaign", name="Olive Outsider")
    make.campaign(outsider, name="Another campaign")
    request = HelpRequest(campaign_id=campaign.id, submitted_by_id=member.id, goals="Raise money",
                          categories=["fundraising"])
    db.session.add(request)
    db.session.commit()
    return {"staff": staff, "campaign": [member, colleague], "campaign_obj": campaign, "request": request,
            "nobody": [bystander, outsider]}


def _recruiting(people, make):
    project = make.project(people["campaign_obj"], status="approved", team_max=4, hours=5)
    vols = [make.volunteer(hours=10) for _ in range(2)]
    invited, _ = invitations.invite_volunteers(people["staff"][0], project, [v.volunteer_profile.id for v in vols])
    invitations.accept(invited[0], vols[0])
    _db.session.refresh(project)
    return project, {"members": [vols[0]], "invitees": [vols[1]]}


def _scoped(people, make):
    skill = make.skill()
    template = make.template(skills=[(skill, 2)])
    return scoping.scope_project(people["staff"][0], people["request"], template, scope_data(skill))


def ev_request_received(people, make):
    from app.campaigns.services import submit_request

    submit_request(people["campaign"][0], people["campaign_obj"], {"goals": "Email list", "categories": ["email"]})


def ev_request_edited(people, make):
    from app.campaigns.services import edit_request

    edit_request(people["campaign"][0], people["request"], {"goals": "Changed", "categories": ["email"]})


def ev_request_withdrawn(people, make):
    from app.campaigns.services import withdraw_request

    withdraw_request(people["campaign"][0], people["request"], "No longer needed")


def ev_request_declined(people, make):
    queue.set_request_status(people["staff"][0], people["request"], "declined", "Out of scope for us")


def ev_scope_sent(people, make):
    approval.send_for_approval(people["staff"][0], _scoped(people, make))


def ev_scope_approved(people, make):
    project = _scoped(people, make)
    approval.send_for_approval(people["staff"][0], project)
    _db.session.query(Notification).delete()
    approval.approve_scope(people["campaign"][0], project)


def ev_scope_changes(people, make):
    project = _scoped(people, make)
    approval.send_for_approval(people["staff"][0], project)
    approval.request_changes(people["campaign"][0], project, "Start a week later")


def ev_rescheduled(people, make):
    project, roles = _recruiting(people, make)
    changes.reschedule_project(people["staff"][0], project, project.start_date + timedelta(days=7))
    return roles


def ev_dates_confirmed(people, make):
    project, roles = _recruiting(people, make)
    changes.reschedule_project(people["staff"][0], project, project.start_date + timedelta(days=7))
    approval.approve_scope(people["campaign"][0], project)
    return roles


def ev_project_cancelled(people, make):
    project, roles = _recruiting(people, make)
    changes.cancel_project(people["campaign"][0], project, "The candidate withdrew")
    return roles


def _team(people, make):
    team = active_team(make, start=date.today() - timedelta(days=3))
    # the team's campaign is a different one: point the table's "campaign" at its people
    people["campaign"] = [team.campaign_user]
    people["staff"] = [u for u in people["staff"]] + [team.staff]
    return team


def ev_checkin_logged(people, make):
    team = _team(people, make)
    checkins.submit_checkin(team.lead, team.sprint(1), checkin_data(team))
    return {"lead": [team.lead], "members": team.members}


def ev_checkin_ack(people, make):
    team = _team(people, make)
    checkin = checkins.submit_checkin(team.lead, team.sprint(1), checkin_data(team))
    checkins.acknowledge(team.campaign_user, checkin)
    return {"lead": [team.lead], "members": team.members}


def ev_checkin_comment(people, make):
    team = _team(people, make)
    checkin = checkins.submit_checkin(team.lead, team.sprint(1), checkin_data(team))
    checkins.acknowledge(team.campaign_user, checkin)
    checkins.acknowledge(team.campaign_user, checkin, "Great week — can we see the page Friday?")
    return {"lead": [team.lead], "members": team.members}


def _forming(people, make, n_invited=3, team_max=4, trained=1):
    project = make.project(people["campaign_obj"], status="approved", team_min=3, team_max=team_max, hours=5)
    vols = [make.volunteer(hours=10, lead_trained=i < trained) for i in range(n_invited)]
    invited, _ = invitations.invite_volunteers(people["staff"][0], project, [v.volunteer_profile.id for v in vols])
    return project, vols, invited


def ev_joined(people, make):
    project, vols, invited = _forming(people, make, n_invited=1)
    invitations.accept(invited[0], vols[0])
    return {"joiner": [vols[0]]}


def ev_invite_closed(people, make):
    project, vols, invited = _forming(people, make, n_invited=4, team_max=3)
    for inv, vol in list(zip(invited, vols))[:3]:
        invitations.accept(inv, vol)
    return {"invitees": [vols[3]]}


def ev_team_minimum(people, make):
    project, vols, invited = _forming(people, make)
    for inv, vol in zip(invited, vols):
        invitations.accept(inv, vol)


def ev_team_formed(people, make):
    from app.teams import formation

    project, vols, invited = _forming(people, make)
    memberships = [invitations.accept(inv, vol) for inv, vol in zip(invited, vols)]
    formation.name_lead(people["staff"][0], project, memberships[0].id)
    return {"members": vols}


def ev_lead_named(people, make):
    from app.teams import formation

    team = _team(people, make)
    team.members[1].volunteer_profile.lead_trained = True
    _db.session.commit()
    formation.name_lead(team.staff, team.project, team.memberships[1].id)
    return {"members": team.members}


def ev_member_joined(people, make):
    team = _team(people, make)
    newcomer = make.volunteer(hours=10)
    inv = invitations.invite_volunteers(team.staff, team.project, [newcomer.volunteer_profile.id])[0][0]
    invitations.accept(inv, newcomer)
    return {"lead": [team.lead], "members": team.members}


def ev_member_left(people, make):
    from app.teams.departures import leave_team

    team = _team(people, make)
    leave_team(team.members[2], team.memberships[2], "A new job leaves me no time")
    return {"lead": [team.lead], "members": team.members}


def ev_consent_ask(people, make):
    from app.teams.completion import complete_project

    team = _team(people, make)
    team.project.end_date = date.today() - timedelta(days=1)
    _db.session.commit()
    complete_project(team.staff, team.project)
    return {"lead": [team.lead], "members": team.members}


def _portfolio(people, make):
    from app.partners import invitations as portfolio
    from tests.integration import org_helpers

    pat = make.user("campaign", name="Pat Partner")
    partner = org_helpers.partner(make, member=pat)
    portfolio.invite_campaign(pat, partner, people["campaign"][0].email)
    return portfolio, partner, {"partner": [pat]}


def ev_portfolio_invite(people, make):
    return _portfolio(people, make)[2]


def ev_portfolio_joined(people, make):
    portfolio, partner, roles = _portfolio(people, make)
    portfolio.respond(people["campaign"][0], people["campaign_obj"], partner.id, True)
    return roles


def ev_portfolio_declined(people, make):
    portfolio, partner, roles = _portfolio(people, make)
    portfolio.respond(people["campaign"][0], people["campaign_obj"], partner.id, False)
    return roles


def ev_portfolio_left(people, make):
    portfolio, partner, roles = _portfolio(people, make)
    portfolio.respond(people["campaign"][0], people["campaign_obj"], partner.id, True)
    portfolio.leave(people["campaign"][0], people["campaign_obj"], partner.id)
    return roles


# ---------------------------------------------------------------- lead training (app/leads)


def _training(people, make, trainer_is_scheduler=False):
    staff = people["staff"][0]
    trainer = staff if trainer_is_scheduler else make.volunteer(lead_trained=True, projects_led=2)
    if not trainer_is_scheduler:
        _db.session.add(LeadTrainer(user_id=trainer.id, appointed_by_id=staff.id))
        _db.session.commit()
    when = {"day": date.today() + timedelta(days=5), "time": time(18), "timezone": "America/Chicago"}
    session = sessions.schedule(staff, {**when, "duration_minutes": 90, "capacity": 5, "trainer_id": trainer.id,
                                        "meeting_link": "https://meet.example.org/t"})
    volunteer = make.volunteer()
    sessions.invite(staff, session, [volunteer.volunteer_profile.id])
    the_day_before = datetime.combine(when["day"] - timedelta(days=1), time(9), tzinfo=ZoneInfo("America/Chicago"))
    return session, trainer, volunteer, the_day_before.astimezone(timezone.utc).replace(tzinfo=None), when


def ev_lead_session_trainer(people, make):
    _, trainer, volunteer, _, _ = _training(people, make)
    return {"trainer": [trainer], "volunteer": [volunteer]}


ev_lead_session_invite = ev_lead_session_trainer


def ev_lead_session_cancelled(people, make):
    session, trainer, volunteer, _, _ = _training(people, make)
    lead_changes.cancel_session(people["staff"][0], session, "Our trainer is ill")
    return {"trainer": [trainer], "volunteer": [volunteer]}


ev_lead_session_cancelled_trainer = ev_lead_session_cancelled


def ev_lead_session_moved(people, make):
    session, trainer, volunteer, _, when = _training(people, make)
    lead_changes.reschedule_session(people["staff"][0], session, {**when, "day": when["day"] + timedelta(days=2)})
    return {"trainer": [trainer], "volunteer": [volunteer]}


def ev_lead_session_remind(people, make):
    _, trainer, volunteer, day_before, _ = _training(people, make)
    sessions.send_session_reminders(day_before)
    return {"trainer": [trainer], "volunteer": [volunteer]}


ev_lead_session_remind_trainer = ev_lead_session_remind


def ev_lead_trained(people, make):
    session, trainer, volunteer, _, _ = _training(people, make, trainer_is_scheduler=True)
    session.starts_at = session.starts_at - timedelta(days=6)  # the session has happened
    sessions.record_attendance(people["staff"][0], session, volunteer.volunteer_profile.id, True)
    return {"trainer": [trainer], "volunteer": [volunteer]}


def ev_lead_withdrawn(people, make):
    volunteer = make.volunteer(lead_trained=True)
    status.withdraw_status(people["staff"][0], volunteer.volunteer_profile.id, "Left two teams without notice")
    return {"volunteer": [volunteer]}


def ev_lead_trainer(people, make):
    volunteer = make.volunteer(lead_trained=True, projects_led=2, checkins_due=8, checkins_on_time=8)
    status.make_trainer(people["staff"][0], volunteer.volunteer_profile.id)
    return {"volunteer": [volunteer]}


EVENTS = {name.removeprefix("ev_").replace("_", "-"): fn for name, fn in globals().items() if name.startswith("ev_")}


def test_every_documented_event_has_a_scenario_here():
    assert set(documented()) == set(EVENTS)


@pytest.mark.parametrize("key", sorted(EVENTS))
def test_the_documented_recipients_and_only_they_are_told(people, make, key):
    event, roles = documented()[key]
    extra = EVENTS[key](people, make) or {}
    everyone = {**{k: v for k, v in people.items() if isinstance(v, list)}, **extra}
    expected = {u.id for role in roles for u in everyone[role]}
    told = _db.session.execute(
        _db.select(Notification.user_id, Notification.key).where(Notification.key.startswith(f"{key}:"))
    ).all()
    assert {uid for uid, _ in told} == expected, (event, told)
    # and each by email (everyone's default is an email at once)
    from app.models import User

    emails = set(_db.session.scalars(_db.select(OutboxEmail.to_email).where(
        OutboxEmail.idempotency_key.startswith(f"notify:{key}:"))))
    assert emails == {_db.session.get(User, uid).email for uid in expected}, event
