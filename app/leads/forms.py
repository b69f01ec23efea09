"""Forms of the lead pipeline."""
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TextAreaField, TimeField, URLField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, URL

from app.places import US_TIMEZONES


class ApplyToLeadForm(FlaskForm):
    note = TextAreaField(
        "Your experience", validators=[DataRequired(), Length(min=20, max=2000)],
        description="A sentence or two: teams you have led or coordinated, at work or as a volunteer.",
    )


class WhenForm(FlaskForm):
    """When a session starts; moving a session asks only this."""
    day = DateField("Day", validators=[DataRequired()])
    time = TimeField("Start time", validators=[DataRequired()])
    timezone = SelectField("Time zone", choices=[(tz, tz.replace("_", " ")) for tz in US_TIMEZONES])


class SessionForm(WhenForm):
    duration_minutes = IntegerField("Length (minutes)", default=90, validators=[InputRequired(), NumberRange(15, 480)])
    capacity = IntegerField("Seats", default=8, validators=[InputRequired(), NumberRange(1, 100)])
    meeting_link = URLField("Meeting link", validators=[DataRequired(), URL(message="Enter a full https:// address."),
                                                         Length(max=500)])
    trainer_id = SelectField("Trainer", coerce=int, validators=[DataRequired()])


class NoteForm(FlaskForm):
    note = TextAreaField("Where and when was the training?", validators=[DataRequired(), Length(min=5, max=2000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired(), Length(min=5, max=2000)])


class CancelSessionForm(FlaskForm):
    reason = TextAreaField("Why is it called off? (optional)", validators=[Optional(), Length(max=500)],
                           description="Every invitee and the trainer read this, e.g. \"Our trainer is ill\".")
