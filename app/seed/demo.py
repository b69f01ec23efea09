"""A living demo marketplace: campaigns, requests, volunteers, and projects at every stage.

Deterministic for a given seed (random.Random(seed)) and relative to today: active projects
started a few weeks ago, recruiting ones start soon, completed ones ended in the past, so the
health board, the recruiting screens and the history pages all have something to show.

The demo honours the product's rules: teams of 3-5 with exactly one lead-trained lead, one
check-in per sprint, phases of at most eight weeks, and nobody committed to more hours a week
than they offer. Track-record counters on profiles are computed from the history created here.

The steps live beside this entry, one module each: demo_people (staff and volunteers),
demo_campaigns (campaigns, requests, projects), demo_teams (teams, sprints, check-ins, endings),
demo_recruiting (match runs and invitations); demo_builder holds the state they share.
"""
import random

from app.extensions import db
from app.models import User
from app.seed.demo_builder import DemoBuilder
from app.seed.demo_campaigns import CampaignsMixin
from app.seed.demo_people import ADMIN_EMAIL, PASSWORD, STAFF_EMAILS, PeopleMixin
from app.seed.demo_recruiting import RecruitingMixin
from app.seed.demo_teams import TeamsMixin
from app.seed.menu import load_menu

__all__ = ["ADMIN_EMAIL", "PASSWORD", "STAFF_EMAILS", "create_demo", "demo_exists"]


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


class _Demo(PeopleMixin, CampaignsMixin, TeamsMixin, RecruitingMixin, DemoBuilder):
    """One demo build; the order of the steps is the order of the random draws (keep it)."""

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
        db.session.commit()
        return self.summary()

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
