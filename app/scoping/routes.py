"""Staff scoping: the request queue, projects scoped from the menu, the menu and the skills taxonomy."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.errors.domain import DomainError, attach_error
from app.extensions import db
from app.form_flow import submit_form
from app.models import HelpRequest, Project, ProjectTemplate, Skill
from app.models.campaigns import REQUEST_STATUSES
from app.permissions import staff_required
from app.lifecycle import EDITABLE_PROJECT, RequestStatus
from app.scoping import approval, catalogue, changes, formdata, queue, rules, services
from app.scoping.forms import (
    CancelProjectForm,
    PhoneApprovalForm,
    RequestStatusForm,
    RescheduleForm,
    ScopeForm,
    SkillForm,
    TemplateForm,
)

bp = Blueprint("scoping", __name__)


def _election_flash(project):
    if project.ends_after_election:
        flash(
            f"Heads up: this project ends on {project.end_date:%b %-d, %Y}, after election day "
            f"({project.campaign.election_date:%b %-d, %Y}).",
            "warning",
        )


def _scope_form(campaign, data=None, keep_skills=()):
    form = ScopeForm(data=data) if data is not None else ScopeForm()
    form.set_skill_choices(catalogue.skill_choices(keep_skills))
    form.previous_project_id.choices = [("", "— a new piece of work —")] + [
        (str(p.id), f"{p.title} ({p.start_date:%b %-d} – {p.end_date:%b %-d, %Y})")
        for p in queue.follow_on_candidates(campaign)
    ]
    return form


# ---------------------------------------------------------------- requests


@bp.route("/")
@staff_required
def request_queue():
    status = request.args.get("status", "")
    if status not in REQUEST_STATUSES:
        status = ""
    q = request.args.get("q", "")
    page = request.args.get("page", 1, type=int)
    return render_template(
        "scoping/queue.html", requests=queue.request_queue(status, q, page), status=status, q=q,
        counts=queue.request_counts(), statuses=REQUEST_STATUSES,
    )


@bp.route("/requests/<int:request_id>")
@staff_required
def request_detail(request_id):
    help_request = db.get_or_404(HelpRequest, request_id)
    form = RequestStatusForm(data={"status": help_request.status if help_request.status != RequestStatus.SCOPED else "in_conversation"})
    return _render_request(help_request, form)


def _render_request(help_request, form):
    return render_template(
        "scoping/request.html", req=help_request, campaign=help_request.campaign, form=form,
        menu=catalogue.menu_for_request(help_request), history=queue.history(help_request),
    )


@bp.route("/requests/<int:request_id>/status", methods=["POST"])
@staff_required
def set_request_status(request_id):
    help_request = db.get_or_404(HelpRequest, request_id)
    form = RequestStatusForm()
    done = submit_form(form, lambda: queue.set_request_status(current_user, help_request, form.status.data, form.note.data),
                       done=url_for("scoping.request_detail", request_id=help_request.id),
                       message=lambda _: f"The request is now {form.status.data.replace('_', ' ')}.")
    return done or (_render_request(help_request, form), 422)


@bp.route("/requests/<int:request_id>/scope/<int:template_id>", methods=["GET", "POST"])
@staff_required
def scope_project(request_id, template_id):
    help_request = db.get_or_404(HelpRequest, request_id)
    template = db.get_or_404(ProjectTemplate, template_id)
    campaign = help_request.campaign
    if request.method == "GET":
        form = _scope_form(campaign, formdata.scope_form_data(template, help_request))
    else:
        form = _scope_form(campaign)
    if form.validate_on_submit():
        try:
            project = services.scope_project(current_user, help_request, template, form.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Project scoped as a draft. Review it, then send it to the campaign for approval.", "success")
            _election_flash(project)
            return redirect(url_for("scoping.project_detail", project_id=project.id))
    return render_template(
        "scoping/scope_form.html", form=form, campaign=campaign, req=help_request, template=template, project=None
    )


# ---------------------------------------------------------------- projects


def _project_page(project, status=200, phone_form=None, cancel_form=None, reschedule_form=None):
    return render_template(
        "scoping/project.html", project=project, campaign=project.campaign, sprints=rules.sprint_rhythm(project),
        phone_form=phone_form or PhoneApprovalForm(), history=queue.history(project),
        editable=project.status in EDITABLE_PROJECT, cancel_form=cancel_form or CancelProjectForm(),
        reschedule_form=reschedule_form or RescheduleForm(data={"start_date": project.start_date,
                                                                "weeks": project.weeks}),
    ), status


@bp.route("/projects/<int:project_id>")
@staff_required
def project_detail(project_id):
    return _project_page(db.get_or_404(Project, project_id))


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_scope(project_id):
    project = db.get_or_404(Project, project_id)
    if project.status not in EDITABLE_PROJECT:
        flash("Only a draft or a scope with requested changes can be edited; more work is a follow-on project.", "error")
        return redirect(url_for("scoping.project_detail", project_id=project.id))
    keep = [s.skill_id for s in project.skills]
    if request.method == "GET":
        form = _scope_form(project.campaign, formdata.project_form_data(project), keep)
    else:
        form = _scope_form(project.campaign, keep_skills=keep)
    if form.validate_on_submit():
        try:
            services.update_scope(current_user, project, form.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Scope saved.", "success")
            _election_flash(project)
            return redirect(url_for("scoping.project_detail", project_id=project.id))
    return render_template(
        "scoping/scope_form.html", form=form, campaign=project.campaign, req=project.help_request,
        template=project.template, project=project,
    )


@bp.route("/projects/<int:project_id>/send", methods=["POST"])
@staff_required
def send_for_approval(project_id):
    project = db.get_or_404(Project, project_id)
    try:
        approval.send_for_approval(current_user, project)
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash("Sent to the campaign for approval; we emailed them a link to review it.", "success")
    return redirect(url_for("scoping.project_detail", project_id=project.id))


@bp.route("/projects/<int:project_id>/phone-approval", methods=["POST"])
@staff_required
def record_phone_approval(project_id):
    project = db.get_or_404(Project, project_id)
    form = PhoneApprovalForm()
    done = submit_form(form, lambda: approval.record_phone_approval(current_user, project, form.note.data),
                       done=url_for("scoping.project_detail", project_id=project.id),
                       message="Approval recorded. The project is ready for matching.")
    return done or _project_page(project, 422, phone_form=form)


@bp.route("/projects/<int:project_id>/delete", methods=["POST"])
@staff_required
def delete_draft(project_id):
    project = db.get_or_404(Project, project_id)
    help_request = project.help_request
    try:
        services.delete_draft(current_user, project)
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("scoping.project_detail", project_id=project.id))
    flash("The draft is deleted.", "success")
    if help_request is not None:
        return redirect(url_for("scoping.request_detail", request_id=help_request.id))
    return redirect(url_for("scoping.request_queue"))


@bp.route("/projects/<int:project_id>/reschedule", methods=["POST"])
@staff_required
def reschedule(project_id):
    project = db.get_or_404(Project, project_id)
    form = RescheduleForm()
    if form.validate_on_submit():
        try:
            changes.reschedule_project(current_user, project, form.start_date.data, form.weeks.data)
        except DomainError as err:
            db.session.rollback()
            attach_error(form, err)
        else:
            flash("New dates saved and sent to the campaign to approve; invitees and members were told.", "success")
            _election_flash(project)
            return redirect(url_for("scoping.project_detail", project_id=project.id))
    return _project_page(project, 422, reschedule_form=form)


@bp.route("/projects/<int:project_id>/cancel", methods=["POST"])
@staff_required
def cancel(project_id):
    project = db.get_or_404(Project, project_id)
    form = CancelProjectForm()
    done = submit_form(form, lambda: changes.cancel_project(current_user, project, form.reason.data),
                       done=url_for("scoping.project_detail", project_id=project.id),
                       message="The project is cancelled. Everyone on it was told; its record stays.")
    return done or _project_page(project, 422, cancel_form=form)


# ---------------------------------------------------------------- the menu


@bp.route("/menu")
@staff_required
def menu():
    return render_template(
        "scoping/menu.html", templates=catalogue.menu_items(), project_counts=catalogue.template_project_counts()
    )


def _template_form(data=None, keep_skills=()):
    form = TemplateForm(data=data) if data is not None else TemplateForm()
    form.set_skill_choices(catalogue.skill_choices(keep_skills))
    return form


@bp.route("/menu/new", methods=["GET", "POST"])
@staff_required
def new_template():
    form = _template_form(formdata.template_form_data() if request.method == "GET" else None)
    done = submit_form(form, lambda: catalogue.create_template(current_user, form.data),
                       done=url_for("scoping.menu"),
                       message=lambda template: f"“{template.title}” is on the menu.")
    return done or render_template("scoping/template_form.html", form=form, template=None)


@bp.route("/menu/<int:template_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_template(template_id):
    template = db.get_or_404(ProjectTemplate, template_id)
    keep = [s.skill_id for s in template.skills]
    form = _template_form(formdata.template_form_data(template) if request.method == "GET" else None, keep)
    done = submit_form(form, lambda: catalogue.update_template(current_user, template, form.data),
                       done=url_for("scoping.menu"),
                       message=lambda _: f"“{template.title}” saved.")
    return done or render_template("scoping/template_form.html", form=form, template=template)


@bp.route("/menu/<int:template_id>/retire", methods=["POST"])
@staff_required
def retire_template(template_id):
    template = db.get_or_404(ProjectTemplate, template_id)
    retire = request.form.get("retired") == "1"
    catalogue.set_template_retired(current_user, template, retire)
    flash(f"“{template.title}” is {'retired: it no longer appears when scoping' if retire else 'back on the menu'}.", "success")
    return redirect(url_for("scoping.menu"))


# ---------------------------------------------------------------- skills


@bp.route("/skills")
@staff_required
def skills():
    return render_template("scoping/skills.html", grouped=catalogue.skills_by_category())


@bp.route("/skills/new", methods=["GET", "POST"])
@staff_required
def new_skill():
    form = SkillForm()
    done = submit_form(form, lambda: catalogue.create_skill(current_user, form.data),
                       done=url_for("scoping.skills"),
                       message=lambda skill: f"Skill “{skill.name}” added.")
    return done or render_template("scoping/skill_form.html", form=form, skill=None)


@bp.route("/skills/<int:skill_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_skill(skill_id):
    skill = db.get_or_404(Skill, skill_id)
    form = SkillForm(obj=skill)
    done = submit_form(form, lambda: catalogue.update_skill(current_user, skill, form.data),
                       done=url_for("scoping.skills"),
                       message=lambda _: f"Skill “{skill.name}” saved.")
    return done or render_template("scoping/skill_form.html", form=form, skill=skill)


@bp.route("/skills/<int:skill_id>/retire", methods=["POST"])
@staff_required
def retire_skill(skill_id):
    skill = db.get_or_404(Skill, skill_id)
    retire = request.form.get("retired") == "1"
    catalogue.set_skill_retired(current_user, skill, retire)
    flash(f"“{skill.name}” is {'retired' if retire else 'active again'}.", "success")
    return redirect(url_for("scoping.skills"))
