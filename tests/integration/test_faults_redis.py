"""Fault: Redis is down while people use the site.

Our own redis-server (killed, then started again on the same port) so no other test notices.
Registering, accepting an invitation, logging a check-in and asking for a password reset all
succeed with Redis gone (rate limits, which count in Redis, included); their emails wait in the outbox. When Redis is back, the sweeper
(`flask outbox sweep`, as cron runs it) re-enqueues them and a real `rq worker` sends them all.
"""
import time
from datetime import date, timedelta

import pytest

from app.models import CheckIn, OutboxEmail, TeamMembership, User
from app.opportunities import services as opportunities
from app.opportunities.tokens import make_invitation_token
from tests import factories
from tests.integration.fault_tools import OwnRedis, Worker, flask_command, record_figures
from tests.integration.team_helpers import active_team, checkin_form

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): faults: the outbox and the sweeper against each
# database (figures per dialect).
pytestmark = pytest.mark.postgres


def _pending(db):
    db.session.rollback()
    return set(db.session.scalars(db.select(OutboxEmail.idempotency_key).where(OutboxEmail.status == "pending")))


@pytest.fixture
def redis(tmp_path):
    server = OwnRedis(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def app_config(redis):
    # Rate limits on, counting in the same Redis (as in production): they must not fail either.
    return {"REDIS_URL": redis.url, "RATELIMIT_ENABLED": True}


def test_redis_down_people_still_act_and_the_outbox_drains_when_it_returns(app, db, make, redis, tmp_path):
    try:
        team = active_team(make, weeks=3, start=date.today() - timedelta(days=3))
        project = make.project(team.campaign, status="approved", team_min=3, team_max=3, hours=6, title="Email program")
        newcomer = make.volunteer(hours=20)
        invitation = opportunities.invite_volunteers(team.staff, project, [newcomer.volunteer_profile.id])[0][0]
        token = make_invitation_token(invitation)
        queued_while_up = db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail))

        redis.stop()  # a crash: the jobs it held are gone too (no persistence)
        timings = {}

        def act(name, client, path, data):
            started = time.monotonic()
            resp = client.post(path, data=data)
            timings[name] = round(time.monotonic() - started, 2)
            assert resp.status_code == 302, (name, resp.get_data(as_text=True)[:800])
            return resp

        act("register", app.test_client(), "/auth/register", {
            "name": "Grace Hopper", "email": "grace@example.org", "password": "a-long-enough-password",
            "confirm": "a-long-enough-password", "role": "volunteer"})
        act("accept_invitation", app.test_client(), f"/opportunities/link/{token}", {"answer": "accept"})
        lead = app.test_client()
        lead.post("/auth/login", data={"email": team.lead.email, "password": factories.PASSWORD})
        act("log_checkin", lead, f"/teams/{team.project.id}/sprints/1/checkin", checkin_form(team))
        act("password_reset", app.test_client(), "/auth/reset", {"email": team.members[1].email})

        db.session.rollback()
        assert db.session.scalar(db.select(User).where(User.email == "grace@example.org")) is not None
        assert db.session.scalar(db.select(TeamMembership).where(
            TeamMembership.volunteer_id == newcomer.volunteer_profile.id)) is not None
        assert db.session.scalar(db.select(CheckIn).where(CheckIn.sprint_id == team.sprint(1).id)) is not None
        waiting = _pending(db)
        for prefix in ("confirm:", "notify:joined:", "notify:checkin-logged:", "reset:", "invite:",
                       "notify:team-formed:"):
            assert any(k.startswith(prefix) for k in waiting), (prefix, waiting)

        # The sweeper, run by cron while Redis is still down, says so and exits non-zero.
        down = flask_command(app, redis.url, tmp_path / "cron", "outbox", "sweep", "--older-than", "0")
        assert down.returncode == 1 and "is Redis up?" in down.stderr, down.stdout + down.stderr

        redis.start()
        back_at = time.monotonic()
        swept = flask_command(app, redis.url, tmp_path / "cron", "outbox", "sweep", "--older-than", "0")
        assert swept.returncode == 0, swept.stderr[-2000:]
        assert f"re-enqueued {len(waiting)} email(s)" in swept.stdout
        worker = Worker(app, redis.url, tmp_path / "worker", queues=("email",), burst=True)
        assert worker.proc.wait(300) == 0, worker.output()
        drained_at = time.monotonic()
        assert _pending(db) == set()
        sent = db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail).where(OutboxEmail.status == "sent"))
        assert sent == db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail))
    finally:
        redis.stop()
    record_figures(f"redis_down[{db.engine.dialect.name}]", {
        "user_actions_succeeded": len(timings),
        "seconds_per_action_with_redis_down": timings,
        "emails_written_while_up_and_lost_from_redis": queued_while_up,
        "emails_waiting_in_outbox": len(waiting),
        "emails_sent_after_redis_returned": sent,
        "seconds_redis_back_to_outbox_drained": round(drained_at - back_at, 1),
    })
