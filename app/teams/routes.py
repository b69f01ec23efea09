"""Team pages: workspace, weekly check-ins, final report, ratings, calendar, and the staff health board."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import clock
from app.errors.domain import DomainError, attach_error
from app.extensions import db
from app.form_flow import submit_form
from app.links import external_url
from app.models import Project, TeamMembership, User
from app.permissions import (
    WORKSPACE_STATUSES,
    staff_required,
    volunteer_required,
    workspace_or_404,
    workspace_role,
)
from app.teams import calendar_feed, checkins, completion, departures, health, workspace
from app.teams.forms import (
    AcknowledgeForm,
    ConfirmForm,
    FinalReportForm,
    LeaveForm,
    LinksForm,
    NoteForm,
    RatingForm,
    checkin_data,
    checkin_form_class,
    prefill_checkin,
)
from app.lifecycle import MembershipStatus, ProjectStatus

bp = Blueprint("teams", __name__)


def _user():
    return current_user._get_current_object()


def _sprint_or_404(project, number):
    sprint = checkins.sprint_by_number(project, number)
    if sprint is None:
        abort(404)
    return sprint


@bp.route("/")
@login_required
def index():
    return render_template("teams/index.html", projects=workspace.my_projects(_user()))


@bp.route("/health")
@staff_required
def health_board():
    return render_template("teams/health_board.html", **health.board_page(request.args.get("page", 1, type=int)))


@bp.route("/<int:project_id>", endpoint="workspace")
@login_required
def workspace_page(project_id):
    project, role = workspace_or_404(project_id, _user(), read_only=True)  # a row: the page only reads
    data = workspace.workspace(project, _user(), role)
    feed_url = external_url("teams.calendar_feed", token=calendar_feed.feed_token(_user(), project))
    return render_template("teams/workspace.html", feed_url=feed_url, **data)


@bp.route("/<int:project_id>/links", methods=["GET"], endpoint="links_form")
@login_required
def links_form_page(project_id):
    """The form that changes the team's links: htmx loads it when the lead opens "Change the links" on
    the workspace (a form per page view cost the workspace a tenth of its time, for a rare edit); a
    plain request (no JavaScript) gets it as a page. It posts to teams.update_links."""
    project, _role = workspace_or_404(project_id, _user(), roles=("lead", "staff"))
    fragment = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    return render_template("teams/_links_form.html" if fragment else "teams/links_form.html",
                           project=project, links_form=LinksForm(obj=project))


@bp.route("/<int:project_id>/progress")
@login_required
def workspace_progress(project_id):
    """The workspace's charts: htmx loads them when the Progress section scrolls into view, so the
    workspace itself stays cheap; a plain request (no JavaScript) gets them as a page."""
    project, _role = workspace_or_404(project_id, _user())
    fragment = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    return render_template("teams/_workspace_progress.html" if fragment else "teams/workspace_progress.html",
                           project=project, **workspace.charts(project))


@bp.route("/<int:project_id>/sprints/<int:number>/checkin", methods=["GET", "POST"])
@login_required
def checkin_form(project_id, number):
    project, role = workspace_or_404(project_id, _user(), roles=("lead", "staff"))
    sprint = _sprint_or_404(project, number)
    members = [m for m in workspace.team_memberships(project) if m.status == MembershipStatus.ACTIVE]
    deliverables, metrics = list(project.deliverables), list(project.metrics)
    form = checkin_form_class(members, deliverables, metrics)()
    existing = sprint.checkin
    if request.method == "GET":
        prefill_checkin(form, existing, members, deliverables, metrics)
    elif form.validate_on_submit():
        try:
            checkins.submit_checkin(_user(), sprint, checkin_data(form, members, deliverables, metrics))
        except DomainError as err:
            attach_error(form, err)
        else:
            flash(f"Sprint {number} check-in saved. The campaign has been told.", "success")
            return redirect(url_for("teams.checkin", project_id=project.id, number=number))
    deadline = checkins.edit_deadline(sprint, project)
    return render_template(
        "teams/checkin_form.html", project=project, sprint=sprint, form=form, existing=existing,
        members=members, deliverables=deliverables, metrics=metrics, deadline=deadline,
        window_open=project.status == ProjectStatus.ACTIVE and sprint.starts_on <= clock.today() <= deadline,
    )


@bp.route("/<int:project_id>/sprints/<int:number>")
@login_required
def checkin(project_id, number):
    project, role = workspace_or_404(project_id, _user())
    sprint = _sprint_or_404(project, number)
    return _checkin_page(project, role, sprint)


def _checkin_page(project, role, sprint, ack_form=None, note_form=None, status=200):
    c = sprint.checkin
    deadline = checkins.edit_deadline(sprint, project)
    members = {m.id: m for m in workspace.team_memberships(project, include_dropped=True)}
    ack_form = ack_form or AcknowledgeForm(formdata=None, data={"comment": c.campaign_comment if c else ""})
    acknowledged_by = db.session.get(User, c.acknowledged_by_id) if c and c.acknowledged_by_id else None
    return render_template(
        "teams/checkin.html", project=project, role=role, sprint=sprint, checkin=c, deadline=deadline,
        members=members, ack_form=ack_form, note_form=note_form or NoteForm(formdata=None),
        acknowledged_by=acknowledged_by,
        can_write=role in ("lead", "staff") and project.status == ProjectStatus.ACTIVE
        and sprint.starts_on <= clock.today() <= deadline,
        deliverables={d.id: d for d in project.deliverables}, metrics={m.id: m for m in project.metrics},
    ), status


@bp.route("/<int:project_id>/sprints/<int:number>/acknowledge", methods=["POST"])
@login_required
def acknowledge(project_id, number):
    project, role = workspace_or_404(project_id, _user(), roles=("campaign",))
    sprint = _sprint_or_404(project, number)
    if sprint.checkin is None:
        abort(404)
    form = AcknowledgeForm()
    done = submit_form(form, lambda: checkins.acknowledge(_user(), sprint.checkin, form.comment.data),
                       done=url_for("teams.checkin", project_id=project.id, number=number),
                       message=lambda _: f"Sprint {number} check-in acknowledged. The team can see your comment.")
    return done or _checkin_page(project, role, sprint, ack_form=form, status=400)


@bp.route("/<int:project_id>/sprints/<int:number>/notes", methods=["POST"])
@login_required
def add_note(project_id, number):
    project, role = workspace_or_404(project_id, _user(), roles=("lead", "member"))
    sprint = _sprint_or_404(project, number)
    if sprint.checkin is None:
        abort(404)
    form = NoteForm()
    done = submit_form(form, lambda: checkins.add_note(_user(), sprint.checkin, form.body.data),
                       done=url_for("teams.checkin", project_id=project.id, number=number),
                       message="Note added.")
    return done or _checkin_page(project, role, sprint, note_form=form, status=400)


@bp.route("/<int:project_id>/links", methods=["POST"])
@login_required
def update_links(project_id):
    project, role = workspace_or_404(project_id, _user(), roles=("lead", "staff"))
    form = LinksForm()
    if form.validate_on_submit():
        try:
            workspace.update_links(_user(), project, form.data)
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash("The team's links are saved.", "success")
    else:
        for field, errors in form.errors.items():
            flash(f"{getattr(form, field).label.text}: {errors[0]}", "error")
    return redirect(url_for("teams.workspace", project_id=project.id) + "#links")


@bp.route("/<int:project_id>/final-report", methods=["GET", "POST"])
@login_required
def final_report(project_id):
    project, role = workspace_or_404(project_id, _user())
    report = completion.final_report_of(project)
    can_file = role in ("lead", "staff") and completion.final_report_open(project)
    form = FinalReportForm(obj=report) if request.method == "GET" else FinalReportForm()
    if request.method == "POST":
        if role not in ("lead", "staff"):
            abort(403)
        if form.validate_on_submit():
            try:
                completion.file_final_report(_user(), project, form.data)
            except DomainError as err:
                attach_error(form, err)
            else:
                flash("Final report filed. Thank you! Staff will close the project.", "success")
                return redirect(url_for("teams.workspace", project_id=project.id))
    return render_template("teams/final_report.html", project=project, role=role, report=report, form=form,
                           can_file=can_file, confirm_form=ConfirmForm())


@bp.route("/<int:project_id>/complete", methods=["POST"])
@staff_required
def complete(project_id):
    project, _role = workspace_or_404(project_id, _user())
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        completion.complete_project(_user(), project)
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(f"{project.title} is completed; the team's track records are updated.", "success")
    return redirect(url_for("teams.workspace", project_id=project.id))


@bp.route("/<int:project_id>/leave", methods=["GET", "POST"])
@volunteer_required
def leave(project_id):
    """A member leaves the team themselves (forming or working), with a reason and a confirmation."""
    membership = departures.own_membership(_user(), project_id)
    if membership is None:
        abort(404)
    back = (url_for("teams.workspace", project_id=project_id) if membership.project.status == ProjectStatus.ACTIVE
            else url_for("volunteers.dashboard"))
    return _leave_page(membership, by_self=True, back=back, done=url_for("volunteers.dashboard"))


@bp.route("/<int:project_id>/members/<int:membership_id>/drop", methods=["GET", "POST"])
@login_required
def drop_member(project_id, membership_id):
    """The lead or staff record that a member left the team."""
    project, role = workspace_or_404(project_id, _user(), roles=("lead", "staff"))
    membership = db.session.get(TeamMembership, membership_id)
    if membership is None or membership.project_id != project.id or membership.status != MembershipStatus.ACTIVE:
        abort(404)
    here = url_for("teams.workspace", project_id=project.id)
    done = url_for("volunteers.dashboard") if membership.volunteer.user_id == _user().id else here
    return _leave_page(membership, by_self=membership.volunteer.user_id == _user().id, back=here, done=done)


def _leave_page(membership, by_self, back, done):
    from app.teams.seats import replacement_state

    form = LeaveForm()
    project = membership.project
    if form.validate_on_submit():
        try:
            departures.leave_team(_user(), membership, form.reason.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            name = membership.volunteer.user.name
            flash("You have left the team. The team, the campaign and staff have been told. Thank you for your work."
                  if by_self else f"{name} is recorded as having left the team; everyone concerned has been told.",
                  "info")
            return redirect(done)
    state = replacement_state(project)
    falls_below = project.status == ProjectStatus.ACTIVE and (state["members"] - 1 < project.team_min or membership.is_lead)
    return render_template(
        "teams/leave.html", form=form, project=project, membership=membership, leaver=membership.volunteer.user,
        by_self=by_self, back=back, falls_below=falls_below,
    )


@bp.route("/<int:project_id>/rate", methods=["GET", "POST"])
@login_required
def rate(project_id):
    project, role = workspace_or_404(project_id, _user())
    kind = completion.rating_kind(_user(), project)
    if kind is None:
        abort(403)
    existing = completion.my_rating(_user(), project)
    form = RatingForm() if request.method == "POST" else RatingForm(
        formdata=None, data={"score": str(existing.score), "comment": existing.comment} if existing else None)
    done = submit_form(form, lambda: completion.rate(_user(), project, int(form.score.data), form.comment.data),
                       done=url_for("teams.workspace", project_id=project.id),
                       message="Thank you for your rating.")
    return done or render_template("teams/rate.html", project=project, form=form, kind=kind, existing=existing)


@bp.route("/<int:project_id>/calendar.ics")
@login_required
def calendar(project_id):
    project, _role = workspace_or_404(project_id, _user())
    return _ics(project)


@bp.route("/calendar/<token>.ics", endpoint="calendar_feed")
def calendar_feed_view(token):
    """The signed per-member feed: calendar apps subscribe without a session."""
    ids = calendar_feed.read_feed_token(token)
    user = db.session.get(User, ids[0]) if ids else None
    project = db.session.get(Project, ids[1]) if ids else None
    if user is None or project is None or not user.is_active or project.status not in WORKSPACE_STATUSES:
        abort(404)
    if workspace_role(user, project) is None:
        abort(404)
    return _ics(project)


def _ics(project):
    sprints = list(project.sprints)
    body = calendar_feed.ics_for(
        project, sprints, host=request.host.split(":")[0] or "barnstorm",
        link=url_for("teams.workspace", project_id=project.id, _external=True),
    )
    resp = Response(body, mimetype="text/calendar")
    resp.headers["Content-Disposition"] = f'inline; filename="project-{project.id}-sprints.ics"'
    resp.headers["Cache-Control"] = "private, max-age=300"
    return resp
