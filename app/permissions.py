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


def staff_or_trainer_required(view):
    """Staff, or an appointed lead trainer (who has no staff rights otherwise)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_staff or is_lead_trainer(current_user)):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def campaign_role(user, campaign_id):
    """'owner', 'member' or None: `user`'s place on the campaign's own team."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        db.select(CampaignMember.role).where(CampaignMember.campaign_id == campaign_id, CampaignMember.user_id == user.id)
    )


def campaign_owner_or_403(campaign_id, user):
    """The campaign if `user` owns it; 404 when they cannot see it at all, 403 when they see it but do not own it."""
    campaign = campaign_or_404(campaign_id, user)
    if campaign_role(user, campaign_id) != "owner":
        abort(403)
    return campaign


def partner_or_404(partner_id, user):
    """The partner organisation if `user` is one of its members or staff; 404 otherwise."""
    from app.models import Partner, PartnerMember

    partner = db.session.get(Partner, partner_id)
    if partner is None or not user.is_authenticated:
        abort(404)
    if user.is_staff or db.session.scalar(db.select(PartnerMember.id).where(
            PartnerMember.partner_id == partner_id, PartnerMember.user_id == user.id)) is not None:
        return partner
    abort(404)


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
        abort(403)
    return partner
