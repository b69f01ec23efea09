"""Matching runs, curation and invitations through the staff pages, and the job on a real worker."""
import pytest

from app.matching import COMPONENTS

from app.models import Invitation, MatchCandidate, MatchRun, OutboxEmail, Project, VolunteerProfile
from tests.mailbox import link_path
from tests.services import flush_redis, require_env, run_burst_worker

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): JSON columns, bulk inserts and real rq workers
# writing the match runs.
pytestmark = pytest.mark.postgres


@pytest.fixture
def market(db, make):
    """A Richmond campaign's project needing React and Copywriting, and a pool of volunteers."""
    react, copy = make.skill("React"), make.skill("Copywriting", category="design")
    staff = make.user("staff")
    campaign = make.campaign(make.user("campaign"), city=("Richmond", "VA"))
    project = make.project(campaign, skills=[(react, 3), (copy, 2)], status="approved", hours=6)
    star = make.volunteer(city=("Richmond", "VA"), skills=[(react, 4), (copy, 3)], lead_trained=True)
    good = [make.volunteer(city=("Norfolk", "VA"), skills=[(react, 3), (copy, 2)]) for _ in range(4)]
    far = make.volunteer(city=("Seattle", "WA"), skills=[(react, 1)])
    paused = make.volunteer(city=("Richmond", "VA"), skills=[(react, 4), (copy, 4)], paused=True)
    busy = make.volunteer(city=("Richmond", "VA"), skills=[(react, 4)], hours=4)
    return {"staff": staff, "project": project, "star": star, "good": good, "far": far, "paused": paused, "busy": busy}


def _start(client, project):
    return client.post(f"/staff/recruiting/projects/{project.id}/match")


def test_match_run_ranks_explains_and_filters(client, db, login, market):
    login(market["staff"])
    _start(client, market["project"])
    run = db.session.scalar(db.select(MatchRun))
    assert run.status == "done" and run.progress == 100, run.error
    cands = db.session.scalars(db.select(MatchCandidate).where(MatchCandidate.run_id == run.id).order_by(MatchCandidate.rank)).all()
    ids = [c.volunteer_id for c in cands]
    assert ids[0] == market["star"].volunteer_profile.id
    assert market["paused"].volunteer_profile.id not in ids  # hard filter: paused
    assert market["busy"].volunteer_profile.id not in ids  # hard filter: 4 h/week free, 6 needed
    assert run.filtered and sum(run.filtered.values()) >= 2
    assert any("Richmond, VA" in r for r in cands[0].reasons)
    assert any("2 of 2" in r for r in cands[0].reasons)
    assert set(cands[0].components) == set(COMPONENTS)
    assert run.suggested_team and market["star"].volunteer_profile.id in run.suggested_team
    page = client.get(f"/staff/recruiting/projects/{market['project'].id}").get_data(as_text=True)
    assert "Invite the suggested team" in page and "<meter" in page


def test_running_the_job_twice_stores_the_same_ranking(app, db, login, client, market):
    from app.recruiting.runs import run_match

    login(market["staff"])
    _start(client, market["project"])
    run = db.session.scalar(db.select(MatchRun))
    before = [(c.volunteer_id, c.rank, c.score) for c in run.candidates]
    run.status = "running"  # as if a worker died and RQ re-ran the job
    db.session.commit()
    run_match(run.id)
    db.session.rollback()
    after = [(c.volunteer_id, c.rank, c.score) for c in db.session.get(MatchRun, run.id).candidates]
    assert before == after


