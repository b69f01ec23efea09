"""The POST half of a form page, written once: validate, make the one service call, then either
redirect with a message or hand the form back (with the rule that was broken beside its field).

    form = CancelProjectForm()
    done = submit_form(form, lambda: changes.cancel_project(current_user, project, form.reason.data),
                       done=url_for(...), message="The project is cancelled.")
    return done or _project_page(project, 422, cancel_form=form)

`submit_form` returns the redirect on success, None otherwise (a GET, a form that failed its own
checks, or a DomainError): the view then renders its page again, with what was typed.
"""
from flask import flash, redirect

from app.errors.domain import DomainError, attach_error
from app.extensions import db


def submit_form(form, act, done, message):
    """Run `act()` if `form` validates. `done` and `message` may be callables of act's result."""
    if not form.validate_on_submit():
        return None
    try:
        result = act()
    except DomainError as err:
        db.session.rollback()  # nothing the service began stays half-written
        attach_error(form, err)
        return None
    flash(message(result) if callable(message) else message, "success")
    return redirect(done(result) if callable(done) else done)
