"""OSDI's person signup helper, Barnstorm's way: the referred person confirms before anything exists.

The API call only emails a signed link (name, address and referring organisation inside the token).
An address that never opens it leaves no row behind but the email in the outbox.
"""
import hashlib


from app import audit, tokens
from app.api.hal import ApiError
from app.auth.services import normalise_email
from app.errors.domain import DomainError
from app.extensions import db
from app.links import external_url
from app.mail.messages import render_message
from app.mail.outbox import queue_email
from app.models import User, VolunteerProfile
from app.models.base import utcnow
from app.orgs.scope import Org

LINK_DAYS = 7



def _invalid(description, prop):
    return ApiError(400, "INVALID_PERSON", description, [prop], "osdi:person")


def _parse(body):
    person = body.get("person")
    if not isinstance(person, dict):
        raise _invalid("`person` must be an object.", "person")
    emails = person.get("email_addresses")
    if not isinstance(emails, list) or not emails or not all(isinstance(e, dict) for e in emails):
        raise _invalid("`person.email_addresses` needs at least one address.", "email_addresses")
    primary = next((e for e in emails if e.get("primary")), emails[0])
    address = primary.get("address")
    if not isinstance(address, str) or "@" not in address or len(address) > 254 or " " in address.strip():
        raise _invalid("That is not an email address.", "email_addresses")
    names = []
    for field in ("given_name", "family_name"):
        value = person.get(field, "")
        if not isinstance(value, str) or len(value) > 60:
            raise _invalid(f"`{field}` must be text of at most 60 characters.", field)
        names.append(value.strip())
    tags = body.get("add_tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _invalid("`add_tags` must be a list of tag names.", "add_tags")
    return normalise_email(address), " ".join(n for n in names if n)


def refer_person(org, key, body):
    """Email the person a link to confirm and create their volunteer account. Returns the address."""
    address, name = _parse(body)
    token = tokens.sign(tokens.PERSON_SIGNUP, {"e": address, "n": name, "o": [org.kind, org.id]})
    subject, text = render_message("person_referred", person_name=name, organisation=org.name(),
                                   link=external_url("orgs.referred", token=token), days=LINK_DAYS)
    # One email per organisation, address and day, however often the same person is posted.
    digest = hashlib.sha256(address.encode()).hexdigest()[:20]
    queue_email(f"api-signup:{org.kind}{org.id}:{digest}:{utcnow():%Y%m%d}", address, subject, text,
                category="referral")
    db.session.commit()
    return address


def read_referral(token):
    """(email, name, Org) from a referral link, or None when tampered with or expired."""
    data = tokens.unsign(tokens.PERSON_SIGNUP, token, max_age=LINK_DAYS * 86400)
    if not isinstance(data, dict) or not isinstance(data.get("o"), list):
        return None
    return data["e"], data.get("n") or "", Org(*data["o"])


def confirm_referral(email, name, org, password):
    """Create the confirmed volunteer account the referral proposed; DomainError if the address has one."""
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise DomainError("This address already has an account: log in instead.")
    user = User(name=name or email.split("@")[0], email=email, role="volunteer")
    user.set_password(password)
    db.session.add(user)
    db.session.add(VolunteerProfile(user=user))
    db.session.flush()
    audit.record(user, "account.registered", user, role="volunteer", referred_by=f"{org.kind}:{org.id}")
    db.session.commit()
    return user