def test_invite_the_suggested_team_then_volunteers_accept_by_link(app, client, db, login, market):
    login(market["staff"])
    project = market["project"]
    _start(client, project)
    client.post(f"/staff/recruiting/projects/{project.id}/invite", data={"suggested": "1"})
    invs = db.session.scalars(db.select(Invitation).where(Invitation.project_id == project.id)).all()
    assert len(invs) >= project.team_min
    assert db.session.get(Project, project.id).status == "recruiting"
    # Each volunteer opens the signed link from their email and accepts, without logging in.
    for inv in invs[: project.team_min]:
        mail = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == f"invite:{inv.id}"))
        link = link_path(mail, "/opportunities/link/")
        anon = app.test_client()
        assert "Yes, I&#39;m in" in anon.get(link).get_data(as_text=True) or "Yes, I'm in" in anon.get(link).get_data(as_text=True)
        assert anon.post(link, data={"answer": "accept"}).status_code == 302
    db.session.rollback()
    assert db.session.get(Project, project.id).seats_filled == project.team_min


def test_a_tampered_link_is_refused(client, db, login, market):
    resp = client.get("/opportunities/link/not-a-real-token")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_why_not_explains_a_filtered_volunteer(client, db, login, market):
    login(market["staff"])
    _start(client, market["project"])
    busy = market["busy"]
    page = client.get(f"/staff/recruiting/projects/{market['project'].id}/why-not", query_string={"q": busy.email})
    assert "4 h/week" in page.get_data(as_text=True)


def test_status_panel_tells_htmx_to_reload_when_done(client, db, login, market):
    login(market["staff"])
    _start(client, market["project"])
    run = db.session.scalar(db.select(MatchRun))
    resp = client.get(f"/staff/recruiting/runs/{run.id}/status", headers={"HX-Request": "true"})
    assert resp.headers.get("HX-Refresh") == "true"


@pytest.mark.parametrize("role,expected", [(None, 302), ("volunteer", 403), ("campaign", 403), ("staff", 200), ("admin", 200)])
def test_recruiting_pages_are_staff_only(client, make, login, market, role, expected):
    if role:
        login(make.user(role))
    project = market["project"]
    for path in ("/staff/recruiting/", f"/staff/recruiting/projects/{project.id}",
                 f"/staff/recruiting/projects/{project.id}/why-not?q=x"):
        assert client.get(path).status_code == expected, path
    if expected != 200:
        for path in ("match", "invite", "lead"):
            assert client.post(f"/staff/recruiting/projects/{project.id}/{path}").status_code == expected


def test_a_volunteer_cannot_read_another_volunteers_invitation(client, db, make, login, market):
    from app.opportunities.services import invite_volunteers

    invs, _ = invite_volunteers(market["staff"], market["project"], [market["star"].volunteer_profile.id])
    login(market["good"][0])
    assert client.get(f"/opportunities/{invs[0].id}").status_code == 404
    assert client.post(f"/opportunities/{invs[0].id}", data={"answer": "accept"}).status_code == 404


@pytest.mark.parametrize("app_config", [{"REDIS_URL": "placeholder"}])
def test_match_job_runs_on_a_real_rq_worker(app, client, db, login, market, tmp_path, app_config):
    redis_url = require_env("TEST_REDIS_URL")
    app.config["REDIS_URL"] = redis_url
    flush_redis(redis_url)
    login(market["staff"])
    _start(client, market["project"])
    run = db.session.scalar(db.select(MatchRun))
    assert run.status == "queued" and run.rq_job_id
    page = client.get(f"/staff/recruiting/projects/{market['project'].id}").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in page  # the page polls while the job waits
    done = run_burst_worker(app, redis_url, tmp_path / "worker", queues=("matching",))
    assert done.returncode == 0, done.stderr[-3000:]
    db.session.rollback()
    run = db.session.get(MatchRun, run.id)
    assert run.status == "done", (run.error, done.stderr[-3000:])
    assert len(run.candidates) >= 5


