"""An organisation's integrations (API keys) and the page a referred volunteer lands on."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_user

from app.api.signup import confirm_referral, read_referral
from app.campaigns.team_forms import ConfirmForm
from app.errors.domain import DomainError, attach_error
from app.orgs import keys
from app.orgs.forms import ApiKeyForm, ReferralForm, WebhookEndpointForm
from app.orgs.scope import Org
from app.permissions import campaign_owner_or_403, roles_required
from app.webhooks import endpoints, sender

bp = Blueprint("orgs", __name__)


def _keys_page(org, back, form=None, new_key=None, status=200):
    return render_template("orgs/keys.html", org=org, org_name=org.name(), keys=keys.keys_of(org),
                           form=form or ApiKeyForm(), new_key=new_key, confirm_form=ConfirmForm(), back=back), status


@bp.route("/campaigns/<int:campaign_id>/keys", methods=["GET", "POST"])
@roles_required("campaign")
def campaign_keys(campaign_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    org = Org("campaign", campaign.id)
    back = url_for("campaigns.show", campaign_id=campaign.id)
    form = ApiKeyForm()
    if form.validate_on_submit():
        try:
            row, clear = keys.create_key(current_user, org, form.name.data, form.scope.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            # Shown once, on this response only: it is not stored and cannot be shown again.
            return _keys_page(org, back, new_key=(row, clear))
    elif form.is_submitted():
        return _keys_page(org, back, form=form, status=422)
    return _keys_page(org, back, form=form)


@bp.route("/campaigns/<int:campaign_id>/keys/<int:key_id>/revoke", methods=["POST"])
@roles_required("campaign")
def revoke_campaign_key(campaign_id, key_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    if ConfirmForm().validate_on_submit():
        try:
            keys.revoke_key(current_user, Org("campaign", campaign.id), key_id)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash("Key revoked: calls with it are refused from now on.", "success")
    return redirect(url_for("orgs.campaign_keys", campaign_id=campaign.id))


@bp.route("/referred/<token>", methods=["GET", "POST"])
def referred(token):
    """A partner referred this person through the API: confirming the address creates the account."""
    data = read_referral(token)
    if data is None:
        flash("That link has expired or is not valid.", "error")
        return redirect(url_for("main.index"))
    email, name, org = data
    if current_user.is_authenticated:
        flash("You already have an account and are logged in.", "info")
        return redirect(url_for("main.dashboard"))
    form = ReferralForm()
    if form.validate_on_submit():
        try:
            user = confirm_referral(email, name, org, form.password.data)
        except DomainError as err:
            flash(err.message, "info")
            return redirect(url_for("auth.login"))
        login_user(user)
        flash("Welcome to Barnstorm. Tell us about your skills and when you are free.", "success")
        return redirect(url_for("volunteers.edit_profile"))
    return render_template("orgs/referred.html", form=form, email=email, name=name, org_name=org.name())


# ---------------------------------------------------------------- webhooks (campaign owners)


def _hooks_page(org, form=None, new_secret=None, status=200):
    return render_template(
        "orgs/webhooks.html", org=org, org_name=org.name(), endpoints=endpoints.endpoints_of(org),
        deliveries=endpoints.deliveries_of(org), form=form or WebhookEndpointForm(), new_secret=new_secret,
        confirm_form=ConfirmForm(), urls=_org_urls(org),
    ), status


def _org_urls(org):
    """The URLs of an organisation's integration pages (campaign or partner)."""
    if org.kind == "campaign":
        return {"webhooks": url_for("orgs.campaign_webhooks", campaign_id=org.id),
                "redeliver": lambda d: url_for("orgs.campaign_redeliver", campaign_id=org.id, delivery_id=d),
                "back": url_for("campaigns.show", campaign_id=org.id)}
    return {"webhooks": url_for("partners.webhooks", partner_id=org.id),
            "redeliver": lambda d: url_for("partners.redeliver", partner_id=org.id, delivery_id=d),
            "back": url_for("partners.portfolio", partner_id=org.id)}


def webhooks_view(org):
    """GET lists endpoints and deliveries; POST registers an endpoint (its secret shown once)."""
    form = WebhookEndpointForm()
    if form.validate_on_submit():
        try:
            endpoint = endpoints.register_endpoint(current_user, org, form.url.data, form.events.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            return _hooks_page(org, new_secret=endpoint)
    if form.is_submitted():
        return _hooks_page(org, form=form, status=422)
    return _hooks_page(org, form=form)


def redeliver_view(org, delivery_id):
    delivery = endpoints.delivery_of(org, delivery_id)
    if delivery is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        sender.redeliver(delivery.id)
        flash("Delivery queued again (same webhook-id, so your receiver can tell it is a repeat).", "success")
    return redirect(_org_urls(org)["webhooks"])


@bp.route("/campaigns/<int:campaign_id>/webhooks", methods=["GET", "POST"])
@roles_required("campaign")
def campaign_webhooks(campaign_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    return webhooks_view(Org("campaign", campaign.id))


@bp.route("/campaigns/<int:campaign_id>/webhooks/deliveries/<int:delivery_id>/redeliver", methods=["POST"])
@roles_required("campaign")
def campaign_redeliver(campaign_id, delivery_id):
    campaign = campaign_owner_or_403(campaign_id, current_user)
    return redeliver_view(Org("campaign", campaign.id), delivery_id)
