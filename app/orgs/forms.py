"""Forms for an organisation's integrations: API keys, webhook endpoints."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, URLField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.forms import PASSWORD_RULES
from app.volunteers.forms import MultiCheckboxField
from app.webhooks.endpoints import EVENT_LABELS


class ApiKeyForm(FlaskForm):
    name = StringField("Key name", validators=[DataRequired(), Length(max=80)],
                       description="What uses it, e.g. 'VAN sync'.")
    scope = SelectField("Access", choices=[("read", "Read only"), ("read_write", "Read and write")])


class ReferralForm(FlaskForm):
    password = PasswordField("Choose a password", validators=PASSWORD_RULES)
    confirm = PasswordField("Repeat password",
                            validators=[DataRequired(), EqualTo("password", message="The passwords differ.")])


class WebhookEndpointForm(FlaskForm):
    url = URLField("Endpoint URL", validators=[DataRequired(), Length(max=500)],
                   description="We POST each event there, signed as Standard Webhooks says.")
    events = MultiCheckboxField("Events", choices=[(k, v) for k, v in EVENT_LABELS.items()])
