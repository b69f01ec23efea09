"""Telling people about the lead pipeline through the notifications of the lifecycle work: an
in-app notification and an email (at once or in the digest, as each person chose for "training").

Every message is rendered from templates/email/lead_*.txt; the key makes a repeated call harmless.
"""
from app.links import external_url
from app.mail.messages import render_message
from app.notifications.service import notify

KIND = "training"


def tell(user, template, key, link_to=("leads.apply", {}), **context):
    """Notify `user` (in the caller's transaction) with the `template` message under `key`."""
    endpoint, values = link_to
    subject, text = render_message(template, user=user, guide_link=external_url("leads.guide"), **context)
    notify(user, KIND, key, subject, text, link=external_url(endpoint, **values))
