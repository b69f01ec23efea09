"""The team workspace: everything the team page shows. Who may see it: app/permissions.py (project teams)."""

from sqlalchemy.orm import contains_eager, joinedload

from app import clock, reads
from app.extensions import db
from app.models import CampaignMember, CheckIn, FinalReport, Project, Sprint, TeamMembership, User, VolunteerProfile
from app.permissions import VISIBLE_MEMBERSHIPS, WORKSPACE_STATUSES, may_write_team_record
from app.lifecycle import MembershipStatus, ProjectStatus

def lead_of(project):
    return db.session.scalar(
        db.select(TeamMembership).where(
            TeamMembership.project_id == project.id,
            TeamMembership.is_lead.is_(True),
            TeamMembership.status.in_(VISIBLE_MEMBERSHIPS),
        )
    )


def team_memberships(project, include_dropped=False):
    """The team, lead first, then by joining date, with volunteers and users loaded."""
    statuses = (*VISIBLE_MEMBERSHIPS, MembershipStatus.DROPPED) if include_dropped else VISIBLE_MEMBERSHIPS
    rows = db.session.execute(
        db.select(TeamMembership, VolunteerProfile, User)
        .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(TeamMembership.project_id == project.id, TeamMembership.status.in_(statuses))
        .order_by(TeamMembership.is_lead.desc(), TeamMembership.joined_at, TeamMembership.id)
        .options(contains_eager(TeamMembership.volunteer).contains_eager(VolunteerProfile.user))
    ).all()
    return [m for m, _v, _u in rows]


def campaign_contacts(project):
    """The campaign's people (users), the team's contact on the campaign side."""
    return list(
        db.session.scalars(
            db.select(User)
            .join(CampaignMember, CampaignMember.user_id == User.id)
            .where(CampaignMember.campaign_id == project.campaign_id, User.closed_at.is_(None))
            .order_by(CampaignMember.created_at, User.id)
        )
    )


# The workspace's rows below the project, in one UNION ALL (app/reads.py): its sprints, each with its
# check-in's fields (a sprint has at most one check-in, so the outer join never repeats a sprint) and
# the final report's (a project has at most one; only a project with sprints can have one, see
# app/teams/completion.py); the team (visible memberships, lead first, then by joining) and the
# campaign's contacts (open accounts, in the order they joined).
_COLUMNS = {
    "number": db.Integer, "starts_on": db.Date, "ends_on": db.Date, "due_on": db.Date, "checkin_id": db.Integer,
    "status": db.String, "on_time": db.Boolean, "acknowledged_at": db.DateTime, "report_id": db.Integer,
    "submitted_at": db.DateTime, "deliverables_done": db.Text, "metrics_reached": db.Text,
    "handover_notes": db.Text, "is_lead": db.Boolean, "since": db.DateTime, "id": db.Integer,
    "volunteer_id": db.Integer, "hours_per_week": db.Integer, "user_id": db.Integer, "name": db.String,
    "email": db.String, "closed_at": db.DateTime,
}


@reads.statement
def _workspace_rows():
    pid = db.bindparam("project_id")
    user = {"user_id": User.id, "name": User.name, "email": User.email, "closed_at": User.closed_at}
    return reads.union(_COLUMNS, {
        "sprint": ({
            "number": Sprint.number, "starts_on": Sprint.starts_on, "ends_on": Sprint.ends_on, "due_on": Sprint.due_on,
            "checkin_id": CheckIn.id, "status": CheckIn.status, "on_time": CheckIn.on_time,
            "acknowledged_at": CheckIn.acknowledged_at, "report_id": FinalReport.id,
            "submitted_at": FinalReport.submitted_at, "deliverables_done": FinalReport.deliverables_done,
            "metrics_reached": FinalReport.metrics_reached, "handover_notes": FinalReport.handover_notes,
        }, lambda q: q.select_from(Sprint).outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
            .outerjoin(FinalReport, FinalReport.project_id == Sprint.project_id).where(Sprint.project_id == pid)),
        "member": ({
            "id": TeamMembership.id, "volunteer_id": TeamMembership.volunteer_id, "is_lead": TeamMembership.is_lead,
            "status": TeamMembership.status, "hours_per_week": TeamMembership.hours_per_week,
            "since": TeamMembership.joined_at, **user,
        }, lambda q: q.select_from(TeamMembership)
            .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
            .join(User, User.id == VolunteerProfile.user_id)
            .where(TeamMembership.project_id == pid, TeamMembership.status.in_(VISIBLE_MEMBERSHIPS))),
        "contact": ({"since": CampaignMember.created_at, **user},
                    lambda q: q.select_from(User).join(CampaignMember, CampaignMember.user_id == User.id)
                    .join(Project, Project.campaign_id == CampaignMember.campaign_id)
                    .where(Project.id == pid, User.closed_at.is_(None))),
    }, order_by=("kind", "number", "-is_lead", "since", "id", "user_id"))


