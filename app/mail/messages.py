"""Email texts, rendered from templates/email/<name>.txt (first line is the subject)."""
from flask import render_template


def render_message(name, **context):
    """Return (subject, text body) for the email template `name`."""
    text = render_template(f"email/{name}.txt", **context)
    subject, _, body = text.partition("\n")
    return subject.removeprefix("Subject:").strip(), body.lstrip("\n")
