"""The notification settings form: one choice per non-transactional kind."""
from flask_wtf import FlaskForm
from wtforms import RadioField

from app.notifications.kinds import KINDS

CHOICES = [("immediate", "Email at once"), ("digest", "Daily digest")]


def settings_form(current, formdata=None):
    """A form with a radio group per kind people may choose for, pre-set to `current` {kind: delivery}."""

    class SettingsForm(FlaskForm):
        pass

    for name, kind in KINDS.items():
        if not kind.transactional:
            setattr(SettingsForm, name, RadioField(kind.label, choices=CHOICES, default=current.get(name, "immediate"),
                                                   description=kind.description))
    return SettingsForm(formdata=formdata) if formdata is not None else SettingsForm()
