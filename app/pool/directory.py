"""The staff directory of volunteers: search and filters done in the database, one page at a time.

Three queries per page whatever its size: the count, the page's rows (hours committed come from one
grouped subquery), and the page's skills. Filters use the indexes declared in app/models/leads.py.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import and_, exists, func

from app.extensions import db
from app.models import Project, Skill, TeamMembership, User, VolunteerProfile, VolunteerSkill
from app.models.base import utcnow
from app.places import us_states
from app.teams.commitments import OPEN_PROJECT_STATUSES
from app.lifecycle import MembershipStatus

PER_PAGE = 50
MAX_PER_PAGE = 200
# Counting stops here ("10,000+"): a broad search costs a bounded scan, not one of the whole pool,
# and pages go no deeper than the count (a deep OFFSET costs as much as the rows it skips).
COUNT_CAP = 10_000
ACTIVE_WITHIN = (("", "Any time"), ("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days"),
                 ("365", "Last year"))
YES_NO = ("", "yes", "no")


@dataclass
class Filters:
    q: str = ""
    skill_id: int | None = None
    min_level: int = 1
    state: str = ""
    city: str = ""
    min_free_hours: int | None = None
    lead_trained: str = ""  # "", "yes", "no"
    active_within: str = ""  # days, as in ACTIVE_WITHIN
    paused: str = ""  # "", "yes", "no"
    page: int = 1
    per_page: int = PER_PAGE
    errors: dict = field(default_factory=dict)

    def args(self, **over):
        """Query-string arguments reproducing these filters (for paging links)."""
        out = {k: v for k, v in {
            "q": self.q, "skill_id": self.skill_id, "min_level": self.min_level if self.skill_id else None,
            "state": self.state, "city": self.city, "min_free_hours": self.min_free_hours,
            "lead_trained": self.lead_trained, "active_within": self.active_within, "paused": self.paused,
            "per_page": self.per_page if self.per_page != PER_PAGE else None,
        }.items() if v not in ("", None)}
        out.update(over)
        return out


def parse_filters(args):
    """Filters from a query string; anything unreadable is dropped and explained in `errors`."""
    f, errors = Filters(), {}

    def number(name, low, high, label):
        raw = (args.get(name) or "").strip()
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            errors[name] = f"{label} must be a whole number from {low} to {high}."
            return None
        return value

    f.q = (args.get("q") or "").strip()[:100]
    f.skill_id = number("skill_id", 1, 2**31 - 1, "Skill")
    f.min_level = number("min_level", 1, 4, "Level") or 1
    state = (args.get("state") or "").strip().upper()
    if state and state not in _state_codes():
        errors["state"] = "Choose a state from the list."
        state = ""
    f.state = state
    f.city = (args.get("city") or "").strip()[:100]
    f.min_free_hours = number("min_free_hours", 0, 40, "Free hours")
    f.lead_trained = args.get("lead_trained", "") if args.get("lead_trained", "") in YES_NO else ""
    f.paused = args.get("paused", "") if args.get("paused", "") in YES_NO else ""
    f.active_within = args.get("active_within", "") if args.get("active_within", "") in dict(ACTIVE_WITHIN) else ""
    f.page = number("page", 1, 100_000, "Page") or 1
    f.per_page = number("per_page", 1, MAX_PER_PAGE, "Rows per page") or PER_PAGE
    f.errors = errors
    return f


@lru_cache(maxsize=1)
def _state_codes():
    return frozenset(code for code, _ in us_states())


def committed_subquery():
    """Hours/week each volunteer has promised to unfinished projects (the commitments rule)."""
    return (
        db.select(TeamMembership.volunteer_id.label("volunteer_id"),
                  func.sum(TeamMembership.hours_per_week).label("committed"))
        .join(Project, Project.id == TeamMembership.project_id)
        .where(TeamMembership.status == MembershipStatus.ACTIVE, Project.status.in_(OPEN_PROJECT_STATUSES))
        .group_by(TeamMembership.volunteer_id)
        .subquery()
    )


def _conditions(f, committed, now):
    """(conditions, needs the users table, needs the commitments subquery)."""
    # Closing an account opts the profile out (app/account/services.py), so this hides closed ones too.
    conds = [VolunteerProfile.opted_out.is_(False)]
    if f.q:
        like = f"%{f.q.lower()}%"
        conds.append(db.or_(func.lower(User.name).like(like), func.lower(VolunteerProfile.headline).like(like)))
    if f.skill_id:
        conds.append(exists().where(
            VolunteerSkill.volunteer_id == VolunteerProfile.id,
            VolunteerSkill.skill_id == f.skill_id, VolunteerSkill.level >= f.min_level,
        ))
    if f.state:
        conds.append(VolunteerProfile.current_state == f.state)
    if f.city:
        conds.append(VolunteerProfile.current_city == f.city)
    if f.min_free_hours is not None:
        conds.append(VolunteerProfile.hours_per_week - func.coalesce(committed.c.committed, 0) >= f.min_free_hours)
    if f.lead_trained:
        conds.append(VolunteerProfile.lead_trained.is_(f.lead_trained == "yes"))
    if f.paused:
        conds.append(VolunteerProfile.paused.is_(f.paused == "yes"))
    if f.active_within:
        conds.append(User.last_login_at >= now - timedelta(days=int(f.active_within)))
    return and_(*conds), bool(f.q or f.active_within), f.min_free_hours is not None


@dataclass
class Page:
    rows: list
    total: int  # at most COUNT_CAP + 1
    page: int
    per_page: int

    @property
    def capped(self):
        return self.total > COUNT_CAP

    @property
    def pages(self):
        return max(1, -(-min(self.total, COUNT_CAP) // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def search(f, now=None):
    """One page of volunteers matching `f`, newest first, each a dict with their skills and free hours."""
    now = now or utcnow()
    committed = committed_subquery()
    where, needs_user, needs_committed = _conditions(f, committed, now)
    counted = db.select(VolunteerProfile.id)
    if needs_user:
        counted = counted.join(User, User.id == VolunteerProfile.user_id)
    if needs_committed:
        counted = counted.outerjoin(committed, committed.c.volunteer_id == VolunteerProfile.id)
    total = db.session.scalar(
        db.select(func.count()).select_from(counted.where(where).limit(COUNT_CAP + 1).subquery()))
    page = min(f.page, max(1, -(-min(total, COUNT_CAP) // f.per_page)))
    rows = db.session.execute(
        db.select(
            VolunteerProfile.id, User.name, User.email, User.last_login_at, VolunteerProfile.headline,
            VolunteerProfile.current_city, VolunteerProfile.current_state, VolunteerProfile.hours_per_week,
            func.coalesce(committed.c.committed, 0).label("committed"), VolunteerProfile.lead_trained,
            VolunteerProfile.paused,
        )
        .join(User, User.id == VolunteerProfile.user_id)
        .outerjoin(committed, committed.c.volunteer_id == VolunteerProfile.id)
        .where(where)
        .order_by(VolunteerProfile.id.desc())
        .limit(f.per_page)
        .offset((page - 1) * f.per_page)
    ).all() if total else []
    skills = {}
    if rows:
        for vid, name, level in db.session.execute(
            db.select(VolunteerSkill.volunteer_id, Skill.name, VolunteerSkill.level)
            .join(Skill, Skill.id == VolunteerSkill.skill_id)
            .where(VolunteerSkill.volunteer_id.in_([r.id for r in rows]))
            .order_by(VolunteerSkill.level.desc(), Skill.name)
        ):
            skills.setdefault(vid, []).append((name, level))
    return Page(
        rows=[{**r._mapping, "free": r.hours_per_week - float(r.committed), "skills": skills.get(r.id, [])}
              for r in rows],
        total=total, page=page, per_page=f.per_page,
    )


def skill_options():
    return db.session.execute(db.select(Skill.id, Skill.name).order_by(Skill.name)).all()
