"""Closing an account asks for the password and an explicit confirmation."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Optional


class CloseAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(message="Enter your password.")])
    confirm = BooleanField(
        "I understand: my name, email and profile are removed; my team contributions stay, anonymised.",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )
    # Shown only to a volunteer on a forming or working team; the service insists on it then.
    leave_teams = BooleanField("Leave my team(s) first: the team, the lead, the campaign and staff are told.",
                               validators=[Optional()])
