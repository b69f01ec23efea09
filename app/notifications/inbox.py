"""A person's own notifications: listing, counting the unread, marking as read, choosing delivery."""
from sqlalchemy import func

from app.extensions import db
from app.models import Notification, NotificationPreference
from app.models.base import utcnow
from app.notifications.kinds import KINDS


def unread_count(user):
    """How many unread notifications `user` has (one indexed count, shown in the header)."""
    return db.session.scalar(
        db.select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def page_of(user, page=1, per_page=30):
    stmt = (db.select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def own(user, notification_id):
    """The user's notification with that id, or None: ids of other people's reveal nothing."""
    return db.session.scalar(
        db.select(Notification).where(Notification.id == notification_id, Notification.user_id == user.id)
    )


def mark_read(user, notification, now=None):
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        db.session.commit()


def mark_all_read(user, now=None):
    result = db.session.execute(
        db.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    db.session.commit()
    return result.rowcount


def preferences(user):
    """{kind: delivery} with defaults for kinds never chosen."""
    chosen = dict(db.session.execute(
        db.select(NotificationPreference.kind, NotificationPreference.delivery)
        .where(NotificationPreference.user_id == user.id)
    ).all())
    return {name: chosen.get(name, "immediate") for name in KINDS}


def save_preferences(user, choices):
    """Store {kind: 'immediate' | 'digest'}; transactional and unknown kinds are ignored."""
    for name, delivery in choices.items():
        kind = KINDS.get(name)
        if kind is None or kind.transactional or delivery not in ("immediate", "digest"):
            continue
        row = db.session.get(NotificationPreference, (user.id, name))
        if row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=name, delivery=delivery))
        else:
            row.delivery = delivery
    db.session.commit()