def _sprint_states(project, sprints, today):
    """[{sprint, checkin, state, deadline, open}] for each sprint row, in order; `sprint` and `checkin`
    (None before it is logged) are the same row."""
    from app.teams.checkins import edit_deadline

    rows = []
    for s in sprints:
        deadline = edit_deadline(s, project, sprints)
        if s.checkin_id is not None:
            state = "done"
        elif today > deadline:
            state = "missed"
        elif today > s.due_on:
            state = "late"
        elif today >= s.starts_on:
            state = "current"
        else:
            state = "upcoming"
        rows.append({"sprint": s, "checkin": s if s.checkin_id is not None else None, "state": state,
                     "deadline": deadline,
                     "open": project.status == ProjectStatus.ACTIVE and s.starts_on <= today <= deadline})
    return rows


def workspace(project, user, role, today=None):
    """Everything the workspace page shows (emails of teammates and campaign contacts included), read
    as rows (app/reads.py). The two charts are not here: they come with `charts()`, on demand (see
    teams.workspace_progress)."""
    from app.teams import completion, seats
    from app.teams.completion import final_report_of

    today = today or clock.today()
    found = {"sprint": [], "member": [], "contact": []}
    for row in reads.rows(_workspace_rows(), project_id=project.id):
        found[row.kind].append(row)
    members, sprint_list = found["member"], found["sprint"]
    sprints = _sprint_states(project, sprint_list, today)
    if sprint_list:
        final_report = sprint_list[0] if sprint_list[0].report_id is not None else None
    else:
        final_report = final_report_of(project)
    current = next((r for r in sprints if r["state"] in ("current", "late")), None)
    active = [m for m in members if m.status == MembershipStatus.ACTIVE]
    return {
        # From the members already loaded: no extra query (see app/teams/seats.py for the rule).
        "needs_replacement": seats.needs_replacement(project, len(active), any(m.is_lead for m in active)),
        "active_members": len(active),
        "project": project,
        "role": role,
        "members": members,
        "lead": next((m for m in members if m.is_lead), None),
        "contacts": found["contact"],
        "sprints": sprints,
        "current": current,
        "can_write": role in ("lead", "staff") and project.status == ProjectStatus.ACTIVE,
        "final_report": final_report,
        "can_report": role in ("lead", "staff") and completion.final_report_open(
            project, today, last_in=bool(sprints) and sprints[-1]["checkin"] is not None),
        "can_rate": project.status == ProjectStatus.COMPLETED and completion.rating_kind(user, project) is not None,
        "today": today,
    }


def charts(project):
    """The workspace's burn-up and hours-per-week charts."""
    from app.teams import charts as chart_configs

    numbers = [n for (n,) in db.session.execute(
        db.select(Sprint.number).where(Sprint.project_id == project.id).order_by(Sprint.number))]
    return {"burnup_chart": chart_configs.burnup(project, numbers),
            "hours_chart": chart_configs.hours_per_week(project, numbers)}


def my_projects(user):
    """Projects whose workspace `user` may open, newest first."""
    stmt = db.select(Project).where(Project.status.in_(WORKSPACE_STATUSES))
    if user.is_staff:
        stmt = stmt.where(Project.status == ProjectStatus.ACTIVE)
    elif user.role == "campaign":
        stmt = stmt.join(CampaignMember, CampaignMember.campaign_id == Project.campaign_id).where(
            CampaignMember.user_id == user.id
        )
    else:
        stmt = (
            stmt.join(TeamMembership, TeamMembership.project_id == Project.id)
            .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
            .where(VolunteerProfile.user_id == user.id, TeamMembership.status.in_(VISIBLE_MEMBERSHIPS))
        )
    stmt = stmt.options(joinedload(Project.campaign))
    return list(db.session.scalars(stmt.order_by(Project.start_date.desc(), Project.id.desc())))


def update_links(user, project, data):
    """The lead or staff set the links the team uses (chat, board, repository)."""
    from app import audit
    from app.errors.domain import DomainError

    if not may_write_team_record(user, project):
        raise DomainError("Only the team lead or staff can change the team's links.")
    for key in ("chat_url", "board_url", "repo_url"):
        value = (data.get(key) or "").strip()
        if value and not value.startswith(("https://", "http://")):
            raise DomainError("A full link, starting with https://", field=key)
        setattr(project, key, value)
    audit.record(user, "project.links_updated", project)
    db.session.commit()
    return project
