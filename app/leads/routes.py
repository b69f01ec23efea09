"""The lead pipeline's pages: asking to lead, the lead's guide, staff's applicants and sessions,
and a trainer's own sessions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.errors.domain import DomainError, attach_error
from app.extensions import db
from app.leads import applications, changes, sessions, status
from app.leads.forms import ApplyToLeadForm, CancelSessionForm, NoteForm, ReasonForm, SessionForm, WhenForm
from app.lifecycle import TrainingSeatStatus, TrainingSessionStatus
from app.links import external_url
from app.permissions import (
    is_lead_trainer,
    may_change_training_session,
    may_run_training_session,
    staff_or_trainer_required,
    staff_required,
    volunteer_required,
)

bp = Blueprint("leads", __name__)


@bp.app_template_global("external_url")
def _external_url(endpoint, **values):
    # Emails rendered in jobs (no request) link to pages through PUBLIC_URL.
    return external_url(endpoint, **values)


@bp.route("/guide")
@login_required
def guide():
    return render_template("leads/guide.html")


@bp.route("/apply", methods=["GET", "POST"])
@volunteer_required
def apply():
    profile = current_user.volunteer_profile
    current = applications.application_for(profile)
    form = ApplyToLeadForm(obj=current) if request.method == "GET" else ApplyToLeadForm()
    if form.validate_on_submit():
        try:
            applications.apply_to_lead(current_user, form.note.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Thank you! Staff will invite you to the next lead training session.", "success")
            return redirect(url_for("leads.apply"))
    return render_template("leads/apply.html", form=form, profile=profile, is_trainer=is_lead_trainer(current_user),
                           **applications.lead_status(profile))


@bp.route("/")
@staff_required
def staff_index():
    return render_template(
        "leads/staff_index.html", applicants=applications.applicants(), sessions=sessions.upcoming(),
        trainers=status.trainers(),
    )


@bp.route("/sessions")
@staff_or_trainer_required
def my_sessions():
    trainer_id = None if current_user.is_staff else current_user.id
    return render_template("leads/my_sessions.html", sessions=sessions.upcoming(trainer_id=trainer_id))


@bp.route("/sessions/new", methods=["GET", "POST"])
@staff_required
def new_session():
    form = SessionForm()
    form.trainer_id.choices = status.trainer_choices()
    if request.method == "GET":
        form.trainer_id.data = current_user.id
    if form.validate_on_submit():
        try:
            session = sessions.schedule(current_user, form.data)
        except DomainError as err:
            attach_error(form, err)
        else:
            flash("Session scheduled. Invite applicants to it below.", "success")
            return redirect(url_for("leads.session_detail", session_id=session.id))
    return render_template("leads/session_form.html", form=form), 200 if not form.errors else 422


def _session_or_404(session_id):
    session = sessions.session_or_none(session_id)
    if session is None or not may_run_training_session(current_user, session):
        abort(404)
    return session


def _session_page(session, cancel_form=None, move_form=None, status=200):
    cancelled = session.status == TrainingSessionStatus.CANCELLED
    waiting = applications.applicants() if current_user.is_staff and not cancelled else []
    seated = {s.volunteer_id for s in session.seats}
    staff = may_change_training_session(current_user, session)
    start = sessions.local_start(session)
    if move_form is None and staff and changes.reschedule_refusal(session) is None:
        move_form = WhenForm(formdata=None, day=start.date(), time=start.time(), timezone=session.timezone)
    return render_template(
        "leads/session.html", session=session, start=start,
        waiting=[(a, r) for a, r in waiting if a.volunteer_id not in seated],
        cancellation=changes.cancellations([session.id]).get(session.id) if cancelled else None,
        cancel_form=cancel_form or (CancelSessionForm() if staff and changes.cancel_refusal(session) is None else None),
        move_form=move_form,
    ), status


@bp.route("/sessions/<int:session_id>")
@staff_or_trainer_required
def session_detail(session_id):
    return _session_page(_session_or_404(session_id))


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@staff_required
def cancel_session(session_id):
    session = _session_or_404(session_id)
    form = CancelSessionForm()
    invitees = sum(1 for s in session.seats if s.status == TrainingSeatStatus.INVITED)
    trainer_told = session.trainer_id != current_user.id
    if form.validate_on_submit():
        try:
            changes.cancel_session(current_user, session, form.reason.data)
        except DomainError as err:
            db.session.rollback()
            if err.field:  # the reason: shown beside it, what they typed kept
                attach_error(form, err)
                return _session_page(sessions.session_or_none(session_id), cancel_form=form, status=422)
            flash(err.message, "error")  # cancelled or held meanwhile: the page shows what it is now
        else:
            flash(cancelled_message(invitees, trainer_told), "success")
        return redirect(url_for("leads.session_detail", session_id=session_id))
    return _session_page(session, cancel_form=form, status=422)


def cancelled_message(invitees, trainer_told):
    """What staff read after cancelling: who was told."""
    people = f"{invitees} invitee{'' if invitees == 1 else 's'}"
    if invitees and trainer_told:
        return f"The session is cancelled. {people} and the trainer were told; the invitees are back in the queue."
    if invitees:
        return f"The session is cancelled. {people} {'was told and is' if invitees == 1 else 'were told and are'} back in the queue."
    return "The session is cancelled." + (" The trainer was told." if trainer_told else "")


@bp.route("/sessions/<int:session_id>/reschedule", methods=["POST"])
@staff_required
def reschedule_session(session_id):
    session = _session_or_404(session_id)
    form = WhenForm()
    if form.validate_on_submit():
        try:
            _, told = changes.reschedule_session(current_user, session, form.data)
        except DomainError as err:
            db.session.rollback()
            if not err.field:  # cancelled, held or started meanwhile: the page shows what it is now
                flash(err.message, "error")
                return redirect(url_for("leads.session_detail", session_id=session_id))
            attach_error(form, err)
        else:
            flash(f"The session is moved. {told} invitee{'' if told == 1 else 's'} told; they keep their seats.",
                  "success")
            return redirect(url_for("leads.session_detail", session_id=session_id))
    return _session_page(sessions.session_or_none(session_id), move_form=form, status=422)


@bp.route("/sessions/<int:session_id>/invite", methods=["POST"])
@staff_required
def invite(session_id):
    session = _session_or_404(session_id)
    try:
        ids = [int(v) for v in request.form.getlist("volunteer_id")]
        invited, skipped = sessions.invite(current_user, session, ids)
    except ValueError:
        flash("Pick applicants from the list.", "error")
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash(f"Invited {len(invited)}." + (f" Skipped {len(skipped)}: " + "; ".join(sorted(set(skipped.values())))
                                             if skipped else ""), "success" if invited else "info")
    return redirect(url_for("leads.session_detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/attendance", methods=["POST"])
@staff_or_trainer_required
def attendance(session_id):
    session = _session_or_404(session_id)
    try:
        volunteer_id = int(request.form.get("volunteer_id", ""))
        sessions.record_attendance(current_user, session, volunteer_id, request.form.get("attended") == "yes")
    except ValueError:
        flash("Pick someone from the list.", "error")
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash("Attendance recorded.", "success")
    return redirect(url_for("leads.session_detail", session_id=session.id))


def _staff_action(action, form_class, volunteer_id, success):
    form = form_class()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    else:
        try:
            action(current_user, volunteer_id, *[f.data for f in form if f.name != "csrf_token"])
        except DomainError as err:
            flash(err.message, "error")
        else:
            flash(success, "success")
    return redirect(url_for("pool.profile", volunteer_id=volunteer_id))


@bp.route("/volunteers/<int:volunteer_id>/external", methods=["POST"])
@staff_required
def record_external(volunteer_id):
    return _staff_action(status.record_external_training, NoteForm, volunteer_id, "Recorded: lead-trained.")


@bp.route("/volunteers/<int:volunteer_id>/withdraw", methods=["POST"])
@staff_required
def withdraw(volunteer_id):
    return _staff_action(status.withdraw_status, ReasonForm, volunteer_id, "Lead-trained status withdrawn.")


@bp.route("/volunteers/<int:volunteer_id>/trainer", methods=["POST"])
@staff_required
def make_trainer(volunteer_id):
    try:
        status.make_trainer(current_user, volunteer_id)
    except DomainError as err:
        flash(err.message, "error")
    else:
        flash("They can now run lead training sessions.", "success")
    return redirect(url_for("pool.profile", volunteer_id=volunteer_id))
