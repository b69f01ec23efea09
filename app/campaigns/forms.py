"""Campaign forms."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, URL

from app.models.campaigns import OFFICE_LEVELS
from app.models.projects import MENU_CATEGORIES, MENU_CATEGORY_LABELS
from app.places import US_TIMEZONES
from app.submissions import OnceOnlyForm
from app.volunteers.forms import MultiCheckboxField, state_choices

OFFICE_LEVEL_LABELS = {
    "federal": "Federal (Congress)",
    "state": "State (governor, legislature, statewide)",
    "county": "County",
    "municipal": "City or town",
    "school_board": "School board",
    "judicial": "Judicial",
    "other": "Other",
}


class CampaignForm(OnceOnlyForm, FlaskForm):
    name = StringField("Campaign name", validators=[DataRequired(), Length(max=160)])
    candidate_name = StringField("Candidate", validators=[DataRequired(), Length(max=120)])
    office = StringField(
        "Office sought", validators=[DataRequired(), Length(max=120)], description="e.g. State House, District 68"
    )
    office_level = SelectField("Level", choices=[(v, OFFICE_LEVEL_LABELS[v]) for v in OFFICE_LEVELS])
    state = SelectField("State", validators=[DataRequired()])
    district = StringField("District", validators=[Optional(), Length(max=60)])
    city = StringField("City", validators=[DataRequired(), Length(max=100)], description="Where the campaign is based")
    timezone = SelectField("Time zone", choices=[(tz, tz.split("/")[-1].replace("_", " ")) for tz in US_TIMEZONES])
    election_date = DateField("Election date", validators=[DataRequired()])
    website = URLField("Website", validators=[Optional(), URL(message="Enter a full address, e.g. https://…"), Length(max=255)])
    description = TextAreaField("About the campaign", validators=[Optional(), Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.state.choices = state_choices()


class HelpRequestForm(OnceOnlyForm, FlaskForm):
    goals = TextAreaField(
        "What do you want to achieve?", validators=[DataRequired(), Length(max=4000)],
        description="e.g. raise $20k online before the primary; grow the email list to 5,000",
    )
    categories = MultiCheckboxField(
        "Which kinds of help do you need?", choices=[(c, MENU_CATEGORY_LABELS[c]) for c in MENU_CATEGORIES]
    )
    timing = TextAreaField(
        "Timing", validators=[Optional(), Length(max=2000)], description="Deadlines, key dates, when you could start"
    )
    desired_start = DateField("Earliest start", validators=[Optional()])
    constraints = TextAreaField(
        "Constraints", validators=[Optional(), Length(max=2000)],
        description="Tools you already use, budget, compliance rules, who decides",
    )


class ScopeDecisionForm(FlaskForm):
    comment = TextAreaField(
        "What should change?", validators=[Optional(), Length(max=4000)],
        description="Needed when you ask for changes.",
    )


class WithdrawRequestForm(FlaskForm):
    reason = TextAreaField("Why (optional)", validators=[Optional(), Length(max=2000)],
                           description="Helps our staff; nothing else changes for your campaign.")
