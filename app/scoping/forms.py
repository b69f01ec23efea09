"""Staff forms: request status, scoping a project, menu items and skills.

Size rules (weeks, team size, hours) are the services' rules; the forms repeat them with the
services' own messages so that every broken rule shows at once, beside its field, together with
the other field errors (the services still enforce them for every other caller).
"""
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.form_fields import FiniteFloatField
from app.models.projects import MENU_CATEGORIES, MENU_CATEGORY_LABELS
from app.models.skills import CATEGORY_LABELS, LEVELS, SKILL_CATEGORIES
from app.scoping.rules import MAX_TEAM, MAX_WEEKS, MIN_TEAM, MIN_WEEKS, WEEKS_MESSAGE

TEAM_MESSAGE = f"A team has {MIN_TEAM} to {MAX_TEAM} members."

LEVEL_CHOICES = [(n, f"{n} · {label}") for n, label in LEVELS.items()]


class MetricRow(Form):
    name = StringField("Metric", validators=[Optional(), Length(max=160)])
    unit = StringField("Unit", validators=[Optional(), Length(max=40)])
    target = FiniteFloatField("Target", validators=[Optional()])


class SkillRow(Form):
    skill_id = SelectField("Skill", choices=[], validate_choice=False)
    level = SelectField("Level", choices=LEVEL_CHOICES, coerce=int, default=2)
    weight = FiniteFloatField("Weight", validators=[Optional(), NumberRange(min=0.1, max=10)], default=1.0)


class _ScopeFields(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=160)])
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=4000)])
    deliverables = TextAreaField(
        "Deliverables", validators=[DataRequired()], description="One per line: what the team hands over."
    )
    campaign_provides = TextAreaField(
        "What the campaign provides", validators=[Optional(), Length(max=4000)],
        description="Access, content, decisions, a contact person…",
    )
    metrics = FieldList(FormField(MetricRow), min_entries=1)
    skills = FieldList(FormField(SkillRow), min_entries=1)
    team_min = IntegerField("Smallest team", validators=[InputRequired(), NumberRange(MIN_TEAM, MAX_TEAM, TEAM_MESSAGE)])
    team_max = IntegerField("Largest team", validators=[InputRequired(), NumberRange(MIN_TEAM, MAX_TEAM, TEAM_MESSAGE)])
    hours_per_week = IntegerField("Hours per week per person",
                                  validators=[InputRequired(), NumberRange(1, 40, "Between 1 and 40 hours a week.")])
    weeks = IntegerField("Weeks", validators=[InputRequired(), NumberRange(MIN_WEEKS, MAX_WEEKS, WEEKS_MESSAGE)],
                         description="1 to 8; more work is a follow-on project.")

    def set_skill_choices(self, choices):
        options = [("", "—")] + [(str(sid), label) for sid, label in choices]
        for row in self.skills:
            row.form.skill_id.choices = options


class ScopeForm(_ScopeFields):
    start_date = DateField("Start date", validators=[InputRequired(message="Choose the start date.")])
    previous_project_id = SelectField(
        "Follows on from", choices=[("", "— a new piece of work —")], validate_choice=False,
        description="For more work after a phase: a new project linked to the previous one.",
    )


class TemplateForm(_ScopeFields):
    category = SelectField("Menu category", choices=[(c, MENU_CATEGORY_LABELS[c]) for c in MENU_CATEGORIES])


class RequestStatusForm(FlaskForm):
    status = SelectField(
        "Status",
        choices=[("new", "New"), ("in_conversation", "In conversation"), ("declined", "Declined")],
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=4000)],
                         description="Required when declining; the campaign will read it.")


class PhoneApprovalForm(FlaskForm):
    note = TextAreaField("Who approved, when and how", validators=[Optional(), Length(max=2000)])


class SkillForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    category = SelectField("Category", choices=[(c, CATEGORY_LABELS[c]) for c in SKILL_CATEGORIES])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])


class CancelProjectForm(FlaskForm):
    """Cancelling needs a reason: the campaign, the team and every invitee read it."""

    reason = TextAreaField("Why is it cancelled?", validators=[Optional(), Length(max=2000)],
                           description="Everyone on the project reads this.")


class RescheduleForm(FlaskForm):
    start_date = DateField("New start date", validators=[Optional()])
    weeks = IntegerField("Weeks (1 to 8)", validators=[Optional(), NumberRange(min=1, max=8,
                                                                               message="A phase lasts 1 to 8 weeks.")])
