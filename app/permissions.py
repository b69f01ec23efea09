"""Who may see and do what. Every route goes through one of these."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Campaign, CampaignMember


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
                abort(403)
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
    campaign = db.get_or_404(Campaign, campaign_id)
    if user.is_staff or is_campaign_member(user, campaign_id):
        return campaign
    abort(404)


def visible_campaigns_query(user):
    """A query of the campaigns `user` may see."""
    q = db.select(Campaign).order_by(Campaign.name)
    if user.is_staff:
        return q
    return q.join(CampaignMember).where(CampaignMember.user_id == user.id)
