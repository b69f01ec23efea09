"""Who may see and do what. Every route goes through one of these.

Refusals are raised as our own `Forbidden` (403) and `NotFound` (404) from app/errors/domain.py,
not Flask's abort: services call these too, and app/errors/handlers.py turns them into the
same error pages. 404 where a 403 would tell an outsider that the id exists.

Sections: roles (decorators), campaigns, lead training, partners, project teams (the workspace).
"""
import functools
from functools import wraps

from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager

from app import reads
from app.errors.domain import Forbidden, NotFound
from app.extensions import db
from app.lifecycle import MembershipStatus, ProjectStatus
from app.models import Campaign, CampaignMember, Project, TeamMembership, VolunteerProfile


def roles_required(*roles):
    """Allow only logged-in users whose role is one of `roles` (admins pass wherever staff do)."""
    allowed = set(roles)
    if "staff" in allowed:
        allowed.add("admin")

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required("staff")
admin_required = roles_required("admin")
volunteer_required = roles_required("volunteer")
campaign_member_required = roles_required("campaign")


def is_campaign_member(user, campaign_id):
    """True if `user` belongs to the campaign's staff."""
    if not user.is_authenticated:
        return False
    return (
        db.session.query(CampaignMember.id)
        .filter_by(campaign_id=campaign_id, user_id=user.id)
        .first()
        is not None
    )


def campaign_or_404(campaign_id, user):
    """The campaign if `user` may see it; 404 otherwise so ids reveal nothing."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is not None and (user.is_staff or is_campaign_member(user, campaign_id)):
        return campaign
    raise NotFound()


def member_campaign_ids(user_id):
    """A SELECT of the ids of the campaigns a campaign member may see: those whose team they are on
    (staff see every campaign). `user_id` is a value or a bind parameter."""
    return db.select(CampaignMember.campaign_id).where(CampaignMember.user_id == user_id)


# ---------------------------------------------------------------- lead training (app/leads)


def is_lead_trainer(user):
    """True if `user` is an appointed lead trainer (a volunteer who runs training sessions)."""
    from app.models import LeadTrainer

    if not user.is_authenticated:
        return False
    return db.session.scalar(db.select(LeadTrainer.id).where(LeadTrainer.user_id == user.id)) is not None


def may_run_training_session(user, session):
    """Staff run every session; a trainer runs (marks attendance for) only the sessions they train."""
    if not user.is_authenticated:
        return False
    return user.is_staff or (session.trainer_id == user.id and is_lead_trainer(user))


def may_change_training_session(user, session):
    """Cancel or move a session: staff only, like scheduling and inviting. A trainer who cannot make it
    tells staff, who may find another trainer rather than call it off (the invitees' place in the
    queue is staff's call)."""
    return bool(user.is_authenticated and user.is_staff)


def staff_or_trainer_required(view):
    """Staff, or an appointed lead trainer (who has no staff rights otherwise)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_staff or is_lead_trainer(current_user)):
            raise Forbidden()
        return view(*args, **kwargs)

    return wrapped


def campaign_role(user, campaign_id):
    """'owner', 'member' or None: `user`'s place on the campaign's own team."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        db.select(CampaignMember.role).where(CampaignMember.campaign_id == campaign_id, CampaignMember.user_id == user.id)
    )


def is_campaign_owner(user, campaign_id):
    """Whether `user` owns the campaign: only owners decide which partner portfolios it is in."""
    return campaign_role(user, campaign_id) == "owner"


def campaign_owner_or_403(campaign_id, user):
    """The campaign if `user` owns it; 404 when they cannot see it at all, 403 when they see it but do not own it."""
    campaign = campaign_or_404(campaign_id, user)
    if not is_campaign_owner(user, campaign_id):
        raise Forbidden()
    return campaign


def partner_or_404(partner_id, user):
    """The partner organisation if `user` is one of its members or staff; 404 otherwise."""
    from app.models import Partner, PartnerMember

    if not user.is_authenticated:
        raise NotFound()
    # One round trip: the partner and, beside it, the user's membership (if any).
    row = db.session.execute(
        db.select(Partner, PartnerMember.id).outerjoin(PartnerMember, db.and_(
            PartnerMember.partner_id == Partner.id, PartnerMember.user_id == user.id))
        .where(Partner.id == partner_id)).first()
    if row is not None and (user.is_staff or row[1] is not None):
        return row[0]
    raise NotFound()


# ---------------------------------------------------------------- project teams (app/teams)

# A cancelled project keeps its workspace, read-only: what the team logged stays theirs to see.
WORKSPACE_STATUSES = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)
# A member who dropped out keeps their history but no longer sees the team's page.
VISIBLE_MEMBERSHIPS = (MembershipStatus.ACTIVE, MembershipStatus.COMPLETED, MembershipStatus.ENDED)


def membership_of(user, project_id):
    """The user's membership of the project (any status), or None."""
    if not user.is_authenticated or user.role != "volunteer":
        return None
    return db.session.scalar(
        db.select(TeamMembership)
        .join(VolunteerProfile, VolunteerProfile.id == TeamMembership.volunteer_id)
        .where(TeamMembership.project_id == project_id, VolunteerProfile.user_id == user.id)
    )


