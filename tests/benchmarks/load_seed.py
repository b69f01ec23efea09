"""Seed a large marketplace for the load test (`make load`), fast, with bulk inserts.

10,000 volunteers (the synthetic loader: COPY on PostgreSQL), 1,000 campaigns each with a member,
1,500 help requests, 2,000 projects in every stage (scoped from the menu, with their skills,
deliverables and metrics), teams for the recruiting, active and completed ones, a year of weekly
sprints and check-ins (hours per member, deliverable progress, metric values), final reports,
invitations, and a real stored match run for the project whose results page is measured.

Rows go in with Core `insert(table)` executemany (SQLAlchemy batches them into multi-row
INSERTs; ids come back in order through RETURNING), never an ORM object per row.

The accounts the load run logs in with, and the pages it drives, are written as JSON:
    python -m tests.benchmarks.load_seed --out /tmp/load.json      (DATABASE_URL must be set)
"""
import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Campaign, CampaignMember, CheckIn, CheckInHours, Deliverable, DeliverableProgress, FinalReport, HelpRequest,
    Invitation, MatchRun, Metric, MetricValue, Project, ProjectSkill, ProjectTemplate, Sprint, TeamMembership,
    TemplateSkill, User, VolunteerProfile,
)
from app.models.users import new_session_token  # noqa: E402
from app.teams.sprints import end_date_for, sprint_calendar  # noqa: E402

PASSWORD = "barnstorm-load"
STAFF_EMAIL = "staff@load.example"
VOLUNTEERS, CAMPAIGNS, EXTRA_REQUESTS = 10_000, 1_000, 500
# 2,000 projects: with phases of <= 8 weeks, a year of work leaves ~12% running at any moment.
STATUS_COUNTS = {
    "completed": 1_000, "active": 250, "recruiting": 200, "approved": 150, "awaiting_approval": 120,
    "changes_requested": 60, "draft": 170, "cancelled": 50,
}
CHECKIN_STATUSES = ("on_track",) * 7 + ("at_risk",) * 2 + ("off_track",)


def ins(model, rows, ids=False):
    """Bulk insert (Core executemany); with ids, the new ids in the order of `rows`."""
    table = getattr(model, "__table__", model)
    if not rows:
        return []
    if ids:
        stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return db.session.execute(stmt, rows).scalars().all()
    db.session.execute(sa.insert(table), rows)
    return []


PARTNER_EMAIL, PORTFOLIO = "partner@load.example", 200  # issue 13: a partner with 200 campaigns


def seed_partner(campaign_ids, member_row, now):
    """A state caucus with the given campaigns in its portfolio (tiers mixed) and its member; returns its id."""
    from app.models import Partner, PartnerCampaign, PartnerMember

    user_id = ins(User, [member_row(PARTNER_EMAIL, "Pat Partner", "campaign")], ids=True)[0]
    partner_id = ins(Partner, [{"name": "Load State Caucus", "kind": "caucus", "state": "VA",
                                "referral_code": "load-caucus", "created_at": now}], ids=True)[0]
    ins(PartnerMember, [{"partner_id": partner_id, "user_id": user_id, "role": "owner", "created_at": now}])
    ins(PartnerCampaign, [{"partner_id": partner_id, "campaign_id": cid, "status": "active",
                           "priority_tier": 1 + i % 3, "created_at": now, "decided_at": now}
                          for i, cid in enumerate(campaign_ids)])
    db.session.commit()
    return partner_id


