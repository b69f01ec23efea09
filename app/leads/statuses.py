"""Statuses of the lead pipeline: an application to lead, a training session, a seat in one."""
from enum import StrEnum


class ApplicationStatus(StrEnum):
    WAITING = "waiting"      # asked to lead, not yet invited to a session
    INVITED = "invited"      # holds a seat in an upcoming session
    TRAINED = "trained"      # attended (or trained elsewhere): lead-trained
    WITHDRAWN = "withdrawn"  # staff withdrew the status, or the volunteer gave up the application


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"            # attendance recorded for at least one seat
    CANCELLED = "cancelled"


class SeatStatus(StrEnum):
    INVITED = "invited"
    ATTENDED = "attended"
    ABSENT = "absent"


APPLICATION_STATUSES = tuple(s.value for s in ApplicationStatus)
SESSION_STATUSES = tuple(s.value for s in SessionStatus)
SEAT_STATUSES = tuple(s.value for s in SeatStatus)
