"""RQ's cron scheduler for the whole app: `rq cron app/jobs/rq_cron.py --url $REDIS_URL`.

- the outbox sweeper every minute (re-enqueues emails no job picked up: Redis was down, a worker
  was killed); it only queues jobs, the email workers send them;
- the match-run sweeper every minute (re-queues runs staff started that no job holds: Redis refused
  or lost them), so nobody has to press "Find volunteers" again;
- the reminders run hourly: it is idempotent (outbox keys), so each reminder still goes out once
  and a missed hour (a restart) costs nothing;
- the notification digest daily at 13:00 UTC (morning across US time zones): each person who chose
  a digest for some kinds gets one email with what they have not been sent yet.

Run one `rq cron` process (a second one would only double harmless sweeps) beside the workers,
under a supervisor that restarts it (deploy/): `rq cron` exits when Redis is down at a tick.
BARNSTORM_SWEEP_SECONDS and BARNSTORM_SWEEP_AFTER_SECONDS change the sweeps' period and the age
a row must reach (the fault tests use a few seconds).
"""
import os

from rq import cron

from app.jobs.email import sweep_outbox_job
from app.jobs.matching import sweep_match_runs_job
from app.notifications.service import send_digests_job
from app.leads.sessions import send_session_reminders_job
from app.teams.reminders import send_reminders_job

SWEEP_SECONDS = int(os.environ.get("BARNSTORM_SWEEP_SECONDS", "60"))
SWEEP_AFTER = int(os.environ.get("BARNSTORM_SWEEP_AFTER_SECONDS", "120"))

cron.register(sweep_outbox_job, "default", kwargs={"older_than_seconds": SWEEP_AFTER}, interval=SWEEP_SECONDS,
              job_timeout=300, name="outbox-sweep")
cron.register(sweep_match_runs_job, "default", kwargs={"older_than_seconds": SWEEP_AFTER}, interval=SWEEP_SECONDS,
              job_timeout=120, name="match-run-sweep")
cron.register(send_reminders_job, "default", interval=3600, job_timeout=600, name="reminders-send")
cron.register(send_digests_job, "default", cron="0 13 * * *", job_timeout=600, name="notification-digest")
# Lead training: the day-before reminder to everyone with a seat (and the trainer), once per seat.
cron.register(send_session_reminders_job, "default", interval=3600, job_timeout=300, name="lead-session-reminders")
