"""Staff recruiting: run matching, curate the ranking, send opportunities, name the lead."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from app.errors.domain import DomainError
from app.extensions import db
from app.input_guard import is_id, page_number
from app.lifecycle import INVITABLE_PROJECT, ProjectStatus
from app.models import MatchRun, Project, VolunteerProfile, VolunteerSkill
from app.opportunities.services import invite_volunteers
from app.permissions import staff_required
from app.recruiting import page, ranking, runs
from app.teams.formation import name_lead

bp = Blueprint("recruiting", __name__)
PAGE = 20  # candidates shown at first on the match page


@bp.route("/")
@staff_required
def board():
    batch, _ = runs.latest_batch()
    return render_template("recruiting/board.html", rows=runs.projects_awaiting_volunteers(), batch=batch)


@bp.route("/batch", methods=["POST"])
@staff_required
def start_batch():
    run = runs.start_batch_run(current_user)
    flash(run.message, "error" if run.status == "failed" else "success" if run.status == "done" else "info")
    return redirect(url_for("recruiting.board"))


@bp.route("/projects/<int:project_id>")
@staff_required
def project(project_id):
    project, run, batch = page.match_page_rows(project_id)
    filters = {
        "min_score": request.args.get("min_score", 0.0, type=float),
        "lead_only": request.args.get("lead_only") == "1",
        "state": request.args.get("state", ""),
        "hide_invited": request.args.get("hide_invited") == "1",
    }
    state = page.recruiting_state(project)
    rows = ranking.ranking(run) if run is not None and run.status == "done" else []
    invited = {inv.volunteer_id: inv.status for inv in state["invitations"]}
    member_ids = {m.volunteer_id for m in state["members"]}
    candidates = page.page_rows(rows, invited, member_ids, **filters)
    # The suggested team stays pinned at the top whatever the filters hide.
    unfiltered = candidates if not any(filters.values()) else page.page_rows(rows, invited, member_ids)
    suggested = [row for row in unfiltered if row["candidate"].suggested]
    # A busy staffer reads the top of the ranking; "show more" pages down by PAGE rows.
    shown = min(max(request.args.get("show", PAGE, type=int), PAGE), max(len(candidates), PAGE))
    return render_template(
        "recruiting/project.html",
        project=project,
        run=run,
        candidates=candidates[:shown],
        more=max(len(candidates) - shown, 0),
        next_show=shown + PAGE,
        suggested=suggested,
        filters=filters,
        why_not=None,
        **state,
        # shown when declined or expired invitations leave seats open, or a working team needs a replacement
        next_candidates=runs.next_candidates(
            project, run=run, rows=unfiltered, member_ids=member_ids,
        ) if state["offer_next"] else [],
        can_invite=project.status in INVITABLE_PROJECT and state["open_seats"] > 0,
        batch_rows=runs.latest_batch(project, run=batch)[1],
    )


@bp.route("/projects/<int:project_id>/candidates/<int:volunteer_id>")
@staff_required
def candidate(project_id, volunteer_id):
    """One candidate of the latest run: every score component and reason, and the volunteer's profile.

    Loaded into the match page by htmx when staff open a row; a plain request gets the full page.
    """
    project = db.get_or_404(Project, project_id, options=runs.PROJECT_PAGE_LOAD)
    run = runs.latest_run(project)
    found = runs.candidate_rows(run, volunteer_id=volunteer_id, with_components=True) \
        if run is not None and run.status == "done" else []
    row = found[0] if found else None
    profile = db.session.get(VolunteerProfile, volunteer_id, options=(
        joinedload(VolunteerProfile.user),
        selectinload(VolunteerProfile.skills).joinedload(VolunteerSkill.skill),
        selectinload(VolunteerProfile.causes),
    ))
    if profile is None:
        abort(404)
    fragment = request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
    template = "recruiting/_candidate.html" if fragment else "recruiting/candidate.html"
    return render_template(template, project=project, row=row, profile=profile)


@bp.route("/projects/<int:project_id>/match", methods=["POST"])
@staff_required
def start_match(project_id):
    project = db.get_or_404(Project, project_id)
    try:
        run = runs.start_match_run(current_user, project)
    except DomainError as err:
        flash(err.message, "error")
    else:
        if run.status == "done":
            flash(run.message, "success")
        elif run.status == "failed":
            flash(run.message, "error")
    return redirect(url_for("recruiting.project", project_id=project.id))


@bp.route("/runs/<int:run_id>/status")
@staff_required
def run_status(run_id):
    """The progress panel, polled by htmx; tells the page to reload once the run has ended."""
    run = db.get_or_404(MatchRun, run_id)
    response = make_response(render_template("recruiting/_run_status.html", run=run))
    if run.status in ("done", "failed") and request.headers.get("HX-Request"):
        response.headers["HX-Refresh"] = "true"
    return response


@bp.route("/projects/<int:project_id>/invite", methods=["POST"])
@staff_required
def invite(project_id):
    project = db.get_or_404(Project, project_id)
    run = runs.latest_run(project)
    if request.form.get("suggested") and run is not None:
        ids = list(run.suggested_team or [])
    else:
        ids = [int(v) for v in request.form.getlist("volunteer_id") if is_id(v)]
    try:
        invited, skipped = invite_volunteers(current_user, project, ids, match_run_id=run.id if run else None)
    except DomainError as err:
        flash(err.message, "error")
    else:
        msg = f"Invited {len(invited)} volunteer{'s' if len(invited) != 1 else ''}."
        if skipped:
            msg += f" Skipped {len(skipped)} ({', '.join(sorted(set(skipped.values())))})."
        flash(msg, "success" if invited else "warning")
    return redirect(url_for("recruiting.project", project_id=project.id))


@bp.route("/projects/<int:project_id>/lead", methods=["POST"])
@staff_required
def choose_lead(project_id):
    project = db.get_or_404(Project, project_id)
    try:
        activated = name_lead(current_user, project, request.form.get("membership_id", type=page_number))
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(
            "Lead named. The team is formed: the project is active, its sprints are set, and the team and "
            "the campaign have been told."
            if activated
            else "Lead named; the team and the campaign have been told." if project.status == ProjectStatus.ACTIVE
            else "Lead named. The project becomes active once the team reaches its minimum size.",
            "success",
        )
    return redirect(url_for("recruiting.project", project_id=project.id))


@bp.route("/projects/<int:project_id>/why-not")
@staff_required
def why_not(project_id):
    project = db.get_or_404(Project, project_id)
    from app.recruiting.explain import why_not_for

    query = request.args.get("q", "").strip()
    try:
        answer = why_not_for(project, query)
    except DomainError as err:
        answer = {"error": err.message}
    template = "recruiting/_why_not.html" if request.headers.get("HX-Request") else "recruiting/why_not.html"
    return render_template(template, answer=answer, query=query, project=project)
