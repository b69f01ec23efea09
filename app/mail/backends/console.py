"""Development backend: log each email and keep a copy in the instance folder."""
import json
import logging
from pathlib import Path

log = logging.getLogger("barnstorm.mail")


class ConsoleBackend:
    name = "console"

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, email, mail_from):
        """Write the email to <instance>/mail/<id>.json and log it. Returns a message id."""
        record = {
            "id": email.id,
            "key": email.idempotency_key,
            "from": mail_from,
            "to": email.to_email,
            "subject": email.subject,
            "text": email.text_body,
        }
        path = self.folder / f"{email.id:08d}.json"
        path.write_text(json.dumps(record, indent=2))
        log.info("email to %s: %s\n%s", email.to_email, email.subject, email.text_body)
        return f"console-{email.id}"
