"""Campaign member pages: dashboard, campaign profile, help requests, scope review."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.campaigns import services, team
from app.campaigns.forms import CampaignForm, HelpRequestForm, ScopeDecisionForm, WithdrawRequestForm
from app.errors.domain import DomainError, attach_error, attach_problems
from app.form_flow import submit_form
from app.lifecycle import EDITABLE_REQUEST
from app.orgs import teams
from app.partners import invitations as portfolio_invitations
from app.permissions import (
    campaign_member_required,
    campaign_or_404,
    campaign_role,
    may_cancel_project,
    roles_required,
)
from app.scoping import approval, changes, queue, rules
from app.scoping.forms import CancelProjectForm
from app.teams.progress import campaign_progress

bp = Blueprint("campaigns", __name__)


@bp.route("/")
@campaign_member_required
def dashboard():
    campaigns, invitations = services.dashboard(current_user, _invitation_kinds())
    return render_template("campaigns/dashboard.html", campaigns=campaigns, **_join_invitations(invitations))


def _invitation_kinds():
    from app.partners.team_routes import PARTNER

    return team.CAMPAIGN, PARTNER


def _join_invitations(found):
    """For campaigns/_join_invitations.html: the open invitations to campaign teams, and to partner
    teams with each one's signed join link. `found`: {invitation kind: rows}."""
    partner = _invitation_kinds()[1]
    return {"invitations": found[teams.invitation_kind(team.CAMPAIGN)],
            "partner_invites": [(r, url_for(partner.join_endpoint, token=teams.make_token(partner, r)))
                                for r in found[teams.invitation_kind(partner)]]}


def _invitations_to_me():
    rows = teams.invitations_to_person(_invitation_kinds(), current_user)
    return _join_invitations({teams.invitation_kind(k): [r for r in rows if r.kind == teams.invitation_kind(k)]
                              for k in _invitation_kinds()})


@bp.route("/new", methods=["GET", "POST"])
@campaign_member_required
def new_campaign():
    form = CampaignForm()
    if _validate(form):
        try:
            campaign = services.create_campaign(current_user, form.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            _join_referring_partner(campaign)
            flash(f"{campaign.name} is registered. Tell us what help you need.", "success")
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=None, **_invitations_to_me())


def _join_referring_partner(campaign):
    """A campaign registered after opening a partner's referral link joins that partner's portfolio."""
    from flask import session

    from app.partners import services as partners

    partner = partners.partner_for_code(session.pop("partner_referral", ""))
    if partner is not None:
        partners.join_portfolio(current_user, partner, campaign.id)
        flash(f"{campaign.name} is in {partner.name}'s portfolio.", "info")


def _validate(form):
    """The form's own checks; when they fail, the campaign rules too, so every error shows at once."""
    if form.validate_on_submit():
        return True
    if form.is_submitted():
        attach_problems(form, services.campaign_problems(form.data))
    return False


@bp.route("/<int:campaign_id>")
@roles_required("campaign", "staff")
def show(campaign_id):
    campaign = campaign_or_404(campaign_id, current_user)
    return render_template("campaigns/show.html", campaign=campaign, progress=campaign_progress(campaign),
                           my_role=campaign_role(current_user, campaign.id),
                           partner_links=portfolio_invitations.links_of(campaign))


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@roles_required("campaign", "staff")
def edit(campaign_id):
    campaign = campaign_or_404(campaign_id, current_user)
    form = CampaignForm(obj=campaign)
    if _validate(form):
        try:
            services.update_campaign(current_user, campaign, form.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Campaign saved.", "success")
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=campaign)


@bp.route("/<int:campaign_id>/requests/new", methods=["GET", "POST"])
@roles_required("campaign", "staff")
def new_request(campaign_id):
    campaign = campaign_or_404(campaign_id, current_user)
    form = HelpRequestForm()
    done = submit_form(form, lambda: services.submit_request(current_user, campaign, form.data),
                       done=url_for("campaigns.show", campaign_id=campaign.id),
                       message="Thank you: your request is with our staff, who will be in touch to scope it.",
                       problems=lambda: services.request_problems(campaign, form.data))
    return done or render_template("campaigns/request_form.html", form=form, campaign=campaign)


@bp.route("/<int:campaign_id>/requests/<int:request_id>")
@roles_required("campaign", "staff")
def show_request(campaign_id, request_id):
    campaign = campaign_or_404(campaign_id, current_user)
    help_request = services.request_of(campaign, request_id) or abort(404)
    return _request_page(campaign, help_request, WithdrawRequestForm())


