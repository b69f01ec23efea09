"""Forms of the team workspace. The check-in form grows one field per member, deliverable and metric."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, URL

from app.form_fields import FiniteDecimalField, FiniteFloatField

STATUS_CHOICES = [("on_track", "On track"), ("at_risk", "At risk"), ("off_track", "Off track")]


class CheckInForm(FlaskForm):
    status = RadioField("How is the sprint going?", choices=STATUS_CHOICES, validators=[InputRequired(
        message="Pick on track, at risk or off track.")])
    done = TextAreaField("What was done", validators=[Optional(), Length(max=5000)])
    next_steps = TextAreaField("What is next", validators=[Optional(), Length(max=5000)])
    blockers = TextAreaField("Blockers", validators=[Optional(), Length(max=5000)],
                             description="Anything the campaign or staff can unblock.")


def checkin_form_class(members, deliverables, metrics):
    """A CheckInForm subclass with hours_<membership>, progress_<deliverable>, metric_<metric> fields."""

    class ProjectCheckInForm(CheckInForm):
        pass

    for m in members:
        setattr(ProjectCheckInForm, f"hours_{m.id}", FiniteDecimalField(
            f"Hours: {m.volunteer.user.name}", places=1,
            validators=[InputRequired(message="Enter the hours (0 if none)."),
                        NumberRange(min=0, max=80, message="Between 0 and 80 hours.")],
            description=f"committed {m.hours_per_week} h/week"))
    for d in deliverables:
        setattr(ProjectCheckInForm, f"progress_{d.id}", IntegerField(
            f"Progress: {d.title} (%)",
            validators=[InputRequired(message="Enter a percentage (0 to 100)."),
                        NumberRange(min=0, max=100, message="A percentage between 0 and 100.")]))
    for metric in metrics:
        target = f"target {metric.target:g} {metric.unit}".strip() if metric.target is not None else ""
        setattr(ProjectCheckInForm, f"metric_{metric.id}", FiniteFloatField(
            f"Current value: {metric.name}" + (f" ({metric.unit})" if metric.unit else ""),
            validators=[Optional(), NumberRange(min=0, message="A metric cannot be negative.")], description=target or "Leave blank if there is no new reading."))
    return ProjectCheckInForm


def checkin_data(form, members, deliverables, metrics):
    """The service's input, from a validated check-in form."""
    return {
        "status": form.status.data,
        "done": form.done.data,
        "next_steps": form.next_steps.data,
        "blockers": form.blockers.data,
        "hours": {m.id: float(getattr(form, f"hours_{m.id}").data) for m in members},
        "progress": {d.id: getattr(form, f"progress_{d.id}").data for d in deliverables},
        "metrics": {x.id: getattr(form, f"metric_{x.id}").data for x in metrics},
    }


def prefill_checkin(form, checkin, members, deliverables, metrics):
    """Fill an empty form from the existing check-in (or the latest values)."""
    hours = {h.membership_id: h.hours for h in checkin.hours} if checkin else {}
    progress = {p.deliverable_id: p.progress for p in checkin.deliverable_progress} if checkin else {}
    values = {v.metric_id: v.value for v in checkin.metric_values} if checkin else {}
    if checkin:
        form.status.data = checkin.status
        form.done.data = checkin.done
        form.next_steps.data = checkin.next_steps
        form.blockers.data = checkin.blockers
    for m in members:
        getattr(form, f"hours_{m.id}").data = hours.get(m.id, m.hours_per_week if not checkin else 0)
    for d in deliverables:
        getattr(form, f"progress_{d.id}").data = progress.get(d.id, d.progress)
    for x in metrics:
        getattr(form, f"metric_{x.id}").data = values.get(x.id, x.current_value)


class AcknowledgeForm(FlaskForm):
    comment = TextAreaField("Comment (optional)", validators=[Optional(), Length(max=2000)])


class NoteForm(FlaskForm):
    body = TextAreaField("Add a note", validators=[DataRequired(message="Write something first."), Length(max=2000)])


class FinalReportForm(FlaskForm):
    deliverables_done = TextAreaField("Deliverables done", validators=[DataRequired(
        message="Say which deliverables were done."), Length(max=10000)])
    metrics_reached = TextAreaField("Metrics reached", validators=[Optional(), Length(max=10000)])
    handover_notes = TextAreaField("Hand-over notes", validators=[Optional(), Length(max=10000)],
                                   description="Where things live, logins handed over, what the campaign does next.")


# A scale people can read without guessing which end is good.
RATING_WORDS = ((1, "poor"), (2, "fair"), (3, "good"), (4, "very good"), (5, "excellent"))


class RatingForm(FlaskForm):
    score = RadioField("Your rating", choices=[(str(i), f"{i} — {word}") for i, word in RATING_WORDS],
                       validators=[InputRequired(message="Pick a score from 1 to 5.")])
    comment = TextAreaField("What worked, what did not (optional)", validators=[Optional(), Length(max=10000)])


class LinksForm(FlaskForm):
    chat_url = StringField("Team chat", validators=[Optional(), URL(message="A full link, https://…"), Length(max=255)])
    board_url = StringField("Task board", validators=[Optional(), URL(message="A full link, https://…"), Length(max=255)])
    repo_url = StringField("Code repository", validators=[Optional(), URL(message="A full link, https://…"), Length(max=255)])


class ConfirmForm(FlaskForm):
    """A button with CSRF protection."""


class LeaveForm(FlaskForm):
    """Leaving a team (or recording that someone left): why, and an explicit confirmation."""

    reason = TextAreaField("Why?", validators=[DataRequired(message="Say in a few words why, so the team and staff "
                                                                  "can plan."), Length(max=2000)],
                           description="The lead and staff read this; the team and the campaign are only told "
                                       "that the member left.")
    confirm = BooleanField("Yes: end this membership now. The team, the lead, the campaign and staff are told.",
                           validators=[DataRequired(message="Tick the box to confirm.")])
