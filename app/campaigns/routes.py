"""Campaign member pages: dashboard, campaign profile, help requests, scope review."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.campaigns import services
from app.campaigns.forms import CampaignForm, HelpRequestForm, ScopeDecisionForm
from app.errors.domain import DomainError, attach_error, attach_problems
from app.permissions import campaign_member_required, campaign_or_404, roles_required
from app.scoping import services as scoping
from app.teams.progress import campaign_progress

bp = Blueprint("campaigns", __name__)


@bp.route("/")
@campaign_member_required
def dashboard():
    return render_template("campaigns/dashboard.html", campaigns=services.campaigns_for(current_user))


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
            flash(f"{campaign.name} is registered. Tell us what help you need.", "success")
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return render_template("campaigns/form.html", form=form, campaign=None)


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
    return render_template("campaigns/show.html", campaign=campaign, progress=campaign_progress(campaign))


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
    if form.validate_on_submit():
        try:
            services.submit_request(current_user, campaign, form.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Thank you: your request is with our staff, who will be in touch to scope it.", "success")
            return redirect(url_for("campaigns.show", campaign_id=campaign.id))
    return render_template("campaigns/request_form.html", form=form, campaign=campaign)


@bp.route("/<int:campaign_id>/requests/<int:request_id>")
@roles_required("campaign", "staff")
def show_request(campaign_id, request_id):
    campaign = campaign_or_404(campaign_id, current_user)
    help_request = services.request_of(campaign, request_id) or abort(404)
    return render_template("campaigns/request.html", campaign=campaign, req=help_request)


def _scope_page(campaign, project, form, status=200):
    return render_template(
        "campaigns/scope.html", campaign=campaign, project=project, form=form,
        sprints=scoping.sprint_rhythm(project), history=scoping.history(project),
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
    if form.validate_on_submit():
        try:
            scoping.approve_scope(current_user, project)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Scope approved. We are now finding your team.", "success")
            return redirect(url_for("campaigns.scope", campaign_id=campaign.id, project_id=project.id))
    return _scope_page(campaign, project, form, 422)


@bp.route("/<int:campaign_id>/projects/<int:project_id>/changes", methods=["POST"])
@campaign_member_required
def request_changes(campaign_id, project_id):
    campaign = campaign_or_404(campaign_id, current_user)
    project = services.project_of(campaign, project_id) or abort(404)
    form = ScopeDecisionForm()
    if form.validate_on_submit():
        try:
            scoping.request_changes(current_user, project, form.comment.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Thanks: staff will adjust the scope and send it back to you.", "success")
            return redirect(url_for("campaigns.scope", campaign_id=campaign.id, project_id=project.id))
    return _scope_page(campaign, project, form, 422)