@pytest.mark.parametrize("app_config", [{"REDIS_URL": "redis://127.0.0.1:1/0"}])
def test_a_run_redis_refused_is_queued_again_when_staff_press_again(app, client, db, login, market, tmp_path,
                                                                     app_config):
    """Redis down: the run stays queued and says why; pressing again once Redis is back hands it to a worker."""
    from app.recruiting.runs import QUEUE_DOWN

    redis_url = require_env("TEST_REDIS_URL")
    flush_redis(redis_url)
    login(market["staff"])
    assert _start(client, market["project"]).status_code == 302
    run = db.session.scalar(db.select(MatchRun))
    assert run.status == "queued" and run.message == QUEUE_DOWN
    page = client.get(f"/staff/recruiting/projects/{market['project'].id}").get_data(as_text=True)
    assert "The job queue is unavailable" in page
    app.config["REDIS_URL"] = redis_url  # Redis is back
    _start(client, market["project"])
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(MatchRun)) == 1  # the same run, not a second
    assert db.session.get(MatchRun, run.id).message == "Waiting for a worker"
    done = run_burst_worker(app, redis_url, tmp_path / "worker", queues=("matching",))
    assert done.returncode == 0, done.stderr[-3000:]
    db.session.rollback()  # a new transaction sees the worker's commit
    assert db.session.get(MatchRun, run.id).status == "done", done.stdout[-3000:]


@pytest.mark.parametrize("app_config", [{"REDIS_URL": "redis://127.0.0.1:1/0"}])
def test_the_cron_sweep_hands_a_refused_run_to_a_worker_once_redis_is_back(app, client, db, login, market,
                                                                            tmp_path, app_config):
    """Nobody presses again: `rq cron`'s sweep job, run by a real worker, queues the run and it completes."""
    from app.jobs.matching import sweep_match_runs_job
    from app.jobs.queue import enqueue
    from app.recruiting.runs import QUEUE_DOWN, requeue_stranded_runs

    redis_url = require_env("TEST_REDIS_URL")
    flush_redis(redis_url)
    login(market["staff"])
    _start(client, market["project"])
    run = db.session.scalar(db.select(MatchRun))
    assert run.message == QUEUE_DOWN
    assert requeue_stranded_runs() == 0  # Redis still down: the run waits, as it says
    app.config["REDIS_URL"] = redis_url  # Redis is back
    enqueue(sweep_match_runs_job, 120, queue="default", redis_errors="raise")  # what `rq cron` does each minute
    done = run_burst_worker(app, redis_url, tmp_path / "worker", queues=("default", "matching"))
    assert done.returncode == 0, done.stderr[-3000:]
    db.session.rollback()
    assert db.session.get(MatchRun, run.id).status == "done", done.stderr[-3000:]
    assert db.session.scalar(db.select(db.func.count()).select_from(MatchRun)) == 1


def test_the_sweep_requeues_a_run_whose_job_redis_lost_and_leaves_held_ones_alone(app, client, db, login, market,
                                                                                   tmp_path):
    from datetime import timedelta

    from app.recruiting.runs import requeue_stranded_runs

    redis_url = require_env("TEST_REDIS_URL")
    flush_redis(redis_url)
    app.config["REDIS_URL"] = redis_url
    login(market["staff"])
    _start(client, market["project"])
    run = db.session.scalar(db.select(MatchRun))
    run.created_at -= timedelta(minutes=5)
    db.session.commit()
    assert requeue_stranded_runs(120) == 0  # its job is in the queue: no second one
    flush_redis(redis_url)  # Redis restarted without persistence: the job is gone, the run still queued
    assert requeue_stranded_runs(120) == 1
    assert requeue_stranded_runs(120) == 0
    done = run_burst_worker(app, redis_url, tmp_path / "worker", queues=("matching",))
    assert done.returncode == 0, done.stderr[-3000:]
    db.session.rollback()
    assert db.session.get(MatchRun, run.id).status == "done", done.stderr[-3000:]


