"""RQ's cron scheduler configuration for the reminders run: `rq cron app/teams/rq_cron.py --url $REDIS_URL`.

The run is idempotent (outbox keys), so running it every hour is harmless: each reminder still goes
out once, and a missed hour (a restart) costs nothing. Keep one `rq worker ... default` running.
"""
from rq import cron

from app.teams.reminders import send_reminders_job

cron.register(send_reminders_job, "default", interval=3600, job_timeout=600, name="reminders-send")
