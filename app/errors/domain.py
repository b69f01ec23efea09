"""Domain errors raised by services and shown to users beside the field they concern."""


class DomainError(Exception):
    """A rule was broken. `field` names the form field the message belongs beside, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class DomainErrors(DomainError):
    """Several rules broken at once, so a form shows every problem together, not one per submit."""

    def __init__(self, errors):
        errors = list(errors)
        super().__init__(errors[0].message, errors[0].field)
        self.errors = errors


class AccessRefused(Exception):
    """The user may not see or do this: the app answers with an error page (see app/errors/handlers.py).

    Not a DomainError on purpose: routes catch DomainError to show it beside a form field,
    and a refusal must never turn into a message on a form the user should not have seen.
    """

    status = 403


class NotFound(AccessRefused):
    """404: the object does not exist, or the user may not know it does (ids reveal nothing)."""

    status = 404


class Forbidden(AccessRefused):
    """403: the user sees the object but may not do this to it."""

    status = 403


def attach_error(form, err):
    """Show a DomainError beside its field, or as a form-level error, keeping what was typed."""
    for one in getattr(err, "errors", None) or [err]:
        _attach_one(form, one)


def attach_problems(form, problems):
    """Add rule problems to a form that failed its own checks, on fields that have no error yet."""
    for err in problems:
        field = getattr(form, err.field, None) if err.field else None
        if field is None or not field.errors:
            _attach_one(form, err)


def _attach_one(form, err):
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = list(field.errors) + [err.message]
    else:
        form.form_errors.append(err.message)
