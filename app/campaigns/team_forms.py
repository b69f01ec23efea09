"""Forms for a campaign's own team: invitations, roles, handing ownership over."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField
from wtforms.validators import DataRequired, Email, Length

ROLE_CHOICES = [("member", "Member: sees everything, approves scopes, follows check-ins"),
                ("owner", "Owner: also invites and removes colleagues")]


class InviteColleagueForm(FlaskForm):
    email = EmailField("Colleague's email", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="member")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[("member", "Member"), ("owner", "Owner")])


class HandOverForm(FlaskForm):
    member_id = SelectField("New owner", coerce=int, validators=[DataRequired(message="Choose a colleague.")])
    leave = BooleanField("And take me off this campaign's team")


class ConfirmForm(FlaskForm):
    """One button (remove, leave, withdraw, join): only the CSRF token."""
