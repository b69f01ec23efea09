"""What the staff match page reads: the project with its latest runs, the ranking's rows, and the
team, invitations and raised hands in one UNION ALL of rows (app/reads.py).

The ranking of a finished run is kept per worker (app/recruiting/ranking.py); everything that
changes while staff work (who was invited, who joined, who raised a hand) is read fresh on every
request, and decides each ranking row's first cell.
"""
from types import SimpleNamespace


from app import reads
from app.errors.domain import NotFound
from app.extensions import db
from app.lifecycle import InvitationStatus
from app.models import (
    Campaign,
    HandRaise,
    Invitation,
    MatchRun,
    Project,
    ProjectSkill,
    Skill,
    TeamMembership,
    User,
    VolunteerProfile,
)
from app.recruiting.runs import candidates_select, latest_batch_id
from app.teams import seats

# The project's row: its own columns and its campaign's that the page shows, and each of the two runs
# (its latest, the latest batch) as columns prefixed own_ / batch_ (None when there is no such run).
_OWN, _BATCH = MatchRun.__table__.alias("own_run"), MatchRun.__table__.alias("batch_run")
_RUN_FIELDS = ("id", "kind", "project_id", "status", "progress", "message", "eligible_count", "filtered",
               "suggested_team", "error", "finished_at")


@reads.statement
def _project_row():
    pid = db.bindparam("project_id")
    own_id = db.select(MatchRun.id).where(MatchRun.project_id == pid).order_by(MatchRun.id.desc()).limit(1)
    return (
        db.select(Project.id, Project.campaign_id, Project.title, Project.status, Project.team_min, Project.team_max,
                  Project.hours_per_week, Project.weeks, Project.start_date, Project.end_date, Project.seats_filled,
                  Campaign.name.label("campaign_name"), Campaign.city.label("campaign_city"),
                  Campaign.state.label("campaign_state"),
                  *(_OWN.c[f].label(f"own_{f}") for f in _RUN_FIELDS),
                  *(_BATCH.c[f].label(f"batch_{f}") for f in _RUN_FIELDS))
        .join(Campaign, Campaign.id == Project.campaign_id)
        .outerjoin(_OWN, _OWN.c.id == own_id.scalar_subquery())
        .outerjoin(_BATCH, _BATCH.c.id == latest_batch_id().scalar_subquery())
        .where(Project.id == pid)
    )


def _run(row, prefix):
    if getattr(row, prefix + "id") is None:
        return None
    return SimpleNamespace(**{f: getattr(row, prefix + f) for f in _RUN_FIELDS})


def match_page_rows(project_id):
    """(the project's row, its latest run, the latest batch run) in one query, as rows: the page only
    reads. The runs may be None. Raises NotFound for an unknown project."""
    row = reads.first(_project_row(), project_id=project_id)
    if row is None:
        raise NotFound()
    return row, _run(row, "own_"), _run(row, "batch_")


def ranking_rows(run_id, project_id):
    """Every candidate of a finished run, best first: [(candidate, name, email, profile)], as in
    runs.candidate_rows but without invitation status, so the result depends on the run alone."""
    return [tuple(row) for row in db.session.execute(candidates_select(run_id, project_id))]


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


# The project's needed skills and its people, one UNION ALL: skills, invitations (oldest first),
# memberships (by joining) and raised hands (oldest first), each with the volunteer's name.
_COLUMNS = {
    "id": db.Integer, "volunteer_id": db.Integer, "name": db.String, "status": db.String,
    "created_at": db.DateTime, "expires_at": db.DateTime, "decline_reason": db.Text, "is_lead": db.Boolean,
    "joined_at": db.DateTime, "end_reason": db.Text, "lead_trained": db.Boolean, "hours_per_week": db.Integer,
    "level": db.SmallInteger,
}


@reads.statement
def _people():
    pid = db.bindparam("project_id")

    def of_volunteer(model):
        return lambda q: q.select_from(model).join(VolunteerProfile, VolunteerProfile.id == model.volunteer_id) \
            .join(User, User.id == VolunteerProfile.user_id).where(model.project_id == pid)

    volunteer = {"name": User.name, "lead_trained": VolunteerProfile.lead_trained}
    return reads.union(_COLUMNS, {
        "skill": ({"id": Skill.id, "name": Skill.name, "level": ProjectSkill.level},
                  lambda q: q.select_from(ProjectSkill).join(Skill, Skill.id == ProjectSkill.skill_id)
                  .where(ProjectSkill.project_id == pid)),
        "invitation": ({"id": Invitation.id, "volunteer_id": Invitation.volunteer_id, "status": Invitation.status,
                        "created_at": Invitation.created_at, "expires_at": Invitation.expires_at,
                        "decline_reason": Invitation.decline_reason, **volunteer}, of_volunteer(Invitation)),
        "member": ({"id": TeamMembership.id, "volunteer_id": TeamMembership.volunteer_id,
                    "status": TeamMembership.status, "is_lead": TeamMembership.is_lead,
                    "joined_at": TeamMembership.joined_at, "end_reason": TeamMembership.end_reason, **volunteer},
                   of_volunteer(TeamMembership)),
        "hand": ({"id": HandRaise.id, "volunteer_id": HandRaise.volunteer_id, "created_at": HandRaise.created_at,
                  "hours_per_week": VolunteerProfile.hours_per_week, **volunteer}, of_volunteer(HandRaise)),
    }, order_by=("kind", "created_at", "joined_at", "name", "id"))


def recruiting_state(project):
    """Needed skills, invitations, members and raised hands of a project (rows: the page only reads),
    with the team's seats and whether to offer the next candidates."""
    found = reads.by_kind(reads.rows(_people(), project_id=project.id), ("skill", "invitation", "member", "hand"))
    invitations, members = found["invitation"], found["member"]
    replacement = seats.replacement_state(project, members)
    open_seats = replacement["open_seats"]
    turned_down = any(inv.status in (InvitationStatus.DECLINED, InvitationStatus.EXPIRED) for inv in invitations)
    pending = sum(1 for inv in invitations if inv.status == InvitationStatus.PENDING)
    needs_more = open_seats > 0 and (replacement["needs_replacement"] or (turned_down and pending < open_seats))
    return {"skills": found["skill"], "invitations": invitations, "members": members, "hands": found["hand"],
            "open_seats": open_seats,
            "offer_next": needs_more, "replacement": replacement, "full": seats.is_full(project)}
