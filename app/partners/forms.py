"""Partner forms."""
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from app.models.organisations import PARTNER_KINDS
from app.volunteers.forms import state_choices

KIND_LABELS = {"caucus": "State caucus", "party": "Party", "pac": "PAC", "union": "Union", "other": "Other"}


class PartnerForm(FlaskForm):
    name = StringField("Organisation name", validators=[DataRequired(), Length(max=160)])
    kind = SelectField("Kind", choices=[(k, KIND_LABELS[k]) for k in PARTNER_KINDS])
    state = SelectField("State", choices=[("", "National")])
    owner_email = EmailField("First member's email", validators=[DataRequired(), Email()],
                             description="They need a campaign-side account already.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = state_choices(blank="National")


class PriorityForm(FlaskForm):
    tier = SelectField("Priority", choices=[("1", "Top priority"), ("2", "Normal"), ("3", "Low")])


class InviteCampaignForm(FlaskForm):
    email = EmailField("Email of someone who runs the campaign", validators=[DataRequired(), Email(), Length(max=254)],
                       description="An owner of the campaign on Barnstorm; they accept or decline.")
