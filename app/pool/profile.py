"""Everything staff need on one volunteer: skills, availability, history across campaigns, current
commitments and pending invitations, ratings received, lead status; and inviting them to a project."""
from sqlalchemy.orm import joinedload, selectinload

from app.errors.domain import DomainError
from app.extensions import db
from app.leads.applications import lead_status
from app.leads.track_record import record_for, ratings_by_volunteer
from app.models import (
    Campaign,
    Invitation,
    LeadTrainer,
    Project,
    Rating,
    TeamMembership,
    VolunteerProfile,
    VolunteerSkill,
)
from app.lifecycle import INVITABLE_PROJECT, InvitationStatus, MembershipStatus
from app.opportunities.services import invite_volunteers
from app.teams.commitments import OPEN_PROJECT_STATUSES, committed_hours


def profile_or_none(volunteer_id):
    return db.session.get(
        VolunteerProfile, volunteer_id,
        options=[joinedload(VolunteerProfile.user),
                 selectinload(VolunteerProfile.skills).joinedload(VolunteerSkill.skill),
                 selectinload(VolunteerProfile.causes)],
    )


def staff_view(profile):
    """The data of the staff profile page."""
    memberships = list(db.session.scalars(
        db.select(TeamMembership).where(TeamMembership.volunteer_id == profile.id)
        .options(joinedload(TeamMembership.project).joinedload(Project.campaign))
        .order_by(TeamMembership.joined_at.desc())
    ))
    current = [m for m in memberships if m.status == MembershipStatus.ACTIVE and m.project.status in OPEN_PROJECT_STATUSES]
    history = [m for m in memberships if m not in current]
    pending = list(db.session.scalars(
        db.select(Invitation).where(Invitation.volunteer_id == profile.id, Invitation.status == InvitationStatus.PENDING)
        .options(joinedload(Invitation.project).joinedload(Project.campaign))
        .order_by(Invitation.created_at.desc())
    ))
    ratings = db.session.execute(
        db.select(Rating, Project.title, Campaign.name)
        .join(Project, Project.id == Rating.project_id)
        .join(Campaign, Campaign.id == Project.campaign_id)
        .join(TeamMembership, TeamMembership.project_id == Project.id)
        .where(TeamMembership.volunteer_id == profile.id, TeamMembership.status == MembershipStatus.COMPLETED,
               Rating.kind == "campaign")
        .order_by(Rating.created_at.desc())
    ).all()
    committed = committed_hours(profile.id)
    invited_projects = {i.project_id for i in pending} | {m.project_id for m in memberships}
    recruiting = [p for p in db.session.scalars(
        db.select(Project).where(Project.status.in_(INVITABLE_PROJECT), Project.seats_filled < Project.team_max)
        .options(joinedload(Project.campaign)).order_by(Project.start_date, Project.id)
    ) if p.id not in invited_projects]
    return {
        "profile": profile,
        "record": record_for(profile, ratings_by_volunteer([profile.id]).get(profile.id)),
        "current": current, "history": history, "pending": pending, "ratings": ratings,
        "committed": committed, "free": profile.hours_per_week - committed,
        "recruiting": recruiting,
        "is_trainer": db.session.scalar(
            db.select(LeadTrainer.id).where(LeadTrainer.user_id == profile.user_id)) is not None,
        **lead_status(profile),
    }


def invite_to_project(staff, profile, project_id):
    """Invite one volunteer from the directory, through the same service (and rules) as a match run."""
    project = db.session.get(Project, project_id) if project_id else None
    if project is None or project.status not in INVITABLE_PROJECT or project.seats_filled >= project.team_max:
        raise DomainError("Choose a project that is recruiting.", field="project_id")
    free = profile.hours_per_week - committed_hours(profile.id)
    if free < project.hours_per_week:
        # The hard filter a match run applies: nobody is offered more hours than they have free.
        raise DomainError(
            f"{profile.user.name} has {free:g} h/week free; {project.title} needs {project.hours_per_week}.",
            field="project_id",
        )
    invited, skipped = invite_volunteers(staff, project, [profile.id])
    if not invited:
        raise DomainError(f"Not invited: {skipped.get(profile.id, 'refused')}.", field="project_id")
    return invited[0]


def active_lead_of(project_id):
    """The volunteer id of a project's lead, or None."""
    return db.session.scalar(
        db.select(TeamMembership.volunteer_id)
        .where(TeamMembership.project_id == project_id, TeamMembership.is_lead.is_(True))
    )
