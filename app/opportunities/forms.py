"""Answering an invitation."""
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional


class RespondForm(FlaskForm):
    answer = StringField(validators=[AnyOf(("accept", "decline"), message="Choose accept or decline.")])
    # the category feeds the volunteer's next match runs (app/matching: interest component)
    category = SelectField(
        "Main reason, if you decline",
        choices=[("", "No particular reason"), ("time", "Not enough time"), ("skills", "Not my skills"),
                 ("dates", "The dates don't work")],
        default="",
    )
    reason = TextAreaField(
        "Why not? (optional — it helps us send better opportunities)", validators=[Optional(), Length(max=2000)]
    )
