"""Demo campaigns, their help requests and the projects scoped from them (one of every status)."""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.extensions import db
from app.lifecycle import RequestStatus
from app.models import (
    Campaign,
    CampaignMember,
    Deliverable,
    HelpRequest,
    Metric,
    Project,
    ProjectSkill,
    ProjectTemplate,
)
from app.seed import demo_text as T
from app.teams.sprints import end_date_for

# Every status the demo shows, in the order the first projects get them (so even a tiny demo has all).
SHOWN_STATUSES = ("active", "recruiting", "completed", "approved", "awaiting_approval",
                  "changes_requested", "draft")
STATUS_WEIGHTS = {"active": 30, "completed": 28, "recruiting": 12, "approved": 7,
                  "awaiting_approval": 8, "changes_requested": 5, "draft": 10}


@dataclass
class _Plan:
    campaign: Campaign
    template: ProjectTemplate
    status: str
    project: Project | None = None
    members: list = field(default_factory=list)  # [(TeamMembership, _Vol)]
    soon: bool = False  # the campaign's election is under eight weeks away
    start: date | None = None


class CampaignsMixin:
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
                status=RequestStatus.NEW if index == 0 or roll < 0.18 else RequestStatus.IN_CONVERSATION, created_at=when, updated_at=when,
            ))
        if index == 1 or rng.random() < 0.12:
            goals, note = rng.choice(T.DECLINED_REQUESTS)
            when = asked_at - timedelta(days=rng.randint(5, 40))
            db.session.add(HelpRequest(
                campaign=campaign, submitted_by=members[0], goals=goals, categories=[], status=RequestStatus.DECLINED,
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
