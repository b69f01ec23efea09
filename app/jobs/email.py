"""Email jobs: thin wrappers that open an app context and call the mail services."""
from app.jobs.context import job_context


def send_email_job(outbox_id):
    """Send one outbox email; safe to run twice (the second run finds it sent)."""
    from app.mail.sender import send_outbox_email

    with job_context():
        return send_outbox_email(outbox_id)


def sweep_outbox_job(older_than_seconds=60):
    """Re-enqueue outbox rows that no job picked up (Redis was down, a worker died).

    Returns how many were re-enqueued. A row is swept when it is still pending, no sender holds
    its claim, and it has waited `older_than_seconds` since it was written (or last swept).
    A swept row whose first job still sits in the queue is harmless: whichever job runs second
    finds it claimed or sent and sends nothing.
    """
    with job_context():
        return sweep_outbox(older_than_seconds)[0]


def sweep_outbox(older_than_seconds=60):
    """(re-enqueued, left waiting because Redis refused them), in batches of 500."""
    from flask import current_app

    from app.extensions import db
    from app.jobs.queue import enqueue_email_sends
    from app.mail.sender import mark_enqueued, pending_ids

    app, queued, left, after_id = current_app._get_current_object(), 0, 0, 0
    while ids := pending_ids(older_than_seconds, after_id=after_id):
        db.session.commit()  # end the read: in-process sends write from their own session
        done = enqueue_email_sends(app, ids)
        mark_enqueued(ids[:done])
        queued += done
        if done < len(ids):  # Redis is down: the next sweep tries again
            left = len(ids) - done
            break
        after_id = ids[-1]
    return queued, left