def seed(rng, today):
    from app.places import us_states
    from app.seed.demo_builder import _towns
    from app.seed.menu import load_menu
    from app.seed.synthetic import create_synthetic_volunteers

    t0 = time.perf_counter()
    db.drop_all()
    db.create_all()
    load_menu()
    db.session.commit()
    timings = {"schema and menu": time.perf_counter() - t0}

    t = time.perf_counter()
    create_synthetic_volunteers(VOLUNTEERS, seed=1)
    timings["volunteers"] = time.perf_counter() - t

    t = time.perf_counter()
    now = datetime.now().replace(microsecond=0)
    pw = generate_password_hash(PASSWORD)
    vols = db.session.execute(
        sa.select(VolunteerProfile.id, VolunteerProfile.user_id, VolunteerProfile.hours_per_week,
                  VolunteerProfile.lead_trained, VolunteerProfile.paused).order_by(VolunteerProfile.id)
    ).all()
    leads = [v for v in vols if v.lead_trained and not v.paused]
    others = [v for v in vols if not v.lead_trained and not v.paused]

    def user_row(email, name, role):
        return {"email": email, "name": name, "password_hash": pw, "role": role, "session_token": new_session_token(),
                "active": True, "created_at": now}

    staff_ids = ins(User, [user_row(STAFF_EMAIL, "Sam Staff", "staff"),
                           user_row("admin@load.example", "Ada Admin", "admin")], ids=True)
    staff_id = staff_ids[0]
    # The volunteer whose pages are measured gets a password we know.
    star = leads[0]
    db.session.execute(sa.update(User).where(User.id == star.user_id).values(password_hash=pw))
    db.session.execute(sa.update(VolunteerProfile).where(VolunteerProfile.id == star.id).values(hours_per_week=20))

    # Campaigns, one member each, and their requests.
    cities = [c for code, _n in us_states() for c in _towns(code, 20_000)]
    campaign_rows, member_users = [], []
    for i in range(CAMPAIGNS):
        c = rng.choice(cities)
        campaign_rows.append({
            "name": f"Candidate {i} for {c.name}", "candidate_name": f"Candidate {i}", "office": "State House",
            "office_level": rng.choice(("state", "county", "municipal", "school_board")), "state": c.state,
            "district": str(rng.randint(1, 99)), "city": c.name, "city_key": c.key, "lat": c.lat, "lon": c.lon,
            "timezone": c.timezone, "election_date": today + timedelta(days=rng.randint(60, 420)),
            "website": "", "description": "", "created_at": now,
        })
        member_users.append(user_row(f"campaign{i}@load.example", f"Casey Campaign {i}", "campaign"))
    campaign_ids = ins(Campaign, campaign_rows, ids=True)
    member_ids = ins(User, member_users, ids=True)
    ins(CampaignMember, [{"campaign_id": c, "user_id": u, "title": "Campaign staff", "created_at": now}
                         for c, u in zip(campaign_ids, member_ids)])
    request_rows = []
    for i in range(CAMPAIGNS + EXTRA_REQUESTS):
        cid = campaign_ids[i % CAMPAIGNS]
        request_rows.append({
            "campaign_id": cid, "submitted_by_id": member_ids[i % CAMPAIGNS], "goals": "Grow our online fundraising",
            "categories": rng.sample(["website", "fundraising", "email", "data", "social"], 2), "timing": "",
            "desired_start": None, "constraints": "", "status": rng.choice(("new", "in_conversation", "scoped", "scoped")),
            "staff_notes": "", "created_at": now - timedelta(days=rng.randint(0, 365)), "updated_at": now,
        })
    request_ids = ins(HelpRequest, request_rows, ids=True)
    timings["users, campaigns, requests"] = time.perf_counter() - t

    # Projects scoped from the menu.
    t = time.perf_counter()
    templates = list(db.session.scalars(sa.select(ProjectTemplate).where(ProjectTemplate.retired.is_(False))))
    tskills = {}
    for ts in db.session.scalars(sa.select(TemplateSkill)):
        tskills.setdefault(ts.template_id, []).append(ts)
    statuses = [s for s, n in STATUS_COUNTS.items() for _ in range(n)]
    rng.shuffle(statuses)
    project_rows, project_meta = [], []
    for i, status in enumerate(statuses):
        tpl = rng.choice(templates)
        weeks = tpl.weeks
        if status == "completed":
            start = today - timedelta(days=rng.randint(weeks * 7 + 3, 365))
        elif status == "active":
            start = today - timedelta(days=rng.randint(1, weeks * 7 - 1))
        elif status == "cancelled":
            start = today - timedelta(days=rng.randint(10, 200))
        else:
            start = today + timedelta(days=rng.randint(7, 60))
        req = rng.randrange(len(request_ids))
        project_rows.append({
            "campaign_id": campaign_ids[req % CAMPAIGNS], "help_request_id": request_ids[req], "template_id": tpl.id,
            "previous_project_id": None, "title": tpl.title, "summary": tpl.summary,
            "campaign_provides": tpl.campaign_provides, "status": status, "team_min": tpl.team_min,
            "team_max": tpl.team_max, "hours_per_week": tpl.hours_per_week, "weeks": weeks, "start_date": start,
            "end_date": end_date_for(start, weeks), "seats_filled": 0, "chat_url": "", "board_url": "", "repo_url": "",
            "approved_at": now if status not in ("draft", "awaiting_approval", "changes_requested") else None,
            "approved_by_id": None, "approval_note": "", "created_by_id": staff_id, "created_at": now,
            "activated_at": now if status in ("active", "completed") else None,
            "completed_at": now if status == "completed" else None,
        })
        project_meta.append(tpl)
    project_ids = ins(Project, project_rows, ids=True)
    ins(ProjectSkill, [{"project_id": pid, "skill_id": ts.skill_id, "level": ts.level, "weight": ts.weight}
                       for pid, tpl in zip(project_ids, project_meta) for ts in tskills.get(tpl.id, [])])
    done = {}
    deliverable_rows, deliverable_owner = [], []
    metric_rows, metric_owner = [], []
    for pid, tpl, row in zip(project_ids, project_meta, project_rows):
        progress = 100 if row["status"] == "completed" else rng.randint(0, 80) if row["status"] == "active" else 0
        done[pid] = progress
        for pos, title in enumerate(tpl.deliverables):
            deliverable_rows.append({"project_id": pid, "position": pos, "title": title[:255], "progress": progress})
            deliverable_owner.append(pid)
        for pos, m in enumerate(tpl.metrics):
            target = m.get("target")
            metric_rows.append({"project_id": pid, "position": pos, "name": m["name"], "unit": m.get("unit", ""),
                                "target": target, "current_value": (target or 100) * progress / 100})
            metric_owner.append(pid)
    deliverables, metrics = {}, {}
    for did, pid in zip(ins(Deliverable, deliverable_rows, ids=True), deliverable_owner):
        deliverables.setdefault(pid, []).append(did)
    for mid, pid in zip(ins(Metric, metric_rows, ids=True), metric_owner):
        metrics.setdefault(pid, []).append(mid)
    timings["projects"] = time.perf_counter() - t

    # Teams: recruiting ones partly filled, active and completed ones full with a lead-trained lead.
    # Active commitments never exceed a volunteer's hours: each active seat goes to someone free.
    t = time.perf_counter()
    free = {v.id: v.hours_per_week for v in vols}
    free[star.id] = 20
    by_id = {p: (row, tpl) for p, row, tpl in zip(project_ids, project_rows, project_meta)}
    active_ids = [p for p, r in zip(project_ids, project_rows) if r["status"] == "active"]
    completed_ids = [p for p, r in zip(project_ids, project_rows) if r["status"] == "completed"]
    recruiting_ids = [p for p, r in zip(project_ids, project_rows) if r["status"] == "recruiting"]
    workspace_id, history_ids = active_ids[0], completed_ids[:6]
    invite_ids, match_id = recruiting_ids[:3], recruiting_ids[3]
    teams = {}  # project id -> [(volunteer id, is_lead)]

    def pick(pool, n, hours, taken):
        chosen = []
        for _ in range(50 * n):
            if len(chosen) == n:
                break
            v = rng.choice(pool)
            if v.id != star.id and v.id not in taken and v.id not in chosen and (hours is None or free[v.id] >= hours):
                chosen.append(v.id)
        if hours is not None:
            for vid in chosen:
                free[vid] -= hours
        return chosen

    for pid in active_ids + completed_ids + recruiting_ids:
        row, tpl = by_id[pid]
        status = row["status"]
        hours = row["hours_per_week"] if status != "completed" else None
        if status == "recruiting":
            size = rng.randint(0, row["team_max"] - 1) if pid != match_id else 2
            team = [(v, False) for v in pick(others + leads, size, hours, set())]
        else:
            size = rng.randint(row["team_min"], row["team_max"])
            lead = star.id if pid == workspace_id or pid in history_ids else pick(leads, 1, hours, set())[0]
            team = [(lead, True)] + [(v, False) for v in pick(others + leads, size - 1, hours, {lead})]
        teams[pid] = team
    invitation_rows, membership_rows = [], []
    for pid, team in teams.items():
        row, _tpl = by_id[pid]
        status = row["status"]
        for vid, is_lead in team:
            invitation_rows.append({
                "project_id": pid, "volunteer_id": vid, "match_run_id": None, "invited_by_id": staff_id,
                "status": "accepted", "created_at": now - timedelta(days=(today - row["start_date"]).days + 10),
                "expires_at": now, "responded_at": now, "decline_reason": "",
            })
            membership_rows.append({
                "project_id": pid, "volunteer_id": vid, "is_lead": is_lead,
                "status": "completed" if status == "completed" else "active", "hours_per_week": row["hours_per_week"],
                "joined_at": now - timedelta(days=max(0, (today - row["start_date"]).days + 5)), "ended_at": None,
            })
        if status == "recruiting":  # open invitations, and a few answered no
            members = {v for v, _ in team}
            for vid in pick(others + leads, 4, None, members):
                state = rng.choice(("pending", "pending", "declined", "expired"))
                invitation_rows.append({
                    "project_id": pid, "volunteer_id": vid, "match_run_id": None, "invited_by_id": staff_id,
                    "status": state, "created_at": now - timedelta(days=2), "expires_at": now + timedelta(days=3),
                    "responded_at": None if state == "pending" else now,
                    "decline_reason": "Too busy this month" if state == "declined" else "",
                })
    for pid in invite_ids:  # the measured volunteer's open opportunities
        invitation_rows.append({
            "project_id": pid, "volunteer_id": star.id, "match_run_id": None, "invited_by_id": staff_id,
            "status": "pending", "created_at": now, "expires_at": now + timedelta(days=5), "responded_at": None,
            "decline_reason": "",
        })
    invitation_ids = ins(Invitation, invitation_rows, ids=True)
    membership_ids = ins(TeamMembership, membership_rows, ids=True)
    members_of = {}
    for mid, m in zip(membership_ids, membership_rows):
        members_of.setdefault(m["project_id"], []).append(mid)
    for pid, team in teams.items():
        db.session.execute(sa.update(Project).where(Project.id == pid).values(seats_filled=len(team)))
    star_invitation = invitation_ids[-len(invite_ids)]
    timings["teams and invitations"] = time.perf_counter() - t

    # A year of weekly sprints and check-ins.
    t = time.perf_counter()
    sprint_rows = []
    for pid in active_ids + completed_ids:
        row, _tpl = by_id[pid]
        for number, starts, ends, due in sprint_calendar(row["start_date"], row["weeks"]):
            sprint_rows.append({"project_id": pid, "number": number, "starts_on": starts, "ends_on": ends,
                                "due_on": due})
    sprint_ids = ins(Sprint, sprint_rows, ids=True)
    checkin_rows = []
    for sid, s in zip(sprint_ids, sprint_rows):
        status = by_id[s["project_id"]][0]["status"]
        if s["due_on"] >= today or rng.random() < (0.04 if status == "completed" else 0.12):
            continue  # not due yet, or missed
        late = rng.random() < 0.15
        at = datetime.combine(s["due_on"] + timedelta(days=2 if late else 0), datetime.min.time()) + timedelta(hours=17)
        checkin_rows.append({
            "sprint_id": sid, "project_id": s["project_id"], "author_id": None, "status": rng.choice(CHECKIN_STATUSES),
            "done": "Shipped the first version of the page; wired the donation form.",
            "next_steps": "A/B test the ask amounts.", "blockers": "", "on_time": not late, "submitted_at": at,
            "updated_at": at, "acknowledged_at": at + timedelta(days=1) if rng.random() < 0.8 else None,
            "acknowledged_by_id": None, "campaign_comment": "", "_number": s["number"],
        })
    numbers = [r.pop("_number") for r in checkin_rows]
    checkin_ids = ins(CheckIn, checkin_rows, ids=True)
    hours_rows, progress_rows, value_rows = [], [], []
    for cid, c, number in zip(checkin_ids, checkin_rows, numbers):
        pid = c["project_id"]
        weeks = by_id[pid][0]["weeks"]
        hours = by_id[pid][0]["hours_per_week"]
        share = min(100, round(100 * number / weeks))
        for mid in members_of.get(pid, []):
            hours_rows.append({"checkin_id": cid, "membership_id": mid, "hours": float(max(0, hours + rng.randint(-2, 2)))})
        for did in deliverables.get(pid, []):
            progress_rows.append({"checkin_id": cid, "deliverable_id": did, "progress": share})
        for mid in metrics.get(pid, []):
            value_rows.append({"checkin_id": cid, "metric_id": mid, "value": float(share * 10)})
    ins(CheckInHours, hours_rows)
    ins(DeliverableProgress, progress_rows)
    ins(MetricValue, value_rows)
    ins(FinalReport, [{"project_id": pid, "author_id": None, "deliverables_done": "All of them.",
                       "metrics_reached": "", "handover_notes": "", "submitted_at": now} for pid in completed_ids])
    db.session.commit()
    timings["sprints and check-ins"] = time.perf_counter() - t

    partner_id = seed_partner(campaign_ids[:PORTFOLIO], user_row, now)

    # A real match run (rank the 10,000, store the top 50) for the measured recruiting project.
    t = time.perf_counter()
    from app.recruiting.runs import run_match

    run = MatchRun(project_id=match_id, kind="project", status="queued", created_by_id=staff_id, weights={})
    db.session.add(run)
    db.session.commit()
    run = run_match(run.id)
    assert run.status == "done", run.error
    timings["match run"] = time.perf_counter() - t

    counts = {name: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for name, model in (
        ("volunteers", VolunteerProfile), ("campaigns", Campaign), ("help requests", HelpRequest),
        ("projects", Project), ("memberships", TeamMembership), ("invitations", Invitation), ("sprints", Sprint),
        ("check-ins", CheckIn), ("check-in hours", CheckInHours))}
    star_email = db.session.scalar(sa.select(User.email).where(User.id == star.user_id))
    return {
        "password": PASSWORD,
        "accounts": {"volunteer": star_email, "staff": STAFF_EMAIL, "campaign": "campaign0@load.example",
                     "partner": PARTNER_EMAIL},
        "pages": [
            ["volunteer dashboard", "/volunteer/", "volunteer"],
            ["opportunity page", f"/opportunities/{star_invitation}", "volunteer"],
            ["staff match results", f"/staff/recruiting/projects/{match_id}", "staff"],
            ["project workspace", f"/teams/{workspace_id}", "volunteer"],
            ["staff health board", "/teams/health", "staff"],
            ["campaign dashboard", "/campaigns/", "campaign"],
            ["staff overview", "/staff/", "staff"],
            ["partner portfolio (200 campaigns)", f"/partners/{partner_id}", "partner"],
        ],
        "counts": counts,
        "timings": timings,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    from tests.benchmarks.load_wsgi import make_app

    app = make_app()
    t0 = time.perf_counter()
    with app.app_context():
        info = seed(random.Random(2026), date.today())  # noqa: S311 (reproducible test data)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # Vacuum now rather than let autovacuum compete with the measured run (fresh bulk-loaded tables).
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
    info["seed_seconds"] = round(time.perf_counter() - t0, 1)
    Path(args.out).write_text(json.dumps(info, indent=2, default=str))
    print(f"seeded in {info['seed_seconds']} s: " + ", ".join(f"{v:,} {k}" for k, v in info["counts"].items()))
    for k, v in info["timings"].items():
        print(f"  {k}: {v:.1f} s")


if __name__ == "__main__":
    os.environ.setdefault("BARNSTORM_ENV", "development")
    main()
