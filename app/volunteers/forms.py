"""The volunteer profile form."""
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.places import US_TIMEZONES, us_states


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def state_choices(blank="Choose a state"):
    return [("", blank)] + [(code, name) for code, name in us_states()]


class ProfileForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    headline = StringField(
        "Headline", validators=[Optional(), Length(max=160)], description="e.g. Front-end engineer, 8 years"
    )
    bio = TextAreaField("About you", validators=[Optional(), Length(max=4000)])
    home_city = StringField("Hometown", validators=[DataRequired(), Length(max=100)])
    home_state = SelectField("Hometown state", validators=[DataRequired()])
    current_city = StringField("Current city", validators=[DataRequired(), Length(max=100)])
    current_state = SelectField("Current state", validators=[DataRequired()])
    hours_per_week = IntegerField(
        "Hours per week you can give",
        validators=[DataRequired(), NumberRange(min=1, max=40, message="Between 1 and 40 hours.")],
    )
    available_from = DateField("Available from", validators=[DataRequired()])
    available_until = DateField("Available until", validators=[Optional()], description="Leave empty if open-ended")
    timezone = SelectField("Time zone", choices=[(tz, tz.split("/")[-1].replace("_", " ")) for tz in US_TIMEZONES])
    causes = MultiCheckboxField("Causes you care about", coerce=int)
    links = TextAreaField(
        "Links", validators=[Optional(), Length(max=1000)], description="Portfolio, GitHub, LinkedIn — one per line"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.home_state.choices = state_choices()
        self.current_state.choices = state_choices()
