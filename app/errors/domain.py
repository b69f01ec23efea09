"""Domain errors raised by services and shown to users beside the field they concern."""


class DomainError(Exception):
    """A rule was broken. `field` names the form field the message belongs beside, if any."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def attach_error(form, err):
    """Show a DomainError beside its field, or as a form-level error, keeping what was typed."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = list(field.errors) + [err.message]
    else:
        form.form_errors.append(err.message)
