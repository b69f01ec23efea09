"""Telling people things: an in-app notification for each person, and an email now or in a digest.

`notify` is called inside the transaction of the change it reports, so the notification and its
email commit or roll back with the change (the email goes through the outbox like every other).
"""
from flask import render_template
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.links import external_url
from app.mail.outbox import queue_email
from app.models import CampaignMember, Notification, NotificationPreference, User
from app.models.base import utcnow
from app.notifications.kinds import kind_or_error


def _people(recipients):
    if recipients is None:
        return []
    if isinstance(recipients, User):
        recipients = [recipients]
    seen, people = set(), []
    for user in recipients:
        # A closed account has no inbox left to tell.
        if user is None or user.id in seen or user.closed_at is not None:
            continue
        seen.add(user.id)
        people.append(user)
    return people


def staff_users():
    """Every active staff member and admin: they share the campaign-relations inbox."""
    return list(db.session.scalars(
        db.select(User).where(User.role.in_(("staff", "admin")), User.active.is_(True), User.closed_at.is_(None))
    ))


def campaign_people(campaign_id):
    """The campaign's own people (open accounts), oldest member first."""
    return list(db.session.scalars(
        db.select(User).join(CampaignMember, CampaignMember.user_id == User.id)
        .where(CampaignMember.campaign_id == campaign_id, User.closed_at.is_(None))
        .order_by(CampaignMember.created_at, User.id)
    ))


def deliveries(user_ids, kind):
    """{user id: 'immediate' | 'digest'} for `kind`, defaults included (one query)."""
    chosen = dict(db.session.execute(
        db.select(NotificationPreference.user_id, NotificationPreference.delivery)
        .where(NotificationPreference.kind == kind, NotificationPreference.user_id.in_(list(user_ids)))
    ).all()) if user_ids else {}
    return {uid: chosen.get(uid, "immediate") for uid in user_ids}


def notify(recipients, kind, key, subject, body="", link="", now=None):
    """Tell each of `recipients` (a User, Users, or None entries) about one event.

    `key` names the event (e.g. "project-cancelled:12"): telling the same person about the same
    event twice is a no-op, so a retried transition never doubles a notification or an email.
    Returns the notifications written.
    """
    spec = kind_or_error(kind)
    people = _people(recipients)
    if not people:
        return []
    now = now or utcnow()
    how = deliveries([u.id for u in people], kind)
    written = []
    for user in people:
        immediate = spec.transactional or how[user.id] == "immediate"
        note = Notification(
            user_id=user.id, key=key[:160], kind=kind, subject=subject[:255], body=body, link=link,
            created_at=now, digest=not immediate, emailed_at=now if immediate else None,
        )
        try:
            with db.session.begin_nested():  # an earlier telling of the same event wins
                db.session.add(note)
        except IntegrityError:
            continue
        written.append(note)
        if immediate:
            text = render_template("email/notification.txt", person=user, subject=subject, body=body, link=link,
                                   settings=external_url("notifications.settings"), kind=spec)
            queue_email(f"notify:{key}:{user.id}"[:160], user.email, subject, text, category=kind)
    return written


def send_digests(now=None):
    """Email each person one digest of what they chose to receive daily and have not been sent.

    Safe to run twice: a digest is keyed by the newest notification it holds. Returns how many.
    """
    now = now or utcnow()
    pending = db.session.execute(
        db.select(Notification, User).join(User, User.id == Notification.user_id)
        .where(Notification.digest.is_(True), Notification.emailed_at.is_(None), User.closed_at.is_(None))
        .order_by(Notification.user_id, Notification.id)
    ).all()
    by_user = {}
    for note, user in pending:
        by_user.setdefault(user.id, (user, []))[1].append(note)
    for user, notes in by_user.values():
        count = len(notes)
        subject = f"Barnstorm: {count} update{'s' if count != 1 else ''} since your last digest"
        text = render_template("email/notification_digest.txt", person=user, notes=notes,
                               settings=external_url("notifications.settings"),
                               inbox=external_url("notifications.index"))
        queue_email(f"digest:{user.id}:{notes[-1].id}", user.email, subject, text, category="digest")
        for note in notes:
            note.emailed_at = now
    db.session.commit()
    return len(by_user)


def send_digests_job():
    """RQ job form of the daily digest (app/jobs/rq_cron.py); safe to run any number of times."""
    from app.jobs.context import job_context

    with job_context():
        return send_digests()
