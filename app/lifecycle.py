"""Statuses and their allowed transitions, for everything in Barnstorm that has a lifecycle.

Each stateful model (help request, project, invitation, team membership, check-in, and the lead
pipeline's application, training session and training seat) has its
statuses as a StrEnum and its transitions in one table here. `transition()` is the only place
a status changes: it checks the move is allowed, writes it with a conditional UPDATE (so two
people changing the same thing at once cannot both succeed from the same state), and records
the audit entry, all inside the caller's transaction. The services that own each change of
plan (app/scoping, app/opportunities, app/teams, app/campaigns, app/account, app/leads) call it, add the
notifications, and commit once.
"""
from dataclasses import dataclass
from enum import StrEnum

from app.errors.domain import DomainError
from app.extensions import db


class RequestStatus(StrEnum):
    NEW = "new"
    IN_CONVERSATION = "in_conversation"
    SCOPED = "scoped"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ProjectStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    RECRUITING = "recruiting"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CLOSED = "closed"


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DROPPED = "dropped"  # left the team early: counts as leaving, never as completing
    ENDED = "ended"  # the project was cancelled under them: neither completed nor left


class CheckInReview(StrEnum):
    LOGGED = "logged"
    ACKNOWLEDGED = "acknowledged"


class CheckInHealth(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class LeadApplicationStatus(StrEnum):
    WAITING = "waiting"      # asked to lead, not yet invited to a session
    INVITED = "invited"      # holds a seat in an upcoming session
    TRAINED = "trained"      # attended (or trained elsewhere): lead-trained
    WITHDRAWN = "withdrawn"  # staff withdrew the status, or the volunteer gave up the application


class TrainingSessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"            # attendance recorded for at least one seat
    CANCELLED = "cancelled"


class PortfolioStatus(StrEnum):
    """A campaign's place in a partner's portfolio (PartnerCampaign)."""
    INVITED = "invited"    # the partner asked; an owner of the campaign answers
    ACTIVE = "active"      # in the portfolio: the partner reads the campaign's record
    DECLINED = "declined"  # declined, or left later; the partner may ask again


class TrainingSeatStatus(StrEnum):
    INVITED = "invited"
    ATTENDED = "attended"
    ABSENT = "absent"


S, P, I, M, C = RequestStatus, ProjectStatus, InvitationStatus, MembershipStatus, CheckInReview
LA, TS, SE, PF = LeadApplicationStatus, TrainingSessionStatus, TrainingSeatStatus, PortfolioStatus

# Projects that still hold a campaign's attention and volunteers' hours.
OPEN_PROJECT = (P.APPROVED, P.RECRUITING, P.ACTIVE)
# Projects staff may still send invitations for (an active team may need a replacement).
INVITABLE_PROJECT = (P.APPROVED, P.RECRUITING, P.ACTIVE)
# Scopes staff may still edit.
EDITABLE_PROJECT = (P.DRAFT, P.CHANGES_REQUESTED)
# Dates may move until the team starts work.
RESCHEDULABLE_PROJECT = (P.APPROVED, P.RECRUITING)
FINISHED_PROJECT = (P.COMPLETED, P.CANCELLED)
# The campaign may change or withdraw its request until staff have scoped it.
EDITABLE_REQUEST = (S.NEW, S.IN_CONVERSATION)
# Applications to lead still waiting for training (the applicants list; "update my request").
OPEN_LEAD_APPLICATION = (LA.WAITING, LA.INVITED)


@dataclass(frozen=True)
class Machine:
    """The lifecycle of one model: its statuses, the column holding them, and the allowed moves."""

    noun: str
    enum: type
    moves: dict  # {from: {to: verb shown in messages}}
    column: str = "status"

    def allowed(self, frm, to):
        return to in self.moves.get(frm, {})


MACHINES = {
    "HelpRequest": Machine("request", RequestStatus, {
        S.NEW: {S.IN_CONVERSATION: "taken up", S.SCOPED: "scoped", S.DECLINED: "declined", S.WITHDRAWN: "withdrawn"},
        S.IN_CONVERSATION: {S.NEW: "put back in the queue", S.SCOPED: "scoped", S.DECLINED: "declined",
                            S.WITHDRAWN: "withdrawn"},
        S.DECLINED: {S.NEW: "reopened", S.IN_CONVERSATION: "reopened"},
        # Back to the queue when its only (draft) project is deleted.
        S.SCOPED: {S.IN_CONVERSATION: "reopened"},
        S.WITHDRAWN: {},
    }),
    "Project": Machine("project", ProjectStatus, {
        P.DRAFT: {P.AWAITING_APPROVAL: "sent for approval", P.CANCELLED: "cancelled"},
        # Approving a rescheduled project that already has invitations out returns it to recruiting.
        P.AWAITING_APPROVAL: {P.APPROVED: "approved", P.RECRUITING: "approved", P.CHANGES_REQUESTED:
                              "sent back with changes", P.CANCELLED: "cancelled"},
        P.CHANGES_REQUESTED: {P.AWAITING_APPROVAL: "sent for approval", P.APPROVED: "approved",
                              P.RECRUITING: "approved", P.CANCELLED: "cancelled"},
        # Moving the dates of an approved or recruiting project asks the campaign to approve again.
        P.APPROVED: {P.RECRUITING: "opened to volunteers", P.AWAITING_APPROVAL: "rescheduled",
                     P.CANCELLED: "cancelled"},
        P.RECRUITING: {P.ACTIVE: "started", P.AWAITING_APPROVAL: "rescheduled", P.CANCELLED: "cancelled"},
        P.ACTIVE: {P.COMPLETED: "completed", P.CANCELLED: "cancelled"},
        P.COMPLETED: {},
        P.CANCELLED: {},
    }),
    "Invitation": Machine("invitation", InvitationStatus, {
        I.PENDING: {I.ACCEPTED: "accepted", I.DECLINED: "declined", I.EXPIRED: "expired", I.CLOSED: "closed"},
        I.ACCEPTED: {},
        I.DECLINED: {},
        I.EXPIRED: {},
        I.CLOSED: {},
    }),
    "TeamMembership": Machine("team membership", MembershipStatus, {
        M.ACTIVE: {M.COMPLETED: "completed", M.DROPPED: "ended early", M.ENDED: "ended"},
        M.COMPLETED: {},
        M.DROPPED: {},
        M.ENDED: {},
    }),
    "CheckIn": Machine("check-in", CheckInReview, {
        C.LOGGED: {C.ACKNOWLEDGED: "acknowledged"},
        C.ACKNOWLEDGED: {},
    }, column="review"),
    # Asking again after a withdrawal reopens the application; training (a session or elsewhere)
    # can come from any open state; an absent applicant goes back to the queue.
    "LeadApplication": Machine("application to lead", LeadApplicationStatus, {
        LA.WAITING: {LA.INVITED: "invited to a session", LA.TRAINED: "marked trained", LA.WITHDRAWN: "withdrawn"},
        LA.INVITED: {LA.WAITING: "put back in the queue", LA.TRAINED: "marked trained", LA.WITHDRAWN: "withdrawn"},
        LA.TRAINED: {LA.WITHDRAWN: "withdrawn"},
        LA.WITHDRAWN: {LA.WAITING: "reopened", LA.TRAINED: "marked trained"},
    }),
    "TrainingSession": Machine("training session", TrainingSessionStatus, {
        TS.SCHEDULED: {TS.HELD: "held", TS.CANCELLED: "cancelled"},
        TS.HELD: {},
        TS.CANCELLED: {},
    }),
    # An absence recorded by mistake can be corrected; an attendance cannot (withdraw the status instead).
    "TrainingSeat": Machine("training seat", TrainingSeatStatus, {
        SE.INVITED: {SE.ATTENDED: "marked attended", SE.ABSENT: "marked absent"},
        SE.ABSENT: {SE.ATTENDED: "marked attended"},
        SE.ATTENDED: {},
    }),
    # A referral link makes a campaign active straight away, whatever it answered before.
    "PartnerCampaign": Machine("place in the portfolio", PortfolioStatus, {
        PF.INVITED: {PF.ACTIVE: "accepted", PF.DECLINED: "declined"},
        PF.ACTIVE: {PF.DECLINED: "taken out of the portfolio"},
        PF.DECLINED: {PF.INVITED: "invited again", PF.ACTIVE: "joined through the referral link"},
    }),
}

LABELS = {
    "new": "New", "in_conversation": "In conversation", "scoped": "Scoped", "declined": "Declined",
    "withdrawn": "Withdrawn", "draft": "Draft", "awaiting_approval": "Awaiting approval",
    "changes_requested": "Changes requested", "approved": "Approved", "recruiting": "Recruiting",
    "active": "Active", "completed": "Completed", "cancelled": "Cancelled", "pending": "Pending",
    "accepted": "Accepted", "expired": "Expired", "closed": "Closed", "dropped": "Left early",
    "ended": "Ended (project cancelled)", "logged": "Logged", "acknowledged": "Acknowledged",
    "on_track": "On track", "at_risk": "At risk", "off_track": "Off track",
    "waiting": "Waiting", "invited": "Invited", "trained": "Trained", "scheduled": "Scheduled", "held": "Held",
    "attended": "Attended", "absent": "Absent",
}


class TransitionRefused(DomainError):
    """The thing is not in a state that allows this change; nothing was written."""


def machine_for(obj):
    # Keyed by class name: the models import the enums above, so this module cannot import them.
    return MACHINES[type(obj).__name__]


def refusal(machine, frm, to):
    """The message shown when `frm` -> `to` is not allowed."""
    verb = next((moves[to] for moves in machine.moves.values() if to in moves), LABELS.get(to, to).lower())
    return f"This {machine.noun} is {LABELS.get(frm, frm).lower()}, so it cannot be {verb}."


def can(obj, to):
    """True if `obj` may move to `to` from where it is now (for showing or hiding buttons)."""
    machine = machine_for(obj)
    return machine.allowed(getattr(obj, machine.column), to)


def transition(obj, to, actor, action=None, values=None, **details):
    """Move `obj` to status `to`, with `values` written in the same UPDATE, and audit it.

    Raises TransitionRefused (nothing written) if the move is not allowed from the current
    state, or if someone else changed the state a moment ago. Does not commit. Returns the audit
    entry (flush to get its id: it names the event, e.g. in notification keys).
    """
    from app import audit

    machine, model = machine_for(obj), type(obj)
    to = machine.enum(to)
    frm = machine.enum(getattr(obj, machine.column))
    if not machine.allowed(frm, to):
        raise TransitionRefused(refusal(machine, frm, to))
    column = getattr(model, machine.column)
    # Conditional on the state we read: of two racing changes from the same state, one wins.
    result = db.session.execute(
        db.update(model)
        .where(model.id == obj.id, column == frm)
        .values({machine.column: to, **(values or {})})
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount != 1:
        db.session.rollback()
        current = db.session.get(model, obj.id)
        now = getattr(current, machine.column) if current is not None else frm
        raise TransitionRefused(
            f"This {machine.noun} changed a moment ago (it is now {LABELS.get(now, now).lower()}); "
            "reload the page to see it."
        )
    return audit.record(actor, action or f"{model.__tablename__.removesuffix('s')}.{to}", obj,
                        old=str(frm), new=str(to), **details)
