"""A living demo marketplace: campaigns, requests, volunteers, and projects at every stage.

Deterministic for a given seed (random.Random(seed)) and relative to today: active projects
started a few weeks ago, recruiting ones start soon, completed ones ended in the past, so the
health board, the recruiting screens and the history pages all have something to show.

The demo honours the product's rules: teams of 3-5 with exactly one lead-trained lead, one
check-in per sprint, phases of at most eight weeks, and nobody committed to more hours a week
than they offer. Track-record counters on profiles are computed from the history created here.
"""
import logging
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app

from app.extensions import db
from app.models import (
    Campaign,
    CampaignMember,
    Cause,
    CheckIn,
    CheckInHours,
    CheckInNote,
    Deliverable,
    DeliverableProgress,
    FinalReport,
    HelpRequest,
    Invitation,
    MatchCandidate,
    MatchRun,
    Metric,
    MetricValue,
    Project,
    ProjectSkill,
    ProjectTemplate,
    Rating,
    Skill,
    Sprint,
    TeamMembership,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from app.models.base import utcnow
from app.models.users import hash_password, new_session_token
from app.places import cities_in_state, find_city
from app.seed import demo_text as T
from app.seed.menu import load_menu
from app.seed.outcomes import record_outcome_history
from app.teams.sprints import end_date_for, sprint_calendar

log = logging.getLogger(__name__)

PASSWORD = "barnstorm-demo"  # noqa: S105 -- published demo password; `flask seed` refuses it in production
ADMIN_EMAIL = "admin@barnstorm.example"
STAFF_EMAILS = ("staff@barnstorm.example", "staff2@barnstorm.example")

# Every status the demo shows, in the order the first projects get them (so even a tiny demo has all).
SHOWN_STATUSES = ("active", "recruiting", "completed", "approved", "awaiting_approval",
                  "changes_requested", "draft")
STATUS_WEIGHTS = {"active": 30, "completed": 28, "recruiting": 12, "approved": 7,
                  "awaiting_approval": 8, "changes_requested": 5, "draft": 10}


def demo_exists():
    """True when the demo's admin account is there (the demo was loaded before)."""
    return db.session.scalar(db.select(User.id).where(User.email == ADMIN_EMAIL)) is not None


def create_demo(volunteers=320, campaigns=24, seed=2026):
    """Create the demo marketplace; returns the lines to print (logins and a summary)."""
    if demo_exists():
        return [f"Demo data already present ({ADMIN_EMAIL} exists); nothing created."]
    if volunteers < 20 or campaigns < 1:
        raise ValueError("the demo needs at least 20 volunteers and 1 campaign")
    load_menu()
    # Seeded so the demo is the same every time; nothing here is a secret.
    return _Demo(random.Random(seed), volunteers, campaigns).build()  # noqa: S311


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


@dataclass
class _Plan:
    campaign: Campaign
    template: ProjectTemplate
    status: str
    project: Project | None = None
    members: list = field(default_factory=list)  # [(TeamMembership, _Vol)]
    soon: bool = False  # the campaign's election is under eight weeks away
    start: date | None = None


class _Demo:
    def __init__(self, rng, n_volunteers, n_campaigns):
        self.rng = rng
        self.n_volunteers = n_volunteers
        self.n_campaigns = n_campaigns
        self.today = date.today()
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

    # ---------------------------------------------------------------- build

    def build(self):
        self.make_staff()
        self.make_campaigns()
        self.make_volunteers()
        db.session.flush()
        self.plan_projects()
        db.session.flush()
        for plan in sorted(self.plans, key=lambda p: p.project.start_date):
            if plan.status == "completed":
                self.staff_team(plan)
        for plan in sorted(self.plans, key=lambda p: p.project.start_date):
            if plan.status == "active":
                self.staff_team(plan)
        db.session.flush()
        for plan in self.plans:
            if plan.status in ("active", "completed"):
                self.run_sprints(plan)
        db.session.flush()
        for plan in self.plans:
            if plan.status == "recruiting":
                self.recruit(plan)
        self.write_counters()
        self.counts["history"] = record_outcome_history(self.rng, self.now, current_app.config.get("MATCH_WEIGHTS"))
        db.session.commit()
        return self.summary()

    def make_staff(self):
        self.admin = self.user(ADMIN_EMAIL, "Avery Admin", "admin", self.now - timedelta(days=720))
        self.staff = [
            self.user(STAFF_EMAILS[0], "Sam Rivera", "staff", self.now - timedelta(days=700)),
            self.user(STAFF_EMAILS[1], "Jordan Okafor", "staff", self.now - timedelta(days=500)),
        ]
        db.session.add_all([self.admin, *self.staff])

    # ---------------------------------------------------------------- campaigns

    def make_campaigns(self):
        rng = self.rng
        states = list(T.CAMPAIGN_STATES)
        rng.shuffle(states)
        self.campaigns = []
        used_candidates = set()
        offices = T.OFFICES
        for i in range(self.n_campaigns):
            n = i + 1
            state = states[i] if i < len(states) else rng.choice(states[: max(5, len(states) // 2)])
            city = self.pick_city(state)
            level, office, district_fmt, dates, _w = rng.choices(offices, weights=[o[4] for o in offices])[0]
            if i in (2, 13):  # runoffs next month, so the demo shows campaigns with no time to lose
                level, office, district_fmt, dates = "municipal", "City Council", "Ward {n}", ("2026-12-05",)
            elif i == 4:
                level, office, district_fmt, dates = "school_board", "School Board", "Seat {n}", ("2027-03-02",)
            while True:
                candidate = self.name()
                if candidate not in used_candidates:
                    used_candidates.add(candidate)
                    break
            district = district_fmt.format(n=rng.randint(1, 60 if level == "state" else 9), state=state)
            office_full = f"{office}, {district}" if district else f"{office} of {city.name}"
            if level in ("municipal", "school_board", "county") and office != "Mayor":
                office_full = f"{city.name} {office_full}"
            causes = rng.sample(self.causes, rng.randint(1, 3))
            short = T.OFFICE_SHORT[office]
            slug = candidate.lower().replace(" ", "")
            campaign = Campaign(
                name=f"{candidate} for {short}",
                candidate_name=candidate,
                office=office_full[:120],
                office_level=level,
                state=state,
                district=district,
                city=city.name,
                city_key=city.key,
                lat=city.lat,
                lon=city.lon,
                timezone=city.timezone,
                election_date=self.election_date(rng.choice(dates)),
                website=f"https://{slug}.campaign.example",
                description=rng.choice(T.CAMPAIGN_BLURBS).format(
                    candidate=candidate, job=rng.choice(T.CANDIDATE_JOBS), office=office_full, city=city.name,
                    cause_lower=causes[0].name.lower(),
                ),
                created_at=self.now - timedelta(days=rng.randint(200, 260)),
            )
            campaign.causes = causes
            members = []
            for m in range(1, rng.choice((1, 2, 2)) + 1):
                u = self.user(f"member{m}@campaign-{n}.example", self.name(), "campaign", campaign.created_at)
                members.append(u)
                campaign.members.append(
                    CampaignMember(user=u, title=T.MEMBER_TITLES[0] if m == 1 else rng.choice(T.MEMBER_TITLES[1:]),
                                   created_at=campaign.created_at)
                )
            db.session.add(campaign)
            db.session.add_all(members)
            self.members_of[id(campaign)] = members
            self.campaigns.append(campaign)

    # ---------------------------------------------------------------- volunteers

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

    # ---------------------------------------------------------------- projects

    def plan_projects(self):
        rng = self.rng
        plans = []
        by_campaign = {}
        for c in self.campaigns:
            k = self.weighted({1: 35, 2: 45, 3: 20})
            templates = rng.sample(self.templates, k)
            soon = (c.election_date - self.today).days < 56
            by_campaign[id(c)] = [_Plan(c, t, "", soon=soon) for t in templates]
            plans.extend(by_campaign[id(c)])
        # The first planned projects of campaigns with time left get one of every status.
        slots = [p for p in plans if not p.soon]
        roomy = [c for c in self.campaigns if not by_campaign[id(c)][0].soon]
        i = 0
        while roomy and len(slots) < len(SHOWN_STATUSES):  # a tiny demo: add phases until every status fits
            c = roomy[i % len(roomy)]
            used = {p.template.id for p in by_campaign[id(c)]}
            spare = [t for t in self.templates if t.id not in used]
            if spare:
                plan = _Plan(c, rng.choice(spare), "")
                by_campaign[id(c)].append(plan)
                plans.append(plan)
                slots.append(plan)
            i += 1
            if i > 10 * len(SHOWN_STATUSES):
                break
        for status, plan in zip(SHOWN_STATUSES, slots):
            plan.status = status
        for plan in plans:
            if not plan.status:
                weights = STATUS_WEIGHTS if not plan.soon else {"active": 1, "completed": 1}
                plan.status = self.weighted(weights)
        self.plans = plans
        for c in self.campaigns:
            self.make_requests(c, by_campaign[id(c)])

    def make_requests(self, campaign, plans):
        rng = self.rng
        members = self.members_of[id(campaign)]
        # Earlier phases first; a later phase of the same campaign continues the previous one.
        order = {"completed": 0, "active": 1, "recruiting": 2, "approved": 3, "awaiting_approval": 4,
                 "changes_requested": 5, "draft": 6}
        plans.sort(key=lambda p: order[p.status])
        first_start = min((self.start_for(p) for p in plans), default=self.today)
        asked_at = datetime.combine(first_start, time(15)) - timedelta(days=rng.randint(18, 30))
        if campaign.created_at > asked_at - timedelta(days=2):  # the campaign registered before it asked
            campaign.created_at = asked_at - timedelta(days=rng.randint(2, 10))
            for u in members:
                u.created_at = campaign.created_at
            for cm in campaign.members:
                cm.created_at = campaign.created_at
        scoped = [p for p in plans if p.status != "draft"]
        drafts = [p for p in plans if p.status == "draft"]
        fmt = {"candidate": campaign.candidate_name, "city": campaign.city}

        def request(plans_, status, when):
            goals = " ".join(rng.choice(T.GOALS[p.template.slug]) for p in plans_).format(**fmt)
            return HelpRequest(
                campaign=campaign, submitted_by=members[0], goals=goals,
                categories=sorted({p.template.category for p in plans_}), timing=rng.choice(T.TIMING),
                desired_start=min(self.start_for(p) for p in plans_), constraints=rng.choice(T.CONSTRAINTS),
                status=status, created_at=when, updated_at=when + timedelta(days=3),
                staff_notes="Scoped from the menu after a call with the campaign." if status == "scoped" else "",
            )

        previous = None
        if scoped:
            req = request(scoped, "scoped", asked_at)
            db.session.add(req)
            for p in scoped:
                previous = self.make_project(p, req, previous)
        if drafts:
            req = request(drafts, "in_conversation", min(self.now - timedelta(days=3), asked_at + timedelta(days=20)))
            db.session.add(req)
            for p in drafts:
                self.make_project(p, req, None)
        # Some campaigns also have a fresh request, or one staff declined.
        index = self.campaigns.index(campaign)
        roll = rng.random()
        if index == 0 or roll < 0.3:
            t = rng.choice(self.templates)
            when = self.now - timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 20))
            db.session.add(HelpRequest(
                campaign=campaign, submitted_by=members[-1], goals=rng.choice(T.GOALS[t.slug]).format(**fmt),
                categories=[t.category], timing=rng.choice(T.TIMING), constraints=rng.choice(T.CONSTRAINTS),
                desired_start=self.today + timedelta(days=rng.randint(10, 30)),
                status="new" if index == 0 or roll < 0.18 else "in_conversation", created_at=when, updated_at=when,
            ))
        if index == 1 or rng.random() < 0.12:
            goals, note = rng.choice(T.DECLINED_REQUESTS)
            when = asked_at - timedelta(days=rng.randint(5, 40))
            db.session.add(HelpRequest(
                campaign=campaign, submitted_by=members[0], goals=goals, categories=[], status="declined",
                staff_notes=note, created_at=when, updated_at=when + timedelta(days=2),
            ))

    def start_for(self, plan):
        """The plan's start date, drawn once."""
        if plan.start is None:
            rng, weeks = self.rng, plan.template.weeks
            if plan.status == "completed":
                plan.start = self.today - timedelta(days=rng.randint(3, 150) + 7 * weeks)
            elif plan.status == "active":
                elapsed = min(rng.randint(1, 5), weeks - 1)
                plan.start = self.today - timedelta(days=7 * elapsed + rng.randint(0, 6))
            elif plan.status in ("recruiting", "approved"):
                plan.start = self.today + timedelta(days=rng.randint(7, 21))
            else:
                plan.start = self.today + timedelta(days=rng.randint(14, 35))
        return plan.start

    def make_project(self, plan, request, previous):
        rng, t, campaign = self.rng, plan.template, plan.campaign
        start = self.start_for(plan)
        weeks = t.weeks
        end = end_date_for(start, weeks)
        if plan.status != "completed" and end > campaign.election_date:
            # Staff shorten a phase to end by election day when they can; otherwise it stays flagged.
            fit = (campaign.election_date - start).days // 7
            floor = (self.today - start).days // 7 + 1 if plan.status == "active" else 1
            if fit >= max(1, floor):
                weeks, end = fit, end_date_for(start, fit)
        staff = rng.choice(self.staff)
        created = min(datetime.combine(start, time(16)) - timedelta(days=rng.randint(10, 16)),
                      self.now - timedelta(hours=rng.randint(2, 48)))
        members = self.members_of[id(campaign)]
        project = Project(
            campaign=campaign, help_request=request, template_id=t.id, title=t.title, summary=t.summary,
            campaign_provides=t.campaign_provides, status=plan.status, team_min=t.team_min,
            team_max=t.team_max, hours_per_week=t.hours_per_week, weeks=weeks, start_date=start,
            end_date=end, created_by_id=staff.id, created_at=created,
        )
        if previous is not None and previous.status in ("completed", "active") and plan.status != "completed":
            project.previous_project = previous
        if plan.status in ("approved", "recruiting", "active", "completed"):
            project.approved_at = created + timedelta(days=rng.randint(1, 3))
            project.approved_by_id = members[0].id
        if plan.status == "changes_requested":
            project.approval_note = rng.choice(T.CHANGES_REQUESTED)
        if plan.status in ("active", "completed"):
            project.activated_at = datetime.combine(start, time(15)) - timedelta(days=rng.randint(1, 3))
            slug = f"{campaign.candidate_name.split()[-1].lower()}-{t.slug}"
            project.chat_url = f"https://chat.barnstorm.example/c/{slug}"
            project.board_url = f"https://board.barnstorm.example/b/{slug}"
            if t.category in ("website", "data"):
                project.repo_url = f"https://git.barnstorm.example/demo/{slug}"
        if plan.status == "completed":
            project.completed_at = min(datetime.combine(end, time(18)) + timedelta(days=rng.randint(0, 3)),
                                       self.now - timedelta(hours=1))
        for i, title in enumerate(t.deliverables):
            project.deliverables.append(Deliverable(position=i, title=title, progress=0))
        for i, m in enumerate(t.metrics):
            project.metrics.append(Metric(position=i, name=m["name"], unit=m["unit"], target=float(m["target"])))
        for ts in t.skills:
            project.skills.append(ProjectSkill(skill_id=ts.skill_id, level=ts.level, weight=ts.weight))
        db.session.add(project)
        plan.project = project
        return project

    # ---------------------------------------------------------------- teams

    def fit(self, vol, project, needs, campaign):
        """How good a teammate `vol` is for `project` (skills first, then place), with a little noise."""
        total = sum(w for _s, _l, w in needs)
        cover = sum(w * min(vol.skills.get(s, 0), level) / level for s, level, w in needs) / total
        p = vol.profile
        if campaign.city_key in (p.home_city_key, p.current_city_key):
            place = 1.0
        elif campaign.state in (p.home_state, p.current_state):
            place = 0.6
        else:
            place = 0.2
        return 0.65 * cover + 0.25 * place + 0.1 * self.rng.random() - 0.04 * vol.placements

    def staff_team(self, plan):
        """Choose a team (and its lead) for an active or completed project; create invitations and memberships."""
        rng, project, campaign = self.rng, plan.project, plan.campaign
        current = plan.status == "active"
        needs = [(s.skill_id, s.level, s.weight) for s in project.skills]
        size = rng.randint(project.team_min, project.team_max)
        dropping = size > project.team_min and rng.random() < (0.25 if plan.status == "completed" else 0.1)

        def eligible(v):
            p = v.profile
            if p.opted_out or (current and p.paused):
                return False
            if current:
                if p.hours_per_week - v.committed < project.hours_per_week:
                    return False
                if p.available_from > project.start_date:
                    return False
                if p.available_until is not None and p.available_until < project.end_date:
                    return False
            return True

        pool = sorted((v for v in self.vols if eligible(v)), key=lambda v: -self.fit(v, project, needs, campaign))
        if len(pool) < size:  # a tiny demo: let the people with most free time stretch their offer
            spare = sorted((v for v in self.vols if v not in pool and not v.profile.paused),
                           key=lambda v: v.committed - v.profile.hours_per_week)
            for v in spare[: size - len(pool)]:
                v.profile.hours_per_week = min(40, v.committed + project.hours_per_week)
                if current:
                    v.profile.available_from = min(v.profile.available_from, project.start_date)
                    v.profile.available_until = None
                pool.append(v)
        top = pool[: max(size * 6, 20)]
        lead = next((v for v in top if v.profile.lead_trained), None)
        if lead is None:  # nobody trained in the shortlist: the best candidate took the training
            lead = top[0]
            lead.profile.lead_trained = True
        trained_on = project.start_date - timedelta(days=rng.randint(20, 200))
        if lead.profile.lead_trained_on is None or lead.profile.lead_trained_on > project.start_date:
            lead.profile.lead_trained_on = trained_on
        team = [lead]
        covered = {s for s, level, _w in needs if lead.skills.get(s, 0) >= level - 1}
        rest = [v for v in top if v is not lead]
        while len(team) < size and rest:
            best = max(rest, key=lambda v: sum(1 for s, lv, _w in needs if s not in covered and v.skills.get(s, 0) >= lv - 1)
                       + 0.01 * (len(rest) - rest.index(v)))
            rest.remove(best)
            team.append(best)
            covered |= {s for s, level, _w in needs if best.skills.get(s, 0) >= level - 1}
        # Invitations: everyone on the team accepted; a few others declined or were closed when it filled.
        invited_at = datetime.combine(project.start_date, time(17)) - timedelta(days=rng.randint(7, 12))
        staff = rng.choice(self.staff)
        drop_at = rng.randint(2, max(2, project.weeks - 1)) if dropping else None
        dropper = team[-1] if dropping else None
        for v in team:
            inv = Invitation(
                project=project, volunteer=v.profile, invited_by_id=staff.id, status="accepted",
                created_at=invited_at, expires_at=invited_at + timedelta(days=5),
                responded_at=invited_at + timedelta(hours=rng.randint(2, 60)),
            )
            m = TeamMembership(
                project=project, volunteer=v.profile, is_lead=v is lead,
                status="active" if current else "completed", hours_per_week=project.hours_per_week,
                joined_at=inv.responded_at,
            )
            m._invitation = inv
            if v is dropper:
                m.status = "dropped"
                m.ended_at = min(datetime.combine(project.start_date + timedelta(weeks=drop_at - 1, days=3), time(20)),
                                 self.now - timedelta(hours=2))
                m._drop_sprint = drop_at
                v.dropped += 1
            elif not current:
                m.ended_at = project.completed_at
                v.completed += 1
            if current and m.status == "active":
                v.committed += project.hours_per_week
            if m.is_lead:
                v.led += 1
            v.placements += 1
            v.earliest = min(v.earliest or invited_at, invited_at)
            db.session.add_all([inv, m])
            plan.members.append((m, v))
        others = [v for v in pool[size: size + 12] if v not in team]
        for v in rng.sample(others, min(len(others), rng.randint(0, 3))):
            declined = rng.random() < 0.6
            db.session.add(Invitation(
                project=project, volunteer=v.profile, invited_by_id=staff.id,
                status="declined" if declined else "closed", created_at=invited_at,
                expires_at=invited_at + timedelta(days=5),
                responded_at=invited_at + timedelta(hours=rng.randint(3, 90)),
                decline_reason=rng.choice(T.DECLINE_REASONS) if declined and rng.random() < 0.7 else "",
            ))
            self.counts["invitations"] += 1
        self.counts["invitations"] += len(team)
        project.seats_filled = sum(1 for m, _v in plan.members if m.status != "dropped")

    # ---------------------------------------------------------------- sprints and check-ins

    def run_sprints(self, plan):
        rng, project = self.rng, plan.project
        for m, _v in plan.members:
            m.invitation_id = m._invitation.id
        lead_m, lead = next((m, v) for m, v in plan.members if m.is_lead)
        campaign_users = self.members_of[id(plan.campaign)]
        health = self.weighted({"good": 58, "wobbly": 27, "troubled": 15})
        silent_tail = 0
        if plan.status == "active" and rng.random() < 0.2:
            silent_tail = rng.choice((1, 1, 2))
        # The first active projects show the health board's three cases: fine, in trouble, silent.
        active = [p for p in self.plans if p.status == "active"]
        if plan in active[:3]:
            health = ("good", "troubled", "wobbly")[active.index(plan)]
            silent_tail = 2 if active.index(plan) == 2 else 0
        perf = {"good": rng.uniform(0.95, 1.12), "wobbly": rng.uniform(0.78, 0.95),
                "troubled": rng.uniform(0.55, 0.78)}[health]
        calendar = sprint_calendar(project.start_date, project.weeks)
        past_due = [n for n, _s, _e, due in calendar if due < self.today]
        last_due = past_due[-1] if past_due else 0
        k = len(project.deliverables)
        spans = [(0.45 * i / k, 0.55 + 0.45 * (i + 1) / k) for i in range(k)]
        latest = None
        for number, starts, ends, due in calendar:
            sprint = Sprint(project=project, number=number, starts_on=starts, ends_on=ends, due_on=due)
            db.session.add(sprint)
            if due >= self.today:
                continue
            working = [(m, v) for m, v in plan.members
                       if not (m.status == "dropped" and number > getattr(m, "_drop_sprint", 99))]
            for _m, v in working:
                v.checkins_due += 1
            missing = (plan.status == "active" and number > last_due - silent_tail) or (
                plan.status == "completed" and number < project.weeks and rng.random() < 0.04)
            if missing:
                continue
            frac = number / project.weeks
            if health == "good":
                status = "on_track" if rng.random() < 0.92 else "at_risk"
            elif health == "wobbly":
                status = self.weighted({"on_track": 45, "at_risk": 50, "off_track": 5}) if number > 1 else "on_track"
            else:
                status = self.weighted({"on_track": 15, "at_risk": 40, "off_track": 45}) if number > 1 else "at_risk"
            on_time = rng.random() < {"good": 0.93, "wobbly": 0.8, "troubled": 0.6}[health]
            submitted = self.at(due) if on_time else self.at(due + timedelta(days=rng.randint(1, 3)))
            done_items = [d for d, (a, b) in zip(project.deliverables, spans) if a < frac]
            next_items = [d for d, (a, b) in zip(project.deliverables, spans) if b > frac] or project.deliverables[-1:]
            blockers = ""
            if status == "at_risk":
                blockers = rng.choice(T.BLOCKERS_AT_RISK)
            elif status == "off_track":
                blockers = rng.choice(T.BLOCKERS_OFF_TRACK)
            checkin = CheckIn(
                sprint=sprint, project_id=project.id, author_id=lead.user.id, status=status,
                done=(f"Worked on: {'; '.join(d.title for d in done_items[-2:])}. "
                      if done_items else "Kick-off with the campaign, accounts and access sorted. ")
                + rng.choice(T.DONE_LINES),
                next_steps=f"Next: {next_items[0].title}." if number < project.weeks
                else "Wrap up, write the handover notes and the final report.",
                blockers=blockers, on_time=on_time, submitted_at=submitted, updated_at=submitted,
            )
            if rng.random() < 0.6:
                ack = min(submitted + timedelta(hours=rng.randint(3, 40)), self.now - timedelta(minutes=10))
                checkin.acknowledged_at = ack
                checkin.acknowledged_by_id = rng.choice(campaign_users).id
                if status != "on_track" or rng.random() < 0.3:
                    checkin.campaign_comment = rng.choice(T.ACK_COMMENTS)
            if status != "on_track" and rng.random() < 0.4:
                checkin.notes.append(CheckInNote(author_id=rng.choice(self.staff).id, body=rng.choice(T.STAFF_NOTES),
                                                 created_at=min(submitted + timedelta(hours=20), self.now)))
            slack = {"on_track": 1.0, "at_risk": 0.75, "off_track": 0.5}[status]
            for m, _v in working:
                hours = project.hours_per_week * slack * rng.uniform(0.8, 1.15)
                checkin.hours.append(CheckInHours(membership_id=m.id, hours=round(hours * 2) / 2))
            final = plan.status == "completed" and number == project.weeks
            progress = {}
            for d, (a, b) in zip(project.deliverables, spans):
                value = max(0.0, min(1.0, (frac - a) / (b - a))) * min(1.0, perf)
                pct = 100 if final and perf >= 0.9 else int(round(value * 20)) * 5
                if final and perf < 0.9:
                    pct = max(pct, 70)
                pct = max(pct, getattr(d, "_last", 0))  # progress never goes back
                d._last = pct
                progress[d] = pct
                checkin.deliverable_progress.append(DeliverableProgress(deliverable_id=d.id, progress=pct))
            for mt in project.metrics:
                curve = frac ** 1.2
                if mt.unit in ("%", "score"):
                    value = round(mt.target * (0.55 + 0.45 * curve) * perf, 1)
                else:
                    value = float(round(mt.target * curve * perf))
                value = max(value, getattr(mt, "_last", 0.0))
                mt._last = value
                checkin.metric_values.append(MetricValue(metric_id=mt.id, value=value))
            for _m, v in working:
                if on_time:
                    v.checkins_on_time += 1
            db.session.add(checkin)
            self.counts["checkins"] += 1
            latest = checkin
        for d in project.deliverables:
            d.progress = getattr(d, "_last", 0)
        for mt in project.metrics:
            mt.current_value = getattr(mt, "_last", None)
        if plan.status == "completed":
            self.finish(plan, lead, latest)

    def finish(self, plan, lead, latest):
        rng, project = self.rng, plan.project
        when = project.completed_at
        db.session.add(FinalReport(
            project_id=project.id, author_id=lead.user.id, submitted_at=when,
            deliverables_done="\n".join(f"- {d.title}: {d.progress}%" for d in project.deliverables),
            metrics_reached="\n".join(
                f"- {m.name}: {m.current_value:g} of {m.target:g} {m.unit}" for m in project.metrics
                if m.current_value is not None
            ),
            handover_notes=rng.choice(T.HANDOVER_NOTES),
        ))
        done = sum(d.progress for d in project.deliverables) / max(1, len(project.deliverables))
        score = 5 if done >= 98 else 4 if done >= 85 else 3
        rater = self.members_of[id(plan.campaign)][0]
        db.session.add(Rating(
            project_id=project.id, rater_id=rater.id, kind="campaign",
            score=max(1, min(5, score - (1 if rng.random() < 0.1 else 0))),
            comment=rng.choice(T.CAMPAIGN_RATING_COMMENTS[:3] if score == 5 else T.CAMPAIGN_RATING_COMMENTS[2:]),
            created_at=min(when + timedelta(days=rng.randint(1, 6)), self.now),
        ))
        for m, v in plan.members:
            if m.status == "completed" and rng.random() < 0.8:
                db.session.add(Rating(
                    project_id=project.id, rater_id=v.user.id, kind="volunteer",
                    score=self.weighted({5: 55, 4: 30, 3: 12, 2: 3}),
                    comment=rng.choice(T.VOLUNTEER_RATING_COMMENTS) if rng.random() < 0.7 else "",
                    created_at=min(when + timedelta(days=rng.randint(0, 5)), self.now),
                ))

    # ---------------------------------------------------------------- recruiting

    def recruit(self, plan):
        """Run the real matcher on a recruiting project, store the run, and send some invitations."""
        rng, project = self.rng, plan.project
        db.session.flush()
        staff = rng.choice(self.staff)
        started = self.now - timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 12))
        run = MatchRun(kind="project", project_id=project.id, status="running", progress=0,
                       created_by_id=staff.id, created_at=started, started_at=started)
        db.session.add(run)
        db.session.flush()
        rows, eligible, filtered, suggested, weights = self.rank(project, run)
        run.weights = weights
        run.eligible_count = eligible
        run.filtered = filtered
        run.suggested_team = sorted(suggested)
        run.status, run.progress = "done", 100
        run.finished_at = started + timedelta(seconds=2)
        run.message = f"Ranked {eligible:,} eligible volunteers in 0.2 s"
        if rows:
            db.session.execute(db.insert(MatchCandidate), rows)
        self.counts["candidates"] += len(rows)
        # Staff invite the suggested team and a few more; some accept, some decline, the rest are pending.
        by_id = {v.profile.id: v for v in self.vols}
        ranked = [r["volunteer_id"] for r in sorted(rows, key=lambda r: r["rank"])]
        order = [vid for vid in ranked if vid in suggested] + [vid for vid in ranked if vid not in suggested]
        invited = order[: project.team_max + rng.randint(1, 3)]
        accepted = rng.randint(0, project.team_min - 1)
        declined = rng.randint(0, 2)
        days = current_app.config.get("INVITATION_DAYS", 5)
        seats = 0
        for i, vid in enumerate(invited):
            v = by_id[vid]
            sent = started + timedelta(hours=rng.randint(1, 8))
            inv = Invitation(project_id=project.id, volunteer_id=vid, match_run_id=run.id, invited_by_id=staff.id,
                             status="pending", created_at=sent, expires_at=sent + timedelta(days=days))
            if inv.expires_at <= self.now:
                inv.expires_at = self.now + timedelta(days=1, hours=rng.randint(0, 20))
            free = v.profile.hours_per_week - v.committed
            if seats < accepted and free >= project.hours_per_week and not v.profile.paused:
                inv.status = "accepted"
                inv.responded_at = min(sent + timedelta(hours=rng.randint(1, 30)), self.now - timedelta(minutes=5))
                db.session.add(inv)
                db.session.flush()
                m = TeamMembership(project_id=project.id, volunteer_id=vid, invitation_id=inv.id,
                                   hours_per_week=project.hours_per_week, joined_at=inv.responded_at)
                db.session.add(m)
                v.committed += project.hours_per_week
                v.placements += 1
                v.earliest = min(v.earliest or sent, sent)
                seats += 1
            else:
                if i >= len(invited) - declined:
                    inv.status = "declined"
                    inv.responded_at = min(sent + timedelta(hours=rng.randint(2, 40)), self.now - timedelta(minutes=5))
                    inv.decline_reason = rng.choice(T.DECLINE_REASONS) if rng.random() < 0.7 else ""
                db.session.add(inv)
        project.seats_filled = seats
        self.counts["invitations"] += len(invited)

    def rank(self, project, run):
        """Candidate rows from the real matcher; a simple stand-in if the matcher cannot run."""
        weights = dict(current_app.config.get("MATCH_WEIGHTS") or {})
        try:
            from app.matching import rank_volunteers
            from app.recruiting.features import load_project_needs, load_volunteer_features

            features, labels = load_volunteer_features(self.today)
            needs = load_project_needs(project)
            result = rank_volunteers(features, needs, weights=weights or None,
                                     top_k=current_app.config.get("MATCH_TOP_K", 50), labels=labels)
        except Exception:  # the demo must load even while the matcher is being changed
            log.exception("demo: matcher failed; using the simple stand-in ranking")
            self.matcher_note = "(matcher unavailable: recruiting rankings use a simple stand-in)"
            return self.simple_rank(project, run, weights)
        suggested = set(int(i) for i in result.team.member_ids) if result.team else set()
        rows = [
            {
                "run_id": run.id, "project_id": project.id, "volunteer_id": int(c.volunteer_id),
                "rank": int(c.rank), "score": float(c.score),
                "components": {k: round(float(v), 4) for k, v in c.components.items()},
                "reasons": list(c.reasons), "suggested": int(c.volunteer_id) in suggested,
            }
            for c in result.candidates
        ]
        filtered = {k: int(v) for k, v in result.filtered.items()}
        return rows, int(result.eligible_count), filtered, suggested, dict(result.weights or weights)

    def simple_rank(self, project, run, weights):
        needs = [(s.skill_id, s.level, s.weight) for s in project.skills]
        total = sum(w for _s, _l, w in needs)
        campaign = project.campaign
        scored = []
        for v in self.vols:
            p = v.profile
            free = p.hours_per_week - v.committed
            if p.paused or p.opted_out or free < project.hours_per_week:
                continue
            skills = sum(w * min(v.skills.get(s, 0), lv) / lv for s, lv, w in needs) / total
            if campaign.city_key in (p.home_city_key, p.current_city_key):
                affinity = 1.0
            elif campaign.state in (p.home_state, p.current_state):
                affinity = 0.6
            else:
                affinity = 0.2
            comps = {
                "skills": round(skills, 4), "affinity": affinity,
                "availability": round(min(1.0, free / (1.5 * project.hours_per_week)), 4),
                "reliability": 0.7, "fairness": 1.0 if v.placements == 0 else 0.6,
            }
            w = weights or {"skills": .45, "affinity": .2, "availability": .15, "reliability": .15, "fairness": .05}
            score = sum(w.get(k, 0) * comps[k] for k in comps)
            have = sum(1 for s, lv, _w in needs if v.skills.get(s, 0) >= lv)
            reasons = [f"{have} of {len(needs)} needed skills", f"{free} h/week free, {project.hours_per_week} needed"]
            scored.append((-score, p.id, comps, reasons))
        scored.sort()
        rows = [
            {"run_id": run.id, "project_id": project.id, "volunteer_id": vid, "rank": i + 1, "score": -s,
             "components": comps, "reasons": reasons, "suggested": i < project.team_min}
            for i, (s, vid, comps, reasons) in enumerate(scored[:50])
        ]
        suggested = {r["volunteer_id"] for r in rows if r["suggested"]}
        return rows, len(scored), {}, suggested, weights

    # ---------------------------------------------------------------- wrap up

    def write_counters(self):
        for v in self.vols:
            p = v.profile
            p.checkins_due, p.checkins_on_time = v.checkins_due, v.checkins_on_time
            p.projects_completed, p.projects_dropped = v.completed, v.dropped
            p.projects_led, p.placements = v.led, v.placements
            if v.earliest is not None and v.user.created_at > v.earliest:
                v.user.created_at = p.created_at = p.updated_at = v.earliest - timedelta(days=self.rng.randint(5, 60))

    def summary(self):
        active = [p for p in self.plans if p.status == "active"]
        example = active[0] if active else self.plans[0]
        member = self.members_of[id(example.campaign)][0]
        lead = next((v for m, v in example.members if m.is_lead), None)
        teammate = next((v for m, v in example.members if not m.is_lead and m.status == "active"), None)
        statuses = {}
        for p in self.plans:
            statuses[p.status] = statuses.get(p.status, 0) + 1
        states = len({c.state for c in self.campaigns})
        lines = [
            f"Demo marketplace created: {len(self.campaigns)} campaigns in {states} states, "
            f"{len(self.vols)} volunteers, {len(self.plans)} projects "
            f"({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}), "
            f"{self.counts['checkins']} check-ins, {self.counts['invitations']} invitations.",
            f"Every demo account uses the password: {PASSWORD}",
            f"  admin            {ADMIN_EMAIL}",
            f"  staff            {STAFF_EMAILS[0]}",
            f"  staff            {STAFF_EMAILS[1]}",
            f"  campaign member  {member.email}  ({example.campaign.name})",
        ]
        if teammate is not None:
            lines.append(f"  volunteer        {teammate.user.email}  (on the team of '{example.project.title}')")
        if lead is not None:
            lines.append(f"  team lead        {lead.user.email}  (lead-trained, leads '{example.project.title}')")
        if self.matcher_note:
            lines.append(self.matcher_note)
        return lines
