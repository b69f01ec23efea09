"""Every signed token of the app, in one place: one serializer, one salt per purpose.

A token signed for one purpose never opens another (the salt differs), and all of them depend on
SECRET_KEY, which production refuses to start without (config.py). The salts of links already
sent (reset, confirmation, invitation) are kept, so those links keep working.
"""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

PASSWORD_RESET = "password-reset"  # noqa: S105 -- a salt name, not a secret
ACCOUNT_CONFIRM = "account-confirm"
INVITATION = "invitation-link"
CALENDAR_FEED = "calendar-feed"
KNOWN_DEVICE = "known-device"
CAMPAIGN_INVITATION = "campaign-invitation"
PERSON_SIGNUP = "api-person-signup"
PARTNER_INVITATION = "partner-invitation"
PURPOSES = (PASSWORD_RESET, ACCOUNT_CONFIRM, INVITATION, CALENDAR_FEED, KNOWN_DEVICE, CAMPAIGN_INVITATION,
            PERSON_SIGNUP, PARTNER_INVITATION)


def _serializer(purpose):
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def sign(purpose, data):
    """A URL-safe token carrying `data` (JSON), for `purpose` only."""
    return _serializer(purpose).dumps(data)


def unsign(purpose, token, max_age=None):
    """The data in `token` when it was signed for `purpose` (and is younger than `max_age`
    seconds, if given); None when tampered with, too old, or made for something else."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
