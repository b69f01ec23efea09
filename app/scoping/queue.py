"""The staff request queue: finding requests, moving them along, and their history."""
from sqlalchemy import func
from sqlalchemy.orm import contains_eager

from app.errors.domain import DomainError
from app.extensions import db
from app.lifecycle import RequestStatus, transition
from app.models import AuditEntry, Campaign, HelpRequest, Project
from app.links import external_url
from app.models.campaigns import REQUEST_STATUSES
from app.notifications import campaign_people, notify
from app.scoping.rules import FOLLOW_ON_FROM


def request_queue(status="", query="", page=1, per_page=50):
    stmt = (
        db.select(HelpRequest).join(Campaign).options(contains_eager(HelpRequest.campaign))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
    )
    if status:
        stmt = stmt.where(HelpRequest.status == status)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(
            db.or_(
                func.lower(Campaign.name).like(like),
                func.lower(Campaign.candidate_name).like(like),
                func.lower(HelpRequest.goals).like(like),
                func.lower(Campaign.city).like(like),
            )
        )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def request_counts():
    counts = dict(db.session.execute(db.select(HelpRequest.status, func.count()).group_by(HelpRequest.status)).all())
    return {status: counts.get(status, 0) for status in REQUEST_STATUSES}


def follow_on_candidates(campaign):
    return list(db.session.scalars(
        db.select(Project)
        .where(Project.campaign_id == campaign.id, Project.status.in_(FOLLOW_ON_FROM))
        .order_by(Project.start_date.desc())
    ))


def history(obj):
    """The audit entries of a project or request, oldest first."""
    return list(db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.object_type == type(obj).__name__, AuditEntry.object_id == obj.id)
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ))


STAFF_CHOICES = (RequestStatus.NEW, RequestStatus.IN_CONVERSATION, RequestStatus.DECLINED)


def set_request_status(staff, help_request, status, note=""):
    """Move a request along the queue: new, in conversation, or declined (with a note the campaign reads)."""
    note = (note or "").strip()
    if status not in STAFF_CHOICES:
        raise DomainError("Choose new, in conversation or declined.", field="status")
    if status == RequestStatus.DECLINED and not note:
        raise DomainError("Say why the request is declined; the campaign will read it.", field="note")
    if status == RequestStatus.DECLINED and help_request.projects:
        raise DomainError("This request already has projects; cancel them rather than declining it.", field="status")
    if help_request.status in (RequestStatus.SCOPED, RequestStatus.WITHDRAWN):
        raise DomainError(f"This request is {help_request.status}; change its projects instead.", field="status")
    if note:
        help_request.staff_notes = note
    if status != help_request.status:
        transition(help_request, status, staff, "help_request.status_changed", note=note)
    if status == RequestStatus.DECLINED:
        link = external_url("campaigns.show_request", campaign_id=help_request.campaign_id,
                            request_id=help_request.id)
        notify(campaign_people(help_request.campaign_id), "requests", f"request-declined:{help_request.id}",
               f"Your request for help was declined: {help_request.campaign.name}",
               f"Our staff could not take this request on. Their note:\n{note}", link)
    db.session.commit()
    return help_request
