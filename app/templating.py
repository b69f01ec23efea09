"""Jinja filters and globals used across templates."""
from datetime import date, datetime, timedelta
from functools import lru_cache

from markupsafe import Markup

from app import clock
from app.lifecycle import LABELS
from app.models.projects import MENU_CATEGORY_LABELS
from app.models.skills import LEVELS

# The lifecycle's labels, plus the statuses of things without a lifecycle table (match runs, the
# outbox). A badge is short: "Ended" there, the lifecycle's "Ended (project cancelled)" in messages.
STATUS_LABELS = {
    **LABELS,
    "ended": "Ended",
    "queued": "Queued",
    "running": "Running",
    "done": "Done",
    "failed": "Failed",
    "sent": "Sent",
}


# Staff navigation, in order; an entry shows once its area's blueprint is registered.
STAFF_NAV = (
    ("scoping.request_queue", "Requests"),
    ("scoping.menu", "Menu"),
    ("recruiting.board", "Matching"),
    ("teams.health_board", "Health board"),
    ("mail.outbox", "Outbox"),
    ("pool.directory_page", "Volunteers"),
    ("leads.staff_index", "Leads"),
)


@lru_cache(maxsize=256)
def options_html(pairs, selected=None):
    """The <option>s of a select over (value, label) `pairs` (a tuple), `selected` marked: built once per
    list and choice, because a 51-option loop in Jinja cost a quarter of the match page's rendering."""
    option, selected_attr = Markup('<option value="{}"{}>{}</option>'), Markup(" selected")
    return Markup("").join(option.format(value, selected_attr if value == selected else "", label)
                           for value, label in pairs)


def state_options(selected=""):
    """The <option>s of a US state filter."""
    from app.places import us_states

    return options_html(tuple(us_states()), selected)


def register_template_helpers(app):
    from app import lifecycle

    # Templates compare statuses with the lifecycle's enums (never bare strings) and ask it what is allowed.
    app.jinja_env.globals.update(
        RequestStatus=lifecycle.RequestStatus, ProjectStatus=lifecycle.ProjectStatus,
        InvitationStatus=lifecycle.InvitationStatus, MembershipStatus=lifecycle.MembershipStatus,
        CheckInReview=lifecycle.CheckInReview, LeadApplicationStatus=lifecycle.LeadApplicationStatus,
        TrainingSessionStatus=lifecycle.TrainingSessionStatus, TrainingSeatStatus=lifecycle.TrainingSeatStatus,
        can=lifecycle.can, state_options=state_options,
    )

    @app.context_processor
    def navigation():
        def staff_nav_links():
            return [(endpoint, label) for endpoint, label in STAFF_NAV if endpoint in app.view_functions]

        def unread_notifications():
            from flask_login import current_user

            from app.notifications.inbox import unread_count

            return unread_count(current_user) if current_user.is_authenticated else 0

        return {"staff_nav_links": staff_nav_links, "unread_notifications": unread_notifications}

    @app.template_filter("status_label")
    def status_label(value):
        return STATUS_LABELS.get(value, str(value).replace("_", " ").capitalize())

    @app.template_filter("menu_category")
    def menu_category(value):
        return MENU_CATEGORY_LABELS.get(value, str(value).replace("_", " ").capitalize())

    @app.template_filter("level_label")
    def level_label(value):
        return LEVELS.get(value, str(value))

    @app.template_filter("day")
    def day(value):
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value.strftime("%b %-d, %Y")
        return ""

    @app.template_filter("when")
    def when(value):
        if isinstance(value, datetime):
            return value.strftime("%b %-d, %Y %H:%M UTC")
        return ""

    @app.context_processor
    def globals_():
        return {"today": clock.today()}

    @app.template_filter("plural")
    def plural(word, n, plural_form=None):
        """'week'|plural(1) -> 'week'; 'week'|plural(2) -> 'weeks'; irregular: 'person'|plural(n, 'people')."""
        return word if n == 1 else (plural_form or word + "s")

    # Not "count": that is Jinja's own alias of `length`.
    @app.template_filter("counted")
    def counted(n, word, plural_form=None):
        """5000|counted('volunteer') -> '5,000 volunteers'; 1|counted('week') -> '1 week'."""
        return f"{number(n)} {plural(word, n, plural_form)}"

    @app.template_filter("number")
    def number(n):
        """Thousands separated the same way everywhere: 5000 -> '5,000'; 4.5 -> '4.5'."""
        if n is None or n == "":
            return ""
        n = float(n)  # ints, floats and Decimals (hours) alike
        if n.is_integer():
            return f"{int(n):,}"
        return f"{n:,.2f}".rstrip("0").rstrip(".")

    @app.template_filter("size_range")
    def size_range(low, high):
        """A team size: 'team of 3' when both ends agree, else 'team of 3-5'."""
        return str(low) if low == high else f"{low}-{high}"

    @app.template_filter("last_day")
    def last_day(end_date):
        """A phase's end date is the day after its last sprint; people read the last working day."""
        return day(end_date - timedelta(days=1)) if isinstance(end_date, date) else ""
