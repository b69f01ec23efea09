"""Accounts made from the command line: the first admin of a fresh deployment, and role changes.

A new deployment has nobody who can be staff (demo accounts are refused in production), so the
operator creates the first admin with `flask users create-admin` and hands out roles with
`flask users set-role`; after that, admins manage roles in the app (Staff > Users).
"""
import secrets

from app import audit
from app.auth.services import normalise_email
from app.auth.tokens import make_reset_token
from app.errors.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import User, VolunteerProfile
from app.models.users import ROLES

MIN_PASSWORD = 10  # the same rule as the sign-up and reset forms (app/auth/forms.py)
MAX_PASSWORD = 128


def check_password_strength(password, email=""):
    """Raise DomainError unless `password` is acceptable for an account."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"Use at least {MIN_PASSWORD} characters for the password.", field="password")
    if len(password) > MAX_PASSWORD:
        raise DomainError(f"Use at most {MAX_PASSWORD} characters for the password.", field="password")
    if len(set(password)) < 4 or (email and password.lower() in email.lower()):
        raise DomainError("That password is too easy to guess; choose another.", field="password")


def _check_email(email):
    email = normalise_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise DomainError(f"{email or 'That'} is not an email address.", field="email")
    return email


def create_admin(email, name="", password=None):
    """Create a confirmed admin account. With no password, email a set-password link instead.

    Refuses an address that already has an account (use set_role for that). Returns the user.
    """
    email = _check_email(email)
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise DomainError(
            f"{email} already has an account; give it the admin role with `flask users set-role {email} admin`.",
            field="email",
        )
    if password is not None:
        check_password_strength(password, email)
    user = User(email=email, name=(name or email.split("@")[0]).strip()[:120], role="admin")
    # Without a password the account gets a random one nobody knows, until the emailed link sets it.
    user.set_password(password if password is not None else secrets.token_urlsafe(32))
    db.session.add(user)
    db.session.flush()
    audit.record(None, "user.admin_created", user, email=email, by="cli", link_sent=password is None)
    if password is None:
        queue_set_password_link(user)
    db.session.commit()
    return user


def queue_set_password_link(user):
    """Queue the 'choose your password' email (the reset link: it works once, for an hour)."""
    token = make_reset_token(user)
    subject, text = render_message(
        "set_password", user=user, link=external_url("auth.reset_password", token=token)
    )
    queue_email(f"set-password:{user.id}:{token[-16:]}", user.email, subject, text, category="account")


def set_role(email, role):
    """Give the account at `email` another role (from the command line, so no admin is needed)."""
    if role not in ROLES:
        raise DomainError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.", field="role")
    email = normalise_email(email)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        raise DomainError(f"No account has the address {email}.", field="email")
    old = user.role
    if old == role:
        return user
    user.role = role
    if role == "volunteer" and user.volunteer_profile is None:
        db.session.add(VolunteerProfile(user=user))
    user.rotate_session_token()  # a role change takes effect at the next login
    audit.record(None, "user.role_changed", user, old=old, new=role, by="cli")
    db.session.commit()
    return user
