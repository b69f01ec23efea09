"""The demo builder's shared state and small helpers: towns to place people in (also used by the
synthetic loader), names, weighted draws, moments that are never in the future, the track-record counters.

The steps that use them are mixins in demo_people, demo_campaigns, demo_teams and demo_recruiting;
app/seed/demo.py puts them together (one random stream, drawn in the same order as always).
"""
import math
from datetime import date, datetime, time, timedelta

from app import clock
from app.extensions import db
from app.models import Cause, ProjectTemplate, Skill, User
from app.models.base import utcnow
from app.models.users import hash_password, new_session_token
from app.places import cities_in_state
from app.seed import demo_text as T
from app.seed.demo_people import PASSWORD

def _towns(state, min_pop=50_000):
    """A state's cities over `min_pop`, without neighbourhoods (places within 8 km of a bigger city)."""
    cities = cities_in_state(state)
    kept = []
    for c in cities:
        if c.population <= min_pop:
            break
        if all(haversine_km(c.lat, c.lon, k.lat, k.lon) > 8 for k in kept):
            kept.append(c)
    return kept or cities[:3]


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(a))


def skill_cover(skills, needs):
    """How much of a project's needs [(skill id, level, weight)] `skills` {id: level} cover, 0 to 1."""
    total = sum(w for _s, _l, w in needs)
    return sum(w * min(skills.get(s, 0), level) / level for s, level, w in needs) / total


def place_score(campaign, profile):
    """1 in the campaign's city (home or now), 0.6 in its state, 0.2 elsewhere."""
    if campaign.city_key in (profile.home_city_key, profile.current_city_key):
        return 1.0
    if campaign.state in (profile.home_state, profile.current_state):
        return 0.6
    return 0.2


class DemoBuilder:
    """Shared state of one demo build: the random stream, today, the menu, and what was made so far."""

    def __init__(self, rng, n_volunteers, n_campaigns):
        self.rng = rng
        self.n_volunteers = n_volunteers
        self.n_campaigns = n_campaigns
        self.today = clock.today()
        self.now = utcnow()
        self.password_hash = hash_password(PASSWORD)  # once: scrypt per user would take minutes
        self.skills = {s.slug: s for s in db.session.scalars(db.select(Skill).where(Skill.retired.is_(False)))}
        self.skill_by_id = {s.id: s for s in self.skills.values()}
        self.causes = list(db.session.scalars(db.select(Cause).order_by(Cause.bit)))
        self.templates = list(
            db.session.scalars(
                db.select(ProjectTemplate).where(ProjectTemplate.retired.is_(False)).order_by(ProjectTemplate.id)
            )
        )
        self.members_of = {}  # campaign id -> [User]
        self.vols = []
        self.counts = {"checkins": 0, "invitations": 0, "candidates": 0}
        self.matcher_note = ""
        self._cities = {}

    # ---------------------------------------------------------------- helpers

    def user(self, email, name, role, created_at=None):
        return User(
            email=email, name=name, role=role, password_hash=self.password_hash,
            session_token=new_session_token(), created_at=created_at or self.now - timedelta(days=400),
        )

    def name(self):
        return f"{self.rng.choice(T.FIRST_NAMES)} {self.rng.choice(T.LAST_NAMES)}"

    def at(self, day, hour=None):
        """A naive UTC datetime on `day`, never in the future."""
        hour = self.rng.randint(14, 23) if hour is None else hour
        moment = datetime.combine(day, time(hour, self.rng.randint(0, 59)))
        return min(moment, self.now - timedelta(minutes=self.rng.randint(5, 600)))

    def weighted(self, options):
        """options: {value: weight} -> one value."""
        values = list(options)
        return self.rng.choices(values, weights=[options[v] for v in values])[0]

    def big_cities(self, state, min_pop=50_000):
        if state not in self._cities:
            self._cities[state] = _towns(state, min_pop)
        return self._cities[state]

    def pick_city(self, state):
        cities = self.big_cities(state)
        return self.rng.choices(cities, weights=[c.population ** 0.5 for c in cities])[0]

    def election_date(self, text):
        day = date.fromisoformat(text)
        while day <= self.today + timedelta(days=7):  # keep the demo's elections ahead of today
            day = day.replace(year=day.year + 1)
        return day

    def write_counters(self):
        for v in self.vols:
            p = v.profile
            p.checkins_due, p.checkins_on_time = v.checkins_due, v.checkins_on_time
            p.projects_completed, p.projects_dropped = v.completed, v.dropped
            p.projects_led, p.placements = v.led, v.placements
            if v.earliest is not None and v.user.created_at > v.earliest:
                v.user.created_at = p.created_at = p.updated_at = v.earliest - timedelta(days=self.rng.randint(5, 60))