def _request_page(campaign, help_request, withdraw_form, status=200):
    return render_template("campaigns/request.html", campaign=campaign, req=help_request,
                           withdraw_form=withdraw_form, editable=help_request.status in EDITABLE_REQUEST), status


@bp.route("/<int:campaign_id>/requests/<int:request_id>/edit", methods=["GET", "POST"])
@roles_required("campaign", "staff")
def edit_request(campaign_id, request_id):
    campaign = campaign_or_404(campaign_id, current_user)
    help_request = services.request_of(campaign, request_id) or abort(404)
    if help_request.status not in EDITABLE_REQUEST:
        flash("This request was already scoped or closed, so it can no longer be edited.", "error")
        return redirect(url_for("campaigns.show_request", campaign_id=campaign.id, request_id=help_request.id))
    form = HelpRequestForm(obj=help_request)
    done = submit_form(form, lambda: services.edit_request(current_user, help_request, form.data),
                       done=url_for("campaigns.show_request", campaign_id=campaign.id, request_id=help_request.id),
                       message="Your request is updated; our staff were told what changed.",
                       problems=lambda: services.request_problems(campaign, form.data))
    return done or render_template("campaigns/request_form.html", form=form, campaign=campaign, req=help_request)


@bp.route("/<int:campaign_id>/requests/<int:request_id>/withdraw", methods=["POST"])
@roles_required("campaign", "staff")
def withdraw_request(campaign_id, request_id):
    campaign = campaign_or_404(campaign_id, current_user)
    help_request = services.request_of(campaign, request_id) or abort(404)
    form = WithdrawRequestForm()
    done = submit_form(form, lambda: services.withdraw_request(current_user, help_request, form.reason.data),
                       done=url_for("campaigns.show", campaign_id=campaign.id),
                       message="The request is withdrawn. You can send a new one whenever you need help.")
    return done or _request_page(campaign, help_request, form, 422)


def _scope_page(campaign, project, form, status=200, cancel_form=None):
    return render_template(
        "campaigns/scope.html", campaign=campaign, project=project, form=form,
        sprints=rules.sprint_rhythm(project), history=queue.history(project),
        cancel_form=cancel_form or CancelProjectForm(), may_cancel=may_cancel_project(current_user, project),
    ), status


@bp.route("/<int:campaign_id>/projects/<int:project_id>")
@roles_required("campaign", "staff")
def scope(campaign_id, project_id):
    campaign = campaign_or_404(campaign_id, current_user)
    project = services.project_of(campaign, project_id) or abort(404)
    return _scope_page(campaign, project, ScopeDecisionForm())


@bp.route("/<int:campaign_id>/projects/<int:project_id>/approve", methods=["POST"])
@campaign_member_required
def approve_scope(campaign_id, project_id):
    campaign = campaign_or_404(campaign_id, current_user)
    project = services.project_of(campaign, project_id) or abort(404)
    form = ScopeDecisionForm()
    done = submit_form(form, lambda: approval.approve_scope(current_user, project),
                       done=url_for("campaigns.scope", campaign_id=campaign.id, project_id=project.id),
                       message="Scope approved. We are now finding your team.")
    return done or _scope_page(campaign, project, form, 422)


@bp.route("/<int:campaign_id>/projects/<int:project_id>/changes", methods=["POST"])
@campaign_member_required
def request_changes(campaign_id, project_id):
    campaign = campaign_or_404(campaign_id, current_user)
    project = services.project_of(campaign, project_id) or abort(404)
    form = ScopeDecisionForm()
    done = submit_form(form, lambda: approval.request_changes(current_user, project, form.comment.data),
                       done=url_for("campaigns.scope", campaign_id=campaign.id, project_id=project.id),
                       message="Thanks: staff will adjust the scope and send it back to you.")
    return done or _scope_page(campaign, project, form, 422)


@bp.route("/<int:campaign_id>/projects/<int:project_id>/cancel", methods=["POST"])
@campaign_member_required
def cancel_project(campaign_id, project_id):
    campaign = campaign_or_404(campaign_id, current_user)
    project = services.project_of(campaign, project_id) or abort(404)
    form = CancelProjectForm()
    done = submit_form(form, lambda: changes.cancel_project(current_user, project, form.reason.data),
                       done=url_for("campaigns.scope", campaign_id=campaign.id, project_id=project.id),
                       message="The project is cancelled. Our staff and everyone on it were told; its record stays.")
    return done or _scope_page(campaign, project, ScopeDecisionForm(), 422, cancel_form=form)
