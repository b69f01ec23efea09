"""The kinds of notification a person can be sent, and which of them are transactional.

People choose per kind between an email at once and a daily digest; transactional kinds
(invitations, account emails) always go at once because they carry something to act on now.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    label: str
    description: str
    transactional: bool = False


KINDS = {
    "requests": Kind("Help requests", "A help request is received, edited, withdrawn or declined."),
    "scoping": Kind("Project scopes", "A scope is sent for approval, approved, or sent back with changes."),
    "invitations": Kind("Invitations", "An invitation to join a team, and what happens to it.", transactional=True),
    "teams": Kind("Teams", "A team reaches its minimum, is formed, gets a lead, or a member joins or leaves."),
    "checkins": Kind("Check-ins", "A check-in is logged, acknowledged or commented on."),
    "project_changes": Kind("Changes of plan", "A project is rescheduled or cancelled."),
    "training": Kind("Lead training", "Lead training sessions, invitations and results."),
    "portfolio": Kind("Partner portfolios", "A partner invites your campaign into its portfolio; a campaign joins, "
                      "declines or leaves your portfolio."),
    "account": Kind("Your account", "Changes to your account and your role.", transactional=True),
}


def kind_or_error(name):
    """The Kind called `name`; a typo in code fails loudly instead of sending under no kind."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name!r}; add it to app/notifications/kinds.py") from None
