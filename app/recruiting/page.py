"""What the staff match page reads: the project with its latest runs, the ranking's rows, and the
team, invitations and raised hands in one UNION ALL of rows (app/reads.py).

The ranking of a finished run is kept per worker (app/recruiting/ranking.py); everything that
changes while staff work (who was invited, who joined, who raised a hand) is read fresh on every
request, and decides each ranking row's first cell.
"""
from sqlalchemy.orm import Bundle, aliased

from app import reads
from app.errors.domain import NotFound
from app.extensions import db
from app.lifecycle import InvitationStatus
from app.models import HandRaise, Invitation, MatchCandidate, MatchRun, Project, TeamMembership, User, VolunteerProfile
from app.recruiting.runs import CANDIDATE_COLUMNS, PROFILE_COLUMNS, PROJECT_PAGE_LOAD, latest_batch_id
from app.teams import seats

# Module-level: aliases made per call miss SQLAlchemy's compiled-statement cache (about 1 ms a query).
_OWN_RUN, _BATCH_RUN = aliased(MatchRun, name="own_run"), aliased(MatchRun, name="batch_run")


def match_page_rows(project_id):
    """(project with its campaign and skills, its latest run, the latest batch run) in one query; the
    runs may be None. Raises NotFound for an unknown project."""
    own, batch = _OWN_RUN, _BATCH_RUN
    own_id = db.select(MatchRun.id).where(MatchRun.project_id == project_id) \
        .order_by(MatchRun.id.desc()).limit(1).scalar_subquery()
    found = db.session.execute(
        db.select(Project, own, batch).select_from(Project)
        .outerjoin(own, own.id == own_id)
        .outerjoin(batch, batch.id == latest_batch_id().scalar_subquery())
        .where(Project.id == project_id).options(*PROJECT_PAGE_LOAD)
    ).unique().first()
    if found is None:
        raise NotFound()
    return tuple(found)


def ranking_rows(run_id, project_id):
    """Every candidate of a finished run, best first: [(candidate, name, email, profile)], as in
    runs.candidate_rows but without invitation status, so the result depends on the run alone."""
    stmt = (
        db.select(Bundle("candidate", *CANDIDATE_COLUMNS), User.name, User.email, Bundle("profile", *PROFILE_COLUMNS))
        .join(VolunteerProfile, VolunteerProfile.id == MatchCandidate.volunteer_id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(MatchCandidate.run_id == run_id, MatchCandidate.project_id == project_id)
        .order_by(MatchCandidate.rank)
    )
    return [tuple(row) for row in db.session.execute(stmt)]


def page_rows(ranking, invitations, member_ids, min_score=0.0, lead_only=False, state="", hide_invited=False):
    """The page's ranking rows from `ranking` (ranking.ranking: candidate, name, email, profile,
    pre-rendered cells), filtered as runs.candidate_rows filters them, each with the volunteer's
    invitation status from `invitations` ({volunteer id: status}, read fresh for this request)."""
    rows = []
    for c, name, email, p, cells in ranking:
        invitation = invitations.get(c.volunteer_id)
        if c.score < min_score or (lead_only and not p.lead_trained) \
                or (state and state not in (p.home_state, p.current_state)) \
                or (hide_invited and (invitation is not None or c.volunteer_id in member_ids)):
            continue
        rows.append({"candidate": c, "name": name, "email": email, "profile": p, "invitation": invitation,
                     "cells": cells})
    return rows


# The project's people, one UNION ALL: invitations (oldest first), memberships (by joining) and
# raised hands (oldest first), each with the volunteer's name.
_COLUMNS = {
    "id": db.Integer, "volunteer_id": db.Integer, "name": db.String, "status": db.String,
    "created_at": db.DateTime, "expires_at": db.DateTime, "decline_reason": db.Text, "is_lead": db.Boolean,
    "joined_at": db.DateTime, "end_reason": db.Text, "lead_trained": db.Boolean, "hours_per_week": db.Integer,
}


@reads.statement
def _people():
    pid = db.bindparam("project_id")

    def of_volunteer(model):
        return lambda q: q.select_from(model).join(VolunteerProfile, VolunteerProfile.id == model.volunteer_id) \
            .join(User, User.id == VolunteerProfile.user_id).where(model.project_id == pid)

    volunteer = {"name": User.name, "lead_trained": VolunteerProfile.lead_trained}
    return reads.union(_COLUMNS, {
        "invitation": ({"id": Invitation.id, "volunteer_id": Invitation.volunteer_id, "status": Invitation.status,
                        "created_at": Invitation.created_at, "expires_at": Invitation.expires_at,
                        "decline_reason": Invitation.decline_reason, **volunteer}, of_volunteer(Invitation)),
        "member": ({"id": TeamMembership.id, "volunteer_id": TeamMembership.volunteer_id,
                    "status": TeamMembership.status, "is_lead": TeamMembership.is_lead,
                    "joined_at": TeamMembership.joined_at, "end_reason": TeamMembership.end_reason, **volunteer},
                   of_volunteer(TeamMembership)),
        "hand": ({"id": HandRaise.id, "volunteer_id": HandRaise.volunteer_id, "created_at": HandRaise.created_at,
                  "hours_per_week": VolunteerProfile.hours_per_week, **volunteer}, of_volunteer(HandRaise)),
    }, order_by=("kind", "created_at", "joined_at", "id"))


def recruiting_state(project):
    """Invitations, members and raised hands of a project (rows: the page only reads), with the team's
    seats and whether to offer the next candidates."""
    found = reads.by_kind(reads.rows(_people(), project_id=project.id), ("invitation", "member", "hand"))
    invitations, members = found["invitation"], found["member"]
    replacement = seats.replacement_state(project, members)
    open_seats = replacement["open_seats"]
    turned_down = any(inv.status in (InvitationStatus.DECLINED, InvitationStatus.EXPIRED) for inv in invitations)
    pending = sum(1 for inv in invitations if inv.status == InvitationStatus.PENDING)
    needs_more = open_seats > 0 and (replacement["needs_replacement"] or (turned_down and pending < open_seats))
    return {"invitations": invitations, "members": members, "hands": found["hand"], "open_seats": open_seats,
            "offer_next": needs_more, "replacement": replacement, "full": seats.is_full(project)}