def test_rq_cron_file_schedules_every_sweep_and_the_reminders():
    from pathlib import Path

    from redis import Redis
    from rq.cron import CronScheduler

    import app.jobs

    scheduler = CronScheduler(connection=Redis.from_url("redis://127.0.0.1:1/0"))  # never contacted here
    scheduler.load_config_from_file(str(Path(app.jobs.__file__).with_name("rq_cron.py")))
    jobs = {job.name: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"outbox-sweep", "match-run-sweep", "reminders-send", "notification-digest",
                         "lead-session-reminders", "webhook-sweep"}
    assert jobs["match-run-sweep"].queue_name == "default" and jobs["match-run-sweep"].interval == 60
    assert jobs["notification-digest"].cron == "0 13 * * *"


def test_a_run_whose_worker_went_away_does_not_block_a_new_one(client, db, login, market):
    from datetime import timedelta

    from app.models.base import utcnow

    stuck = MatchRun(project_id=market["project"].id, status="running", created_at=utcnow() - timedelta(hours=1))
    db.session.add(stuck)
    db.session.commit()
    login(market["staff"])
    _start(client, market["project"])
    db.session.rollback()
    assert db.session.get(MatchRun, stuck.id).status == "failed"
    fresh = db.session.scalar(db.select(MatchRun).where(MatchRun.id != stuck.id))
    assert fresh.status == "done", fresh.error


def test_batch_assignment_never_proposes_anyone_twice(client, db, make, login, market):
    from app.models import MatchRun

    second = make.project(market["project"].campaign, skills=[(s.skill, s.level) for s in market["project"].skills],
                          status="approved", hours=6, title="Email program")
    login(market["staff"])
    client.post("/staff/recruiting/batch")
    run = db.session.scalar(db.select(MatchRun).where(MatchRun.kind == "batch"))
    assert run.status == "done", run.error
    cands = db.session.scalars(db.select(MatchCandidate).where(MatchCandidate.run_id == run.id)).all()
    assert cands
    for c in cands:  # every proposal explains itself like a ranked candidate
        assert set(c.components) == set(COMPONENTS)
        assert c.reasons[0].startswith("proposed by the batch") and len(c.reasons) > 1
    by_project = {}
    for c in cands:
        by_project.setdefault(c.project_id, []).append(c.volunteer_id)
    asked = {}
    for pid, ids in by_project.items():  # hours are a capacity across projects: never over-committed
        assert len(ids) == len(set(ids))
        for v in ids:
            asked[v] = asked.get(v, 0) + db.session.get(Project, pid).hours_per_week
    for v, hours in asked.items():
        assert hours <= db.session.get(VolunteerProfile, v).hours_per_week
    assert "of the best possible" in run.message
    assert set(by_project) <= {market["project"].id, second.id}
    page = client.get(f"/staff/recruiting/projects/{second.id}").get_data(as_text=True)
    if second.id in by_project:
        assert "Proposed by the batch assignment" in page


def test_batch_gives_the_scarce_volunteer_to_the_partner_priority_project(client, db, make, login):
    """Two identical projects, one volunteer with hours for one: the top-tier partner's project wins,
    whichever was created first (runs.run_batch passes priority.project_weights to the solver)."""
    from app.models import PartnerCampaign
    from tests.integration import org_helpers

    react = make.skill("React")
    staff = make.user("staff")
    only = make.volunteer(city=("Richmond", "VA"), skills=[(react, 4)], hours=6)
    projects = [make.project(make.campaign(make.user("campaign"), city=("Richmond", "VA")), skills=[(react, 3)],
                             status="approved", hours=6, title=f"Site {i}") for i in range(2)]
    partner = org_helpers.partner(make)
    db.session.add(PartnerCampaign(partner_id=partner.id, campaign_id=projects[1].campaign_id, status="active",
                                   priority_tier=1))
    db.session.commit()
    login(staff)
    client.post("/staff/recruiting/batch")
    run = db.session.scalar(db.select(MatchRun).where(MatchRun.kind == "batch"))
    assert run.status == "done", run.error
    proposed = db.session.scalars(db.select(MatchCandidate).where(MatchCandidate.run_id == run.id)).all()
    assert [(c.project_id, c.volunteer_id) for c in proposed] == [(projects[1].id, only.volunteer_profile.id)]
