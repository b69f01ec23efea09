"""Answering an invitation."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional


class RespondForm(FlaskForm):
    answer = StringField(validators=[AnyOf(("accept", "decline"), message="Choose accept or decline.")])
    reason = TextAreaField(
        "Why not? (optional — it helps us send better opportunities)", validators=[Optional(), Length(max=2000)]
    )
