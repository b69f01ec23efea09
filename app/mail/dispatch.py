"""Hand new outbox rows to the email queue once their transaction has committed."""
import logging

from flask import current_app
from sqlalchemy import event

from app.extensions import db
from app.mail.outbox import forget_new_ids, take_new_ids

log = logging.getLogger(__name__)
_installed = False


def install_outbox_hooks(app):
    """Listen for commits on the app's session; safe to call for every app built."""
    global _installed
    if _installed:
        return
    _installed = True
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", _after_rollback)


def _after_commit(session):
    if session.in_nested_transaction():
        return  # SQLAlchemy reports SAVEPOINT releases here too; the real commit is still to come
    ids = take_new_ids(session)
    if not ids:
        return
    # Enqueueing happens after commit: a job can never look for a row that is not there yet.
    from app.jobs.queue import enqueue_email_sends

    enqueue_email_sends(current_app._get_current_object(), ids)


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:  # only the outermost rollback discards the emails
        forget_new_ids(session)
