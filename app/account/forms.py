"""Closing an account asks for the password and an explicit confirmation."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired


class CloseAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(message="Enter your password.")])
    confirm = BooleanField(
        "I understand: my name, email and profile are removed; my team contributions stay, anonymised.",
        validators=[DataRequired(message="Tick the box to confirm.")],
    )
