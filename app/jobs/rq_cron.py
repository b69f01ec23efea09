"""RQ's cron scheduler for the whole app: `rq cron app/jobs/rq_cron.py --url $REDIS_URL`.

- the outbox sweeper every minute (re-enqueues emails no job picked up: Redis was down, a worker
  was killed); it only queues jobs, the email workers send them;
- the match-run sweeper every minute (re-queues runs staff started that no job holds: Redis refused
  or lost them), so nobody has to press "Find volunteers" again;
- the reminders run hourly: it is idempotent (outbox keys), so each reminder still goes out once
  and a missed hour (a restart) costs nothing;
- the notification digest daily at 13:00 UTC (morning across US time zones): each person who chose
  a digest for some kinds gets one email with what they have not been sent yet.

Run one `rq cron` process (a second one would only double harmless sweeps) beside the workers.
"""
from rq import cron

from app.jobs.email import sweep_outbox_job
from app.jobs.matching import sweep_match_runs_job
from app.notifications.service import send_digests_job
from app.teams.reminders import send_reminders_job

cron.register(sweep_outbox_job, "default", kwargs={"older_than_seconds": 120}, interval=60, job_timeout=300,
              name="outbox-sweep")
cron.register(sweep_match_runs_job, "default", kwargs={"older_than_seconds": 120}, interval=60, job_timeout=120,
              name="match-run-sweep")
cron.register(send_reminders_job, "default", interval=3600, job_timeout=600, name="reminders-send")
cron.register(send_digests_job, "default", cron="0 13 * * *", job_timeout=600, name="notification-digest")
