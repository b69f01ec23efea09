"""The one clock: what time it is and what day it is, for every rule in the app.

"Today" is the UTC date, everywhere: sprint start and due dates, check-in windows and their day
of grace, reminders and auto-completion, final-report deadlines, election and start dates in
forms, the "today" templates see. Not the campaign's zone (Campaign.timezone), on purpose:
the daily reminders run is one job for every campaign, and a rule that turned a day at a
different hour for each campaign would make "is it late?" differ between the page and the
e-mail. The cost is small and said here once: for a campaign in the Americas the UTC day turns
in the evening (19:00-20:00 in New York), so a window that closes "on" a day closes that evening
local time; the check-in's day of grace (app/teams/checkins.py) covers a late Friday report.
Campaign.timezone and a session's zone are for showing times (app/leads/sessions.py) and for
matching volunteers' hours (app/recruiting/features.py), not for deciding what day it is.

Timestamps (`now()`) are naive UTC datetimes, as every column stores them
(app/models/base.utcnow is this function).

Tests control the clock with `frozen_at(moment)`; every caller sees it, however it imported.
"""
from contextlib import contextmanager
from datetime import date, datetime, timezone

_frozen = None


def now():
    """Timezone-naive UTC now (the frozen moment inside `frozen_at`)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today():
    """Today's date in UTC: the day every date rule in the app compares with."""
    return now().date()


@contextmanager
def frozen_at(moment):
    """Within the block, now() is `moment` (a naive UTC datetime, or a date meaning its noon)."""
    global _frozen
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time()).replace(hour=12)
    before, _frozen = _frozen, moment
    try:
        yield moment
    finally:
        _frozen = before
