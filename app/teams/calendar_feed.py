"""An .ics calendar of a team's sprint due dates, for each member (RFC 5545 through `icalendar`).

Links and event ids come from PUBLIC_URL (app/links.py), never from the request's Host header.
A member's feed address carries their `calendar_feed_version`: bumping it turns every address
they handed to a calendar app off at once.
"""
from datetime import timedelta
from urllib.parse import urlsplit


from app import tokens
from app.links import external_url, public_url
from app.models.base import utcnow


def feed_token(user, project):
    """A signed token naming one user, one project and the user's current feed version."""
    return tokens.sign(tokens.CALENDAR_FEED, {"u": user.id, "p": project.id, "v": user.calendar_feed_version})


def read_feed_token(token):
    """(user id, project id), or None when tampered with or turned off by a newer address."""
    from app.extensions import db
    from app.models import User

    data = tokens.unsign(tokens.CALENDAR_FEED, token)
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("u", "p", "v")):
        return None
    user = db.session.get(User, data["u"])
    if user is None or user.calendar_feed_version != data["v"]:
        return None
    return data["u"], data["p"]


def rotate_feed_addresses(user):
    """Turn off every calendar address the user handed out; the pages then show new ones."""
    from app import audit
    from app.extensions import db

    user.calendar_feed_version += 1
    audit.record(user, "account.calendar_feed_rotated", user)
    db.session.commit()


def ics_for(project, sprints, **_ignored):
    """The VCALENDAR bytes with one all-day VEVENT per sprint check-in due date.

    Older callers pass `host` and `link` taken from the request; they are ignored on purpose."""
    from icalendar import Calendar, Event  # ~0.1 s to import: only for the .ics routes, not at worker start

    host = urlsplit(public_url()).hostname or "barnstorm"
    link = external_url("teams.workspace", project_id=project.id)
    cal = Calendar()
    cal.add("prodid", "-//Barnstorm//Team sprints//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", project.title)
    stamp = utcnow()
    for s in sprints:
        event = Event()
        event.add("uid", f"sprint-{s.id}-project-{project.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.due_on)
        event.add("dtend", s.due_on + timedelta(days=1))
        event.add("summary", f"{project.title}: sprint {s.number} check-in due")
        event.add("description",
                  f"Sprint {s.number} of {len(sprints)} ({s.starts_on:%b %-d} to {s.ends_on:%b %-d}). {link}")
        event.add("url", link)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
