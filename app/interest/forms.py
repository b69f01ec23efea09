"""The browse filters (a GET form: nothing is changed, so no CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional


class BrowseForm(FlaskForm):
    class Meta:
        csrf = False

    skill = SelectField("Skill", coerce=int, default=0)
    hours = IntegerField("At most h/week", validators=[Optional(), NumberRange(1, 40, "Between 1 and 40 hours.")])
    weeks = IntegerField("At most weeks", validators=[Optional(), NumberRange(1, 8, "Projects last 1 to 8 weeks.")])
    state = SelectField("Campaign state", default="")
    cause = SelectField("Cause", coerce=int, default=0)
    near_me = BooleanField("Only campaigns in my state (all work is remote)")
