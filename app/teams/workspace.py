"""The team workspace: everything the team page shows. Who may see it: app/permissions.py (project teams)."""

from sqlalchemy.orm import contains_eager, joinedload

from app import clock
from app.extensions import db
from app.models import CampaignMember, CheckIn, Project, Sprint, TeamMembership, User, VolunteerProfile
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


def sprint_rows(project, today=None):
    """[{sprint, checkin, state, deadline}] for each sprint, in order (two queries at most)."""
    from app.teams.checkins import edit_deadline

    today = today or clock.today()
    sprints = list(
        db.session.scalars(db.select(Sprint).where(Sprint.project_id == project.id).order_by(Sprint.number))
    )
    checkins = {
        c.sprint_id: c
        for c in db.session.scalars(db.select(CheckIn).where(CheckIn.project_id == project.id))
    }
    rows = []
    for s in sprints:
        c = checkins.get(s.id)
        deadline = edit_deadline(s, project, sprints)
        if c is not None:
            state = "done"
        elif today > deadline:
            state = "missed"
        elif today > s.due_on:
            state = "late"
        elif today >= s.starts_on:
            state = "current"
        else:
            state = "upcoming"
        rows.append({"sprint": s, "checkin": c, "state": state, "deadline": deadline,
                     "open": project.status == ProjectStatus.ACTIVE and s.starts_on <= today <= deadline})
    return rows


def workspace(project, user, role, today=None):
    """Everything the workspace page shows (emails of teammates and campaign contacts included)."""
    from app.teams import charts, completion, seats

    today = today or clock.today()
    sprints = sprint_rows(project, today)
    numbers = [r["sprint"].number for r in sprints]
    members = team_memberships(project)
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
        "contacts": campaign_contacts(project),
        "sprints": sprints,
        "current": current,
        "can_write": role in ("lead", "staff") and project.status == ProjectStatus.ACTIVE,
        "final_report": completion.final_report_of(project),
        "can_report": role in ("lead", "staff") and completion.final_report_open(
            project, today, last_in=bool(sprints) and sprints[-1]["checkin"] is not None),
        "can_rate": project.status == ProjectStatus.COMPLETED and completion.rating_kind(user, project) is not None,
        "burnup_chart": charts.burnup(project, numbers),
        "hours_chart": charts.hours_per_week(project, numbers),
        "today": today,
    }


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
