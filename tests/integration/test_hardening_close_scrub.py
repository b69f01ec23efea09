"""Closing an account forgets the person in the outbox (staff's /staff/outbox/) and in instance/mail/*.json."""
import json
from pathlib import Path

from app.models import OutboxEmail, User
from tests.factories import PASSWORD


def _outbox_text(db):
    db.session.commit()
    return "\n".join(f"{m.to_email} {m.subject} {m.text_body} {m.html_body}"
                     for m in db.session.scalars(db.select(OutboxEmail)))


def _mail_folder_text(app):
    return "\n".join(p.read_text() for p in sorted((Path(app.instance_path) / "mail").glob("*.json")))


def test_closing_scrubs_the_outbox_and_the_mail_folder(app, db, client, login, make):
    ada = make.user("volunteer", email="ada.lovelace@example.org", name="Ada Lovelace")
    campaign_user = make.user("campaign", name="Casey Campaign")
    # A sent email to her (written to instance/mail/ by the console backend), one still pending,
    # and one to someone else that names her.
    assert client.post("/auth/reset", data={"email": ada.email}).status_code == 302
    db.session.add_all([
        OutboxEmail(idempotency_key="test:pending", to_email=ada.email, subject="Welcome Ada Lovelace",
                    text_body="Hi Ada Lovelace, your link: https://x/secret", status="pending"),
        OutboxEmail(idempotency_key="test:other", to_email=campaign_user.email,
                    subject="Ada Lovelace joined your team",
                    text_body="Ada Lovelace (ada.lovelace@example.org) accepted. Ada Lovelaceish stays.",
                    status="sent"),
    ])
    db.session.commit()
    assert "Ada Lovelace" in _mail_folder_text(app) or ada.email in _mail_folder_text(app)
    login(ada)
    assert client.post("/account/close", data={"password": PASSWORD, "confirm": "y"}).status_code == 302

    text = _outbox_text(db)
    assert "Ada Lovelace " not in text and "Ada Lovelace," not in text and "ada.lovelace@example.org" not in text
    assert "Ada Lovelaceish" in text  # only whole-name matches are replaced
    closed = db.session.get(User, ada.id)
    pending = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == "test:pending"))
    assert pending.status == "failed" and pending.to_email == closed.email and "secret" not in pending.text_body
    other = db.session.scalar(db.select(OutboxEmail).where(OutboxEmail.idempotency_key == "test:other"))
    assert other.to_email == campaign_user.email and "Former volunteer" in other.subject
    assert "ada.lovelace@example.org" not in _mail_folder_text(app)
    assert "Ada Lovelace" not in _mail_folder_text(app)
    # Staff's outbox page no longer shows her.
    client.post("/auth/logout")
    login(make.user("staff"))
    page = client.get("/staff/outbox/").get_data(as_text=True)
    assert "ada.lovelace@example.org" not in page and "Ada Lovelace" not in page


def test_the_json_files_of_other_people_keep_their_content(app, db, client, make):
    bob = make.user("volunteer", email="bob@example.org", name="Bob Builder")
    make.user("volunteer", email="ada@example.org", name="Ada Lovelace")
    client.post("/auth/reset", data={"email": bob.email})
    before = _mail_folder_text(app)
    from app.account import services

    services.close_account(db.session.scalar(db.select(User).where(User.email == "ada@example.org")), PASSWORD)
    assert _mail_folder_text(app) == before and "bob@example.org" in before
    assert all(json.loads(p.read_text())["to"] == "bob@example.org"
               for p in (Path(app.instance_path) / "mail").glob("*.json"))
