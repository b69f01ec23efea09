"""Once-only forms: a double click (or a resend after a slow answer) creates one record.

A form carries a random token from the moment it is shown. The service that creates the record
first inserts (user, token) into `form_submissions`, whose unique constraint makes the second of
two simultaneous submits wait for the first and then fail; that one answers with the record the
first created. Race-safe on PostgreSQL and SQLite alike, with no check-then-insert.
"""
import re
import secrets
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from app.errors.domain import DomainError
from app.extensions import db
from app.models import FormSubmission

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token():
    return secrets.token_urlsafe(24)


class OnceOnlyForm:
    """Mix into a FlaskForm whose submit creates a record; render `form.submission_token`."""

    submission_token = HiddenField(default=new_token)


@dataclass
class Claim:
    row: FormSubmission | None = None
    duplicate_of: int | None = None

    def record(self, target_id):
        """Note what the first submission created, for a duplicate to answer with."""
        if self.row is not None:
            self.row.target_id = target_id


def claim(user, token, kind):
    """Reserve `token` before creating anything (it must be the first write of the transaction).

    Returns a Claim; `duplicate_of` is the id the earlier submission created. Without a well-formed
    token (an old page, an API client) nothing is reserved and the submission goes through."""
    if not token or not _TOKEN.fullmatch(token):
        return Claim()
    row = FormSubmission(user_id=user.id, token=token, kind=kind)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = db.session.scalar(db.select(FormSubmission).where(
            FormSubmission.user_id == user.id, FormSubmission.token == token))
        if earlier is None or earlier.kind != kind or earlier.target_id is None:
            raise DomainError("This form was already sent. Reload the page to send it again.") from None
        return Claim(duplicate_of=earlier.target_id)
    return Claim(row=row)
