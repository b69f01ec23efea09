"""Signed, expiring links in invitation emails."""
from flask import current_app

from app import tokens


def make_invitation_token(invitation):
    """A token naming one invitation and its volunteer."""
    return tokens.sign(tokens.INVITATION, {"i": invitation.id, "v": invitation.volunteer_id})


def read_invitation_token(token):
    """(invitation_id, volunteer_id) or None when the link is tampered with or too old."""
    max_age = (current_app.config["INVITATION_DAYS"] + 1) * 86400
    data = tokens.unsign(tokens.INVITATION, token, max_age=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    return data["i"], data.get("v")
