"""Signed, expiring links in invitation emails."""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_SALT = "invitation-link"


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def make_invitation_token(invitation):
    """A token naming one invitation and its volunteer."""
    return _serializer().dumps({"i": invitation.id, "v": invitation.volunteer_id})


def read_invitation_token(token):
    """(invitation_id, volunteer_id) or None when the link is tampered with or too old."""
    max_age = (current_app.config["INVITATION_DAYS"] + 1) * 86400
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    return data["i"], data.get("v")
