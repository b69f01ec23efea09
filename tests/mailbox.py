"""Read the emails the app queued the way a person reads their inbox, to follow the links in them."""
import re

from app.extensions import db
from app.models import OutboxEmail


def latest_email(to_email, key_prefix=""):
    """The newest email queued for `to_email` (whose idempotency key starts with `key_prefix`)."""
    stmt = db.select(OutboxEmail).where(OutboxEmail.to_email == to_email)
    if key_prefix:
        stmt = stmt.where(OutboxEmail.idempotency_key.startswith(key_prefix))
    return db.session.scalars(stmt.order_by(OutboxEmail.id.desc())).first()


def link_path(mail, path_prefix):
    """The path (without scheme and host) of the first link in `mail` that starts with `path_prefix`."""
    found = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"\S*)", mail.text_body)
    assert found, f"no {path_prefix} link in: {mail.text_body}"
    return found.group(1)


def confirmation_path(to_email):
    """The link in the newest sign-up confirmation email sent to `to_email`."""
    mail = latest_email(to_email, "confirm:")
    assert mail is not None, f"no confirmation email for {to_email}"
    return link_path(mail, "/auth/confirm/")
