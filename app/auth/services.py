"""Account rules: registration, authentication, password reset."""
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit
from app.auth.tokens import make_reset_token
from app.errors.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.outbox import queue_email
from app.mail.messages import render_message
from app.models import User, VolunteerProfile
from app.models.base import utcnow

# Checked when no account matches, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def normalise_email(email):
    return (email or "").strip().lower()


def register_user(name, email, password, role):
    """Create an account (volunteer or campaign member). Raises DomainError if the email is taken."""
    if role not in ("volunteer", "campaign"):
        raise DomainError("Choose volunteer or campaign member.", field="role")
    email = normalise_email(email)
    if db.session.scalar(db.select(User.id).where(User.email == email)):
        raise DomainError(
            "An account with this email already exists. Log in, or reset your password.", field="email"
        )
    user = User(name=name.strip(), email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    if role == "volunteer":
        db.session.add(VolunteerProfile(user=user))
    try:
        db.session.flush()
        audit.record(user, "account.registered", user, role=role)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(
            "An account with this email already exists. Log in, or reset your password.", field="email"
        ) from None
    return user


def authenticate(email, password):
    """The user for these credentials, or None. Same work whether or not the email exists."""
    user = db.session.scalar(db.select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.check_password(password or "") or not user.is_active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def end_all_sessions(user):
    """Log the user out everywhere by rotating their session token."""
    user.rotate_session_token()
    db.session.commit()


def request_password_reset(email):
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
    """Set a new password; this also ends every existing session and voids old links."""
    user.set_password(new_password)
    audit.record(user, "account.password_reset", user)
    db.session.commit()
