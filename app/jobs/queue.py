"""The queue facade: RQ on Redis when REDIS_URL is set, in-process otherwise."""
import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job

log = logging.getLogger(__name__)
QUEUES = ("matching", "email", "default")


def redis_connection(app=None):
    """A Redis client for the app's REDIS_URL, or None when jobs run in-process."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def get_queue(name, app=None):
    conn = redis_connection(app)
    return Queue(name, connection=conn) if conn is not None else None


class QueueUnavailable(Exception):
    """Redis did not take the job (down, unreachable, out of memory)."""


def enqueue(func, *args, queue="default", app=None, retry=None, job_timeout=600, inline_errors="log",
            redis_errors="log", job_id=None):
    """Run `func(*args)` on a worker (Redis) or right here in a fresh app context.

    Returns the RQ job, or None when run in-process. A Redis outage is logged, not raised
    (unless redis_errors="raise": QueueUnavailable): the caller's change is already committed
    and a sweeper re-enqueues what needs it.
    """
    app = app or current_app._get_current_object()
    q = get_queue(queue, app)
    if q is None:
        with app.app_context():  # a fresh context gives the job its own database session
            try:
                func(*args)
            except Exception:
                if inline_errors != "log":
                    raise
                log.exception("in-process job %s%r failed", func.__name__, args)
        return None
    try:
        return q.enqueue(func, *args, retry=retry, job_timeout=job_timeout, job_id=job_id)
    except RedisError as err:
        log.error("could not enqueue %s%r on %s: %s", func.__name__, args, queue, err)
        if redis_errors == "raise":
            raise QueueUnavailable(str(err)) from err
        return None


def job_exists(job_id, app=None):
    """Whether Redis still holds the job (queued, running or kept after it ran).

    Always True when jobs run in-process (nothing waits in a queue); QueueUnavailable when Redis is down.
    """
    conn = redis_connection(app)
    if conn is None:
        return True
    try:
        return Job.exists(job_id, connection=conn)
    except RedisError as err:
        raise QueueUnavailable(str(err)) from err


def enqueue_email_send(app, outbox_id, redis_errors="log"):
    """Queue the sending of one outbox email.

    No RQ `Retry`: SendGrid's errors are retried in one place, the backend's loop inside one send
    (app/mail/backends/sendgrid_backend.py). An email still pending after that, or whose job died,
    is the outbox's: the sweeper queues it again, and MAIL_MAX_ATTEMPTS sends mark it failed.
    """
    from app.jobs.email import send_email_job

    return enqueue(send_email_job, outbox_id, queue="email", app=app, job_timeout=120, redis_errors=redis_errors)


def enqueue_email_sends(app, outbox_ids):
    """Queue several outbox emails; stop at the first Redis failure. Returns how many were queued.

    With Redis down each attempt can cost the connect timeout, so one failure leaves the rest
    of the batch to the sweeper instead of making the user wait for every email in it.
    """
    queued = 0
    for outbox_id in outbox_ids:
        try:
            enqueue_email_send(app, outbox_id, redis_errors="raise")
        except QueueUnavailable:
            left = len(outbox_ids) - queued
            log.warning("Redis unavailable: %d email(s) left in the outbox for the sweeper", left)
            break
        queued += 1
    return queued
