"""Forgetting a person in the mail we keep: the outbox table and the console backend's files.

Called when an account closes. Emails addressed to the person are redacted (a pending one is
never sent: it is marked failed); their name and address are replaced in every other email's
subject and bodies (e.g. "Ada Lovelace accepted" sent to a campaign). Rows stay, so each email's
idempotency key still stops a second send.
"""
import json
import logging
import re
from pathlib import Path

from flask import current_app

from app.extensions import db
from app.models import OutboxEmail

log = logging.getLogger(__name__)
REDACTED = "(removed: the account was closed)"


def _replacer(old_name, old_email, new_name, new_email):
    patterns = [(re.compile(re.escape(old_email), re.IGNORECASE), new_email)]
    if old_name and len(old_name.strip()) >= 2:
        patterns.append((re.compile(r"(?<!\w)" + re.escape(old_name.strip()) + r"(?!\w)"), new_name))

    def replace(text):
        for pattern, repl in patterns:
            text = pattern.sub(repl, text or "")
        return text

    return replace


def scrub_person_from_mail(old_name, old_email, new_name, new_email):
    """Redact the person from outbox rows (in the caller's transaction) and from the console
    backend's files under <instance>/mail/. Returns (rows redacted, files changed)."""
    replace = _replacer(old_name, old_email, new_name, new_email)
    rows = 0
    own = db.select(OutboxEmail).where(db.func.lower(OutboxEmail.to_email) == old_email.lower())
    for mail in db.session.scalars(own):
        if mail.status == "pending":
            mail.status, mail.last_error = "failed", "not sent: the account was closed"
        mail.to_email, mail.subject, mail.text_body, mail.html_body = new_email, REDACTED, REDACTED, ""
        rows += 1
    needles = [old_email.lower()] + ([old_name.strip().lower()] if old_name and len(old_name.strip()) >= 2 else [])
    mentions = db.select(OutboxEmail).where(db.or_(*[
        db.func.lower(col).contains(n, autoescape=True)
        for n in needles for col in (OutboxEmail.subject, OutboxEmail.text_body, OutboxEmail.html_body)
    ]))
    for mail in db.session.scalars(mentions):
        mail.subject = replace(mail.subject)[:255]
        mail.text_body, mail.html_body = replace(mail.text_body), replace(mail.html_body)
        rows += 1
    return rows, _scrub_console_files(old_email, replace)


def _scrub_console_files(old_email, replace):
    folder = Path(current_app.instance_path) / "mail"
    changed = 0
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if str(record.get("to", "")).lower() == old_email.lower():
            path.unlink(missing_ok=True)
            changed += 1
            continue
        scrubbed = {k: replace(v) if isinstance(v, str) and k in ("subject", "text", "html") else v
                    for k, v in record.items()}
        if scrubbed != record:
            path.write_text(json.dumps(scrubbed, indent=2))
            changed += 1
    return changed
