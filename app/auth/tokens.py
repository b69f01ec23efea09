"""Signed, expiring, single-use links for password reset and for confirming a new account."""
import hashlib

from flask import current_app

from app import tokens
from app.extensions import db
from app.models import User

_RESET_SALT = tokens.PASSWORD_RESET
_CONFIRM_SALT = tokens.ACCOUNT_CONFIRM


def _fingerprint(user):
    # Changes when the password changes, so a used reset link stops working.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _make(user, purpose):
    return tokens.sign(purpose, {"uid": user.id, "fp": _fingerprint(user)})


def _user_for(token, purpose, max_age):
    data = tokens.unsign(purpose, token, max_age=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.is_active or data.get("fp") != _fingerprint(user):
        return None
    return user


def make_reset_token(user):
    """A token naming the user and the password it may replace."""
    return _make(user, _RESET_SALT)


def user_for_reset_token(token, max_age=None):
    """The user a reset token is for, or None when it is expired, tampered with or used."""
    max_age = max_age if max_age is not None else current_app.config["PASSWORD_RESET_MAX_AGE"]
    return _user_for(token, _RESET_SALT, max_age)


def make_confirm_token(user):
    """A token that confirms this new account's email address."""
    return _make(user, _CONFIRM_SALT)


def user_for_confirm_token(token, max_age=None):
    """The account awaiting confirmation that the token is for; None when expired, tampered with or used."""
    max_age = max_age if max_age is not None else current_app.config["ACCOUNT_CONFIRM_MAX_AGE"]
    user = _user_for(token, _CONFIRM_SALT, max_age)
    return user if user is not None and user.confirmation_pending else None
