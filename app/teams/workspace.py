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


@reads.statement
def _sprints():
    """A project's sprints with their check-in's fields (a sprint has at most one check-in, so the
    outer join never repeats a sprint) and the final report's (a project has at most one; only a
    project with sprints can have one, see app/teams/completion.py), as rows: the page only reads."""
    return (
        db.select(Sprint.number, Sprint.starts_on, Sprint.ends_on, Sprint.due_on, CheckIn.id.label("checkin_id"),
                  CheckIn.status, CheckIn.on_time, CheckIn.acknowledged_at, FinalReport.id.label("report_id"),
                  FinalReport.submitted_at, FinalReport.deliverables_done, FinalReport.metrics_reached,
                  FinalReport.handover_notes)
        .outerjoin(CheckIn, CheckIn.sprint_id == Sprint.id)
        .outerjoin(FinalReport, FinalReport.project_id == Sprint.project_id)
        .where(Sprint.project_id == db.bindparam("project_id"))
        .order_by(Sprint.number)
    )


def sprint_rows(project, today=None):
    """([{sprint, checkin, state, deadline, open}] for each sprint in order, the final report or None).
    `sprint`, `checkin` (None before it is logged) and the report are the same row of `_sprints`."""
    from app.teams.checkins import edit_deadline

    today = today or clock.today()
    sprints = reads.rows(_sprints(), project_id=project.id)
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
    if sprints:
        return rows, sprints[0] if sprints[0].report_id is not None else None
    from app.teams.completion import final_report_of

    return rows, final_report_of(project)


@reads.statement
def _people():
    """The team (visible memberships: lead first, then by joining) and the campaign's contacts (open
    accounts, in the order they joined), in one UNION ALL of rows; typed NULLs where a contact has no
    membership, so both databases agree on the types."""
    pid = db.bindparam("project_id")
    members = (
        # Every column labelled: SQLite matches a UNION's ORDER BY to the labels.
        db.select(db.literal_column("'member'").label("kind"), TeamMembership.id.label("id"),
                  TeamMembership.volunteer_id.label("volunteer_id"), TeamMembership.is_lead.label("is_lead"),
                  TeamMembership.status.label("status"), TeamMembership.hours_per_week.label("hours_per_week"),
                  User.id.label("user_id"), User.name.label("name"), User.email.label("email"),
                  User.closed_at.label("closed_at"), TeamMembership.joined_at.label("since"))
        .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(TeamMembership.project_id == pid, TeamMembership.status.in_(VISIBLE_MEMBERSHIPS))
    )
    nulls = [db.cast(db.null(), t) for t in (db.Integer, db.Integer, db.Boolean, db.String, db.Integer)]
    contacts = (
        db.select(db.literal_column("'contact'"), *nulls, User.id, User.name, User.email, User.closed_at,
                  CampaignMember.created_at)
        .join(CampaignMember, CampaignMember.user_id == User.id)
        .join(Project, Project.campaign_id == CampaignMember.campaign_id)
        .where(Project.id == pid, User.closed_at.is_(None))
    )
    union = db.union_all(members, contacts)
    c = union.selected_columns
    return union.order_by(c.kind.desc(), c.is_lead.desc(), c.since, c.id, c.user_id)


def workspace(project, user, role, today=None):
    """Everything the workspace page shows (emails of teammates and campaign contacts included), read
    as rows (app/reads.py). The two charts are not here: they come with `charts()`, on demand (see
    teams.workspace_progress)."""
    from app.teams import completion, seats

    today = today or clock.today()
    sprints, final_report = sprint_rows(project, today)
    people = reads.rows(_people(), project_id=project.id)
    members = [p for p in people if p.kind == "member"]
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
        "contacts": [p for p in people if p.kind == "contact"],
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
