"""Email jobs: thin wrappers that open an app context and call the mail services."""
from app.jobs.context import job_context


def send_email_job(outbox_id):
    """Send one outbox email; safe to run twice (the second run finds it sent)."""
    from app.mail.sender import send_outbox_email

    with job_context():
        return send_outbox_email(outbox_id)


def sweep_outbox_job(older_than_seconds=60):
    """Re-enqueue outbox rows that no job picked up (Redis was down, a worker died)."""
    from flask import current_app

    from app.jobs.queue import enqueue_email_send
    from app.mail.sender import pending_ids

    with job_context():
        ids = pending_ids(older_than_seconds)
        for outbox_id in ids:
            enqueue_email_send(current_app._get_current_object(), outbox_id)
        return len(ids)
