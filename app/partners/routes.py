"""Partner pages: staff's list of partners, a partner's portfolio, referrals, priority, keys and webhooks."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.campaigns.team_forms import ConfirmForm
from app.errors.domain import DomainError, attach_error
from app.orgs import keys
from app.orgs.forms import ApiKeyForm
from app.orgs.routes import _keys_page, redeliver_view, webhooks_view
from app.orgs.scope import Org
from app.partners import invitations, portfolio_view, services
from app.partners.forms import InviteCampaignForm, PartnerForm, PriorityForm
from app.partners.portfolio import portfolio as build_portfolio
from app.permissions import campaign_owner_or_403, partner_or_404, roles_required

bp = Blueprint("partners", __name__)


@bp.route("/", methods=["GET", "POST"])
@roles_required("campaign", "staff")
def index():
    """Staff: every partner, and a form to add one. Partner members: their partners."""
    form = PartnerForm()
    if current_user.is_staff and form.validate_on_submit():
        try:
            partner = services.create_partner(current_user, form.name.data, form.kind.data, form.state.data,
                                              form.owner_email.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash(f"{partner.name} is registered.", "success")
            return redirect(url_for("partners.portfolio", partner_id=partner.id))
    partners = services.all_partners() if current_user.is_staff else services.partners_of(current_user)
    return render_template("partners/index.html", partners=partners, form=form)


def _portfolio_page(partner, invite_form=None, status=200):
    from app.teams.charts import pipeline

    data = build_portfolio(partner, page=request.args.get("page", 1, type=int))
    return render_template("partners/portfolio.html", partner=partner, data=data, stages_chart=pipeline(data["stages"]),
                           bodies=portfolio_view.bodies(data["rows"]), tier_options=portfolio_view.tier_options,
                           priority_form=PriorityForm(),
                           invite_form=invite_form or InviteCampaignForm(), pending=data["pending"],
                           referral=url_for("partners.referral", token=partner.referral_code, _external=True)), status


@bp.route("/<int:partner_id>")
@roles_required("campaign", "staff")
def portfolio(partner_id):
    return _portfolio_page(partner_or_404(partner_id, current_user))


@bp.route("/<int:partner_id>/campaigns/invite", methods=["POST"])
@roles_required("campaign", "staff")
def invite_campaign(partner_id):
    """A partner invites an existing campaign (by the address of someone who runs it) into its portfolio."""
    partner = partner_or_404(partner_id, current_user)
    form = InviteCampaignForm()
    if form.validate_on_submit():
        try:
            links = invitations.invite_campaign(current_user, partner, form.email.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            names = ", ".join(link.campaign.name for link in links)
            flash(f"Invitation sent to {names}. Its owners accept or decline on their campaign's page.", "success")
            return redirect(url_for("partners.portfolio", partner_id=partner.id))
    return _portfolio_page(partner, invite_form=form, status=422)


@bp.route("/<int:partner_id>/campaigns/<int:campaign_id>/answer", methods=["POST"])
@roles_required("campaign")
def answer_invitation(partner_id, campaign_id):
    """A campaign owner accepts or declines a partner's invitation into its portfolio."""
    campaign = campaign_owner_or_403(campaign_id, current_user)
    if ConfirmForm().validate_on_submit():
        accept = request.form.get("answer") == "accept"
        try:
            link = invitations.respond(current_user, campaign, partner_id, accept)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(f"Your campaign is now in {link.partner.name}'s portfolio." if accept
                  else f"You declined {link.partner.name}'s invitation.", "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id, _anchor="partners"))


@bp.route("/<int:partner_id>/campaigns/<int:campaign_id>/leave", methods=["POST"])
@roles_required("campaign")
def leave_portfolio(partner_id, campaign_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            link = invitations.leave(current_user, campaign, partner_id)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(f"Your campaign left {link.partner.name}'s portfolio: it no longer sees your record.", "success")
    return redirect(url_for("campaigns.show", campaign_id=campaign.id, _anchor="partners"))


@bp.route("/<int:partner_id>/campaigns/<int:campaign_id>/priority", methods=["POST"])
@roles_required("campaign", "staff")
def set_priority(partner_id, campaign_id):
    partner = partner_or_404(partner_id, current_user)
    form = PriorityForm()
    if form.validate_on_submit():
        try:
            services.set_priority(current_user, partner, campaign_id, form.tier.data)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(f"Priority set to {services.TIER_LABELS[int(form.tier.data)].lower()}.", "success")
    return redirect(url_for("partners.portfolio", partner_id=partner.id))


@bp.route("/r/<token>", methods=["GET", "POST"])
def referral(token):
    """A partner's referral link: a campaign owner adds a campaign to the portfolio, or registers a new one."""
    code = token  # the partner's referral code
    partner = services.partner_for_code(code)
    if partner is None:
        flash("That referral link is not valid.", "error")
        return redirect(url_for("main.index"))
    session["partner_referral"] = code  # a campaign registered next joins this portfolio
    form = ConfirmForm()
    owned = services.owned_campaigns(current_user) if current_user.is_authenticated else []
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            services.join_portfolio(current_user, partner, int(request.form.get("campaign_id", 0)))
        except (DomainError, ValueError) as err:
            flash(getattr(err, "message", "Choose one of your campaigns."), "error")
        else:
            flash(f"Your campaign is now in {partner.name}'s portfolio.", "success")
            return redirect(url_for("campaigns.dashboard"))
    return render_template("partners/referral.html", partner=partner, owned=owned, form=form)


@bp.route("/<int:partner_id>/keys", methods=["GET", "POST"])
@roles_required("campaign", "staff")
def keys_page(partner_id):
    partner = partner_or_404(partner_id, current_user)
    org = Org("partner", partner.id)
    back = url_for("partners.portfolio", partner_id=partner.id)
    form = ApiKeyForm()
    if form.validate_on_submit():
        try:
            row, clear = keys.create_key(current_user, org, form.name.data, form.scope.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            return _keys_page(org, back, new_key=(row, clear))
    if form.is_submitted():
        return _keys_page(org, back, form=form, status=422)
    return _keys_page(org, back, form=form)


@bp.route("/<int:partner_id>/keys/<int:key_id>/revoke", methods=["POST"])
@roles_required("campaign", "staff")
def revoke_key(partner_id, key_id):
    partner = partner_or_404(partner_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            keys.revoke_key(current_user, Org("partner", partner.id), key_id)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash("Key revoked.", "success")
    return redirect(url_for("partners.keys_page", partner_id=partner.id))


@bp.route("/<int:partner_id>/webhooks", methods=["GET", "POST"])
@roles_required("campaign", "staff")
def webhooks(partner_id):
    return webhooks_view(Org("partner", partner_or_404(partner_id, current_user).id))


@bp.route("/<int:partner_id>/webhooks/deliveries/<int:delivery_id>/redeliver", methods=["POST"])
@roles_required("campaign", "staff")
def redeliver(partner_id, delivery_id):
    return redeliver_view(Org("partner", partner_or_404(partner_id, current_user).id), delivery_id)


@bp.app_template_global()
def priority_badge(campaign_id):
    """A "Top priority" / "Low priority" badge for staff queues (nothing for normal or no partner)."""
    from markupsafe import Markup

    tier = services.tiers_by_campaign().get(campaign_id)
    if tier in (None, 2):
        return ""
    label = services.TIER_LABELS[tier] if tier == 1 else "Low priority"
    return Markup(' <span class="badge badge-priority-{}">{}</span>').format(tier, label)  # format() escapes
