"""Telling people about the lead pipeline: one email per event, through the outbox under a key.

Every message is rendered from templates/email/lead_*.txt; the key makes a repeated call harmless.
"""
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email


def tell(user, template, key, **context):
    """Queue the `template` email for `user` (in the caller's transaction) under `key`."""
    subject, text = render_message(template, user=user, guide_link=external_url("leads.guide"), **context)
    queue_email(key, user.email, subject, text, category="leads")