def workspace_role(user, project):
    """How `user` relates to the project's workspace: 'staff', 'lead', 'member', 'campaign' or None."""
    if not user.is_authenticated or user.is_staff:
        return _workspace_role(user, False, None, False)
    if user.role == "campaign":
        return _workspace_role(user, is_campaign_member(user, project.campaign_id), None, False)
    m = membership_of(user, project.id)
    return _workspace_role(user, False, m.status if m else None, m is not None and m.is_lead)


def _workspace_role(user, on_campaign_team, membership_status, is_lead):
    """The rule of workspace_role, from what was read: the user's seat on the campaign's team, and
    their membership's status and lead flag (None: no membership)."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return "staff"
    if user.role == "campaign":
        return "campaign" if on_campaign_team else None
    if user.role != "volunteer" or membership_status not in VISIBLE_MEMBERSHIPS:
        return None
    return "lead" if is_lead else "member"


def _viewer_columns(uid):
    """The viewer's membership (status, lead) and whether they are on the campaign's team, as columns
    of the project's row: the access check rides on the page's first round trip."""
    mine = db.select(VolunteerProfile.id).where(VolunteerProfile.user_id == uid)
    on_team = db.exists().where(CampaignMember.campaign_id == Project.campaign_id, CampaignMember.user_id == uid)
    return ((TeamMembership.status.label("membership_status"), TeamMembership.is_lead.label("viewer_is_lead"),
             on_team.correlate(Project).label("on_campaign_team")),
            (TeamMembership.project_id == Project.id) & TeamMembership.volunteer_id.in_(mine.scalar_subquery()))


@functools.cache
def _project_with_viewer():
    """The Project entity (campaign loaded) and the viewer's columns."""
    viewer, on = _viewer_columns(db.bindparam("user_id"))
    return (
        db.select(Project, *viewer).join(Project.campaign).outerjoin(TeamMembership, on)
        .where(Project.id == db.bindparam("project_id")).options(contains_eager(Project.campaign))
    )


@functools.cache
def _project_row_with_viewer():
    """The project's columns and its campaign's (campaign_name, candidate_name, office, election_date) as
    one row, and the viewer's columns: for a page that only reads the project (app/reads.py)."""
    viewer, on = _viewer_columns(db.bindparam("user_id"))
    return (
        db.select(*Project.__table__.c, Campaign.name.label("campaign_name"), Campaign.candidate_name,
                  Campaign.office, Campaign.election_date, *viewer)
        .join(Campaign, Campaign.id == Project.campaign_id).outerjoin(TeamMembership, on)
        .where(Project.id == db.bindparam("project_id"))
    )


def workspace_or_404(project_id, user, roles=None, read_only=False):
    """(project, role) when `user` may see the project's workspace.

    NotFound when the workspace is not open or the user has no place on it (ids reveal nothing);
    Forbidden when `roles` is given and the user's role is not one of them (they see the page,
    but may not do this there). `read_only`: the project as a row (see _project_row_with_viewer),
    not the entity.
    """
    if not user.is_authenticated:
        raise NotFound()
    params = {"project_id": project_id, "user_id": user.id}
    if read_only:
        row = project = reads.first(_project_row_with_viewer(), **params)
    else:
        row = db.session.execute(_project_with_viewer(), params).first()
        project = row[0] if row is not None else None
    if row is None or project.status not in WORKSPACE_STATUSES:
        raise NotFound()
    role = _workspace_role(user, row.on_campaign_team, row.membership_status, row.viewer_is_lead)
    if role is None:
        raise NotFound()
    if roles is not None and role not in roles:
        raise Forbidden()
    return project, role


def may_write_team_record(user, project):
    """Staff, or the project's active lead: check-ins, the team's links, the final report."""
    if user.is_staff:
        return True
    m = membership_of(user, project.id)
    return m is not None and m.is_lead and m.status == MembershipStatus.ACTIVE


def may_add_checkin_note(user, project):
    """Members of the team (working, or finished with it) add notes under its check-ins."""
    m = membership_of(user, project.id)
    return m is not None and m.status in (MembershipStatus.ACTIVE, MembershipStatus.COMPLETED)


def may_record_departure(actor, membership):
    """The member themselves, the team's active lead, or staff."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_staff:
        return True
    if actor.role != "volunteer":
        return False
    mine = membership_of(actor, membership.project_id)
    if mine is None:
        return False
    if mine.id == membership.id:
        return True  # their own (leave_team then says if they already left)
    return mine.status == MembershipStatus.ACTIVE and mine.is_lead


def may_cancel_project(user, project):
    """Staff, or the project's own campaign's people, may cancel it."""
    return user.is_staff or (user.role == "campaign" and is_campaign_member(user, project.campaign_id))


# ---------------------------------------------------------------- partner organisations (app/partners)


def partner_role(user, partner_id):
    """'owner', 'member' or None: `user`'s place among the partner organisation's own members."""
    from app.models import PartnerMember

    if not user.is_authenticated:
        return None
    return db.session.scalar(db.select(PartnerMember.role).where(
        PartnerMember.partner_id == partner_id, PartnerMember.user_id == user.id))


def partner_owner_or_403(partner_id, user):
    """The partner if `user` owns it; 404 when they cannot see it at all, 403 when they see it but do not own it."""
    partner = partner_or_404(partner_id, user)
    if partner_role(user, partner_id) != "owner":
        raise Forbidden()
    return partner
