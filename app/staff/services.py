"""Staff overview and user administration."""
from sqlalchemy import func

from app import audit
from app.errors.domain import DomainError
from app.extensions import db
from app.models import Campaign, HelpRequest, Project, User, VolunteerProfile
from app.models.users import ROLES
from app.lifecycle import RequestStatus
from app.page_cache import cached


def overview():
    """Counts for the staff dashboard: the pipeline from request to completed project.

    The same for every staffer and harmless a minute stale: kept up to 60 s per worker
    (app/page_cache.py). Callers must not change what it returns."""
    return cached("staff_overview", _overview)


def _overview():
    by_status = dict(db.session.execute(db.select(Project.status, func.count()).group_by(Project.status)).all())
    new_requests = db.session.scalar(
        db.select(func.count()).select_from(HelpRequest).where(HelpRequest.status.in_((RequestStatus.NEW, RequestStatus.IN_CONVERSATION)))
    )
    pipeline = (
        [("Open requests", new_requests)]
        + [(label, by_status.get(status, 0)) for status, label in (
            ("draft", "Scoping"),
            ("awaiting_approval", "Awaiting approval"),
            ("approved", "Ready to match"),
            ("recruiting", "Recruiting"),
            ("active", "Active"),
            ("completed", "Completed"),
        )]
    )
    from app.leads.overview import lead_supply
    from app.teams import charts, health

    return {
        "leads": lead_supply(),
        "pipeline": pipeline,
        "pipeline_chart": charts.pipeline(pipeline),
        "health": health.needing_attention(),
        "campaigns": db.session.scalar(db.select(func.count()).select_from(Campaign)),
        "volunteers": db.session.scalar(db.select(func.count()).select_from(VolunteerProfile)),
        "lead_trained": db.session.scalar(
            db.select(func.count()).select_from(VolunteerProfile).where(VolunteerProfile.lead_trained.is_(True))
        ),
    }


def list_users(query="", role="", page=1, per_page=50):
    stmt = db.select(User).order_by(User.id)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(db.or_(func.lower(User.email).like(like), func.lower(User.name).like(like)))
    if role:
        stmt = stmt.where(User.role == role)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def change_role(admin, user_id, role):
    """Give a user another role. Admins cannot demote themselves (someone must stay admin)."""
    if role not in ROLES:
        raise DomainError("Unknown role.", field="role")
    user = db.session.get(User, user_id)
    if user is None:
        raise DomainError("No such user.")
    if user.id == admin.id and role != "admin":
        raise DomainError("You cannot remove your own admin role; ask another admin.")
    old = user.role
    user.role = role
    user.rotate_session_token()  # a role change takes effect at the next login
    audit.record(admin, "user.role_changed", user, old=old, new=role)
    db.session.commit()
    return user
