"""An .ics calendar of a team's sprint due dates, for each member (RFC 5545, all-day events)."""
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.models.base import utcnow

_SALT = "ics"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def feed_token(user, project):
    """A signed token naming one user and one project, for calendar apps that cannot log in."""
    return _serializer().dumps({"u": user.id, "p": project.id})


def read_feed_token(token):
    """(user id, project id) or None when tampered with."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("p"), int):
        return None
    return data["u"], data["p"]


def _escape(text):
    return (
        str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line):
    """Lines longer than 75 octets are folded (CRLF + space)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def ics_for(project, sprints, host="barnstorm", link=""):
    """The VCALENDAR text (CRLF line ends) with one all-day VEVENT per sprint check-in due date."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Barnstorm//Team sprints//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(project.title)}",
    ]
    for s in sprints:
        lines += [
            "BEGIN:VEVENT",
            f"UID:sprint-{s.id}-project-{project.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{s.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{s.due_on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'{project.title}: sprint {s.number} check-in due')}",
            f"DESCRIPTION:{_escape(f'Sprint {s.number} of {len(sprints)} ({s.starts_on:%b %-d} to {s.ends_on:%b %-d}). {link}'.strip())}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
