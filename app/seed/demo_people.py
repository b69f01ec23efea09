"""Demo people: the admin and staff accounts, and volunteers drawn from personas (skills, places, hours)."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.extensions import db
from app.models import User, VolunteerProfile, VolunteerSkill
from app.places import find_city
from app.seed import demo_text as T

PASSWORD = "barnstorm-demo"  # noqa: S105 -- published demo password; `flask seed` refuses it in production
ADMIN_EMAIL = "admin@barnstorm.example"
STAFF_EMAILS = ("staff@barnstorm.example", "staff2@barnstorm.example")


@dataclass
class _Vol:
    """What the builder tracks for one volunteer while it creates the history."""

    profile: VolunteerProfile
    user: User
    skills: dict  # skill id -> level
    committed: int = 0
    checkins_due: int = 0
    checkins_on_time: int = 0
    completed: int = 0
    dropped: int = 0
    led: int = 0
    placements: int = 0
    earliest: datetime | None = None  # first time the person worked on a project


class PeopleMixin:
    def make_staff(self):
        self.admin = self.user(ADMIN_EMAIL, "Avery Admin", "admin", self.now - timedelta(days=720))
        self.staff = [
            self.user(STAFF_EMAILS[0], "Sam Rivera", "staff", self.now - timedelta(days=700)),
            self.user(STAFF_EMAILS[1], "Jordan Okafor", "staff", self.now - timedelta(days=500)),
        ]
        db.session.add_all([self.admin, *self.staff])

    def skill_weights(self):
        needed = {}
        for t in self.templates:
            for ts in t.skills:
                needed[ts.skill_id] = needed.get(ts.skill_id, 0) + 1
        return {s.id: 1.0 + 1.5 * needed.get(s.id, 0) for s in self.skills.values()}

    def make_volunteers(self):
        rng = self.rng
        base = self.skill_weights()
        personas = list(T.PERSONAS)
        campaign_states = [c.state for c in self.campaigns]
        all_states = list(T.CAMPAIGN_STATES) + ["CA", "NY", "IL", "MA", "MD", "CT", "UT", "WA"]
        hours = {3: 5, 4: 9, 5: 14, 6: 14, 8: 18, 10: 18, 12: 11, 15: 11}
        users, profiles = [], []
        for n in range(1, self.n_volunteers + 1):
            persona_key = rng.choices(personas, weights=[T.PERSONAS[p]["share"] for p in personas])[0]
            persona = T.PERSONAS[persona_key]
            first, last = rng.choice(T.FIRST_NAMES), rng.choice(T.LAST_NAMES)
            home_state = rng.choice(campaign_states) if rng.random() < 0.55 else rng.choice(all_states)
            home = self.pick_city(home_state)
            roll = rng.random()
            if roll < 0.45:
                current = home
            elif roll < 0.65:
                current = self.pick_city(home_state)
            else:
                current = find_city(*rng.choice(T.TECH_HUBS)) or home
            created = self.now - timedelta(days=rng.randint(20, 700))
            user = self.user(f"volunteer{n}@example.org", f"{first} {last}", "volunteer", created)
            handle = f"{first}{last}{n}".lower()
            available_from = (
                self.today - timedelta(days=rng.randint(0, 300)) if rng.random() < 0.85
                else self.today + timedelta(days=rng.randint(7, 45))
            )
            available_until = None if rng.random() < 0.6 else self.today + timedelta(days=rng.randint(60, 300))
            lead = rng.random() < 0.15
            causes = rng.sample(self.causes, rng.choice((1, 2, 2, 3, 3, 4)))
            profile = VolunteerProfile(
                user=user,
                headline=rng.choice(persona["headlines"]),
                bio=rng.choice(T.BIOS).format(
                    years=rng.randint(2, 20), field=T.PERSONA_FIELDS[persona_key], place=home.label,
                    cause=causes[0].name.lower(),
                ),
                home_city=home.name, home_state=home.state, home_city_key=home.key,
                home_lat=home.lat, home_lon=home.lon,
                current_city=current.name, current_state=current.state, current_city_key=current.key,
                current_lat=current.lat, current_lon=current.lon,
                hours_per_week=self.weighted(hours),
                available_from=available_from,
                available_until=available_until,
                timezone=current.timezone,
                links=persona["link"].format(handle=handle),
                lead_trained=lead,
                lead_trained_on=self.today - timedelta(days=rng.randint(30, 400)) if lead else None,
                paused=rng.random() < 0.05,
                created_at=created,
                updated_at=created,
            )
            profile.causes = causes
            # 2-6 skills, drawn by persona category and how much the menu needs them.
            ids = list(base)
            weights = [base[i] * persona["categories"].get(self.skill_by_id[i].category, 0.05) for i in ids]
            k = rng.choice((2, 3, 3, 4, 4, 4, 5, 5, 6))
            chosen = set()
            while len(chosen) < k:
                chosen.add(rng.choices(ids, weights=weights)[0])
            levels = {}
            for j, sid in enumerate(sorted(chosen, key=lambda s: -weights[ids.index(s)])):
                level = self.weighted({1: 10, 2: 30, 3: 40, 4: 20} if j == 0 else {1: 20, 2: 40, 3: 30, 4: 10})
                levels[sid] = level
                profile.skills.append(VolunteerSkill(skill_id=sid, level=level))
            users.append(user)
            profiles.append(profile)
            self.vols.append(_Vol(profile=profile, user=user, skills=levels))
        db.session.add_all(users)
        db.session.add_all(profiles)
