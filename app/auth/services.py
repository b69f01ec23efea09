"""Account rules: registration, authentication, password reset."""
from functools import cache

from flask import current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit
from app.auth.tokens import make_confirm_token, make_reset_token
from app.errors.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.outbox import queue_email
from app.mail.messages import render_message
from app.models import User, VolunteerProfile
from app.models.base import utcnow


@cache
def _dummy_hash(method):
    """Checked when no account matches, so a wrong email costs as long as a wrong password."""
    return generate_password_hash("not-a-real-password", method=method)


def normalise_email(email):
    return (email or "").strip().lower()


def register_user(name, email, password, role):
    """Sign someone up, answering the same way whether or not the email already has an account.

    A new address gets an account that stays locked until the emailed link confirms it. An address
    that already has an account gets an email saying so (with log-in and reset links) and nothing
    else changes, so the form never tells a stranger which emails are registered.
    Returns the new user, or None when the address was taken. Raises DomainError for a bad role.
    """
    if role not in ("volunteer", "campaign"):
        raise DomainError("Choose volunteer or campaign member.", field="role")
    email = normalise_email(email)
    user = User(name=name.strip(), email=email, role=role, confirmation_pending=True)
    user.set_password(password)  # hashed either way, so both answers take as long
    existing = db.session.scalar(db.select(User).where(User.email == email))
    if existing is None:
        db.session.add(user)
        if role == "volunteer":
            db.session.add(VolunteerProfile(user=user))
        try:
            db.session.flush()
        except IntegrityError:  # the same address signed up a moment earlier, in another request
            db.session.rollback()
            existing = db.session.scalar(db.select(User).where(User.email == email))
            if existing is None:
                raise  # some other constraint: not ours to hide
    if existing is not None:
        _tell_owner_about_signup(existing)
        return None
    audit.record(user, "account.registered", user, role=role)
    _queue_confirmation(user)
    db.session.commit()
    return user


def _queue_confirmation(user):
    token = make_confirm_token(user)
    subject, text = render_message("confirm_account", user=user, link=external_url("auth.confirm", token=token))
    queue_email(f"confirm:{user.id}:{token[-16:]}", user.email, subject, text, category="account")


def _tell_owner_about_signup(user):
    subject, text = render_message(
        "account_exists", user=user,
        login_link=external_url("auth.login"), reset_link=external_url("auth.reset_request"),
    )
    # One such email per account and hour at most, however often the form is tried.
    queue_email(f"signup-exists:{user.id}:{utcnow():%Y%m%d%H}", user.email, subject, text, category="account")
    db.session.commit()


def resend_confirmation(user):
    """A fresh confirmation link for an account still waiting for one (asked for by logging in)."""
    if user.confirmation_pending:
        _queue_confirmation(user)
        db.session.commit()


def confirm_account(user):
    """The emailed link was opened: the address is the user's, so the account opens."""
    user.confirmation_pending = False
    user.last_login_at = utcnow()
    audit.record(user, "account.confirmed", user)
    db.session.commit()


def authenticate(email, password):
    """The user for these credentials, or None. Same work whether or not the email exists.

    An account still waiting for its emailed confirmation comes back too, so the log-in page can
    offer a new link; the caller must not log it in (`user.confirmation_pending`).
    """
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    if user.confirmation_pending:
        return user
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def end_all_sessions(user):
    """Log the user out everywhere by rotating their session token."""
    user.rotate_session_token()
    db.session.commit()


def request_password_reset(email):
    """Hand the request to a job, whatever the address: the page then does the same work, and
    takes the same time, whether or not an account uses it (no enumeration by timing).

    If Redis refuses the job, the work is done here so the email still goes (during an outage the
    timing differs; the answer on screen never does)."""
    from app.jobs.accounts import password_reset_job
    from app.jobs.queue import QueueUnavailable, enqueue

    try:
        enqueue(password_reset_job, normalise_email(email), queue="email", redis_errors="raise")
    except QueueUnavailable:
        send_password_reset(email)


def send_password_reset(email):
    """Queue a reset email if an account exists; silent otherwise (no account enumeration)."""
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        return
    token = make_reset_token(user)
    link = external_url("auth.reset_password", token=token)
    subject, text = render_message("password_reset", user=user, link=link)
    # One email per password state and token: a second request sends a fresh link.
    queue_email(f"reset:{user.id}:{token[-16:]}", user.email, subject, text, category="account")
    db.session.commit()


def reset_password(user, new_password):
    """Set a new password; this also ends every existing session and voids old links.

    The reset link proves the address is the user's, so it also confirms an account still waiting.
    """
    user.set_password(new_password)
    user.confirmation_pending = False
    audit.record(user, "account.password_reset", user)
    db.session.commit()
