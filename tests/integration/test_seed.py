"""The menu loader, the demo marketplace and the synthetic-volunteer bulk loader."""
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import (
    Campaign,
    Cause,
    CheckIn,
    Deliverable,
    DeliverableProgress,
    FinalReport,
    HelpRequest,
    Invitation,
    MatchCandidate,
    MatchRun,
    Project,
    ProjectTemplate,
    Rating,
    Skill,
    Sprint,
    TeamMembership,
    TemplateSkill,
    User,
    VolunteerProfile,
    VolunteerSkill,
    volunteer_causes,
)
from app.models.base import utcnow
from app.models.projects import MENU_CATEGORIES
from app.models.skills import SKILL_CATEGORIES
from app.seed.demo import ADMIN_EMAIL, PASSWORD, create_demo, demo_exists
from app.seed.menu import load_menu
from app.seed.synthetic import create_synthetic_volunteers
from app.teams.commitments import committed_hours_by_volunteer

# In make test's PostgreSQL pass too (docs/BENCHMARKS.md): bulk inserts with explicit ids and sequences
# (synthetic seed), JSON columns.
pytestmark = pytest.mark.postgres

SHOWN = ("draft", "awaiting_approval", "changes_requested", "approved", "recruiting", "active", "completed")


def _menu_snapshot(db):
    skills = sorted(db.session.execute(select(Skill.slug, Skill.name, Skill.category, Skill.description)).all())
    causes = sorted(db.session.execute(select(Cause.slug, Cause.name, Cause.bit)).all())
    templates = sorted(
        (t.slug, t.title, t.category, t.summary, t.deliverables, t.metrics, t.campaign_provides, t.team_min,
         t.team_max, t.hours_per_week, t.weeks)
        for t in db.session.scalars(select(ProjectTemplate))
    )
    needs = sorted(db.session.execute(select(TemplateSkill.template_id, TemplateSkill.skill_id, TemplateSkill.level,
                                             TemplateSkill.weight)).all())
    return skills, causes, templates, needs


def test_load_menu_meets_minimums(db):
    counts = load_menu()
    assert counts == {
        "skills": db.session.scalar(select(func.count(Skill.id))),
        "causes": db.session.scalar(select(func.count(Cause.id))),
        "templates": db.session.scalar(select(func.count(ProjectTemplate.id))),
    }
    skills = db.session.scalars(select(Skill)).all()
    assert len(skills) >= 30
    assert {s.category for s in skills} == set(SKILL_CATEGORIES)
    assert all(s.description for s in skills)

    causes = db.session.scalars(select(Cause)).all()
    assert len(causes) >= 12
    assert len({c.bit for c in causes}) == len(causes) and all(0 <= c.bit < 64 for c in causes)

    templates = db.session.scalars(select(ProjectTemplate)).all()
    assert len(templates) >= 8
    assert {t.category for t in templates} <= set(MENU_CATEGORIES)
    for t in templates:
        assert 1 <= t.weeks <= 8, t.slug
        assert 3 <= t.team_min <= t.team_max <= 5, t.slug
        assert 4 <= t.hours_per_week <= 10, t.slug
        assert t.summary and t.campaign_provides, t.slug
        assert 3 <= len(t.deliverables) <= 5 and all(isinstance(d, str) and d for d in t.deliverables), t.slug
        assert 2 <= len(t.metrics) <= 3, t.slug
        for m in t.metrics:
            assert m["name"] and m["unit"] and isinstance(m["target"], (int, float)) and m["target"] > 0, t.slug
        assert 3 <= len(t.skills) <= 5, t.slug
        for need in t.skills:
            assert 1 <= need.level <= 4 and 0.5 <= need.weight <= 3, t.slug


def test_load_menu_is_idempotent(db):
    first = load_menu()
    before = _menu_snapshot(db)
    assert load_menu() == first
    assert _menu_snapshot(db) == before


def test_load_menu_restores_catalog_fields_but_keeps_retirement(db):
    load_menu()
    react = db.session.scalar(select(Skill).where(Skill.slug == "react"))
    react.retired = True
    website = db.session.scalar(select(ProjectTemplate).where(ProjectTemplate.slug == "campaign-website"))
    website.title = "Changed by hand"
    website.skills.pop()
    db.session.commit()

    load_menu()
    db.session.expire_all()
    assert db.session.scalar(select(Skill.retired).where(Skill.slug == "react")) is True
    website = db.session.scalar(select(ProjectTemplate).where(ProjectTemplate.slug == "campaign-website"))
    assert website.title == "Campaign website build"
    assert len(website.skills) == 4


@pytest.fixture
def demo(db):
    lines = create_demo(volunteers=60, campaigns=6, seed=2026)
    db.session.expire_all()
    return lines


def test_demo_has_every_status_and_prints_logins(db, demo):
    statuses = Counter(db.session.scalars(select(Project.status)))
    assert set(SHOWN) <= set(statuses), statuses
    assert Counter(db.session.scalars(select(HelpRequest.status))).keys() >= {"new", "scoped", "declined"}
    text = "\n".join(demo)
    assert ADMIN_EMAIL in text and PASSWORD in text and "staff@barnstorm.example" in text
    assert "@campaign-" in text and "volunteer" in text and "team lead" in text
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    assert admin.role == "admin" and admin.check_password(PASSWORD)
    assert db.session.scalar(select(func.count(func.distinct(User.session_token)))) == db.session.scalar(
        select(func.count(User.id))
    )


def test_demo_campaigns_are_spread_over_states(db, demo):
    campaigns = db.session.scalars(select(Campaign)).all()
    assert len(campaigns) == 6
    assert len({c.state for c in campaigns}) >= 5
    for c in campaigns:
        assert c.city and c.city_key and c.lat is not None and c.lon is not None
        assert c.members and 1 <= len(c.causes) <= 3


def test_demo_active_projects_have_one_trained_lead(db, demo):
    active = db.session.scalars(select(Project).where(Project.status == "active")).all()
    assert active
    for p in active:
        members = [m for m in p.memberships if m.status == "active"]
        leads = [m for m in p.memberships if m.is_lead]
        assert len(leads) == 1 and leads[0].status == "active"
        assert leads[0].volunteer.lead_trained
        assert p.team_min <= len(members) <= p.team_max
        assert p.seats_filled == len(members)
        assert len(p.sprints) == p.weeks <= 8
        assert p.start_date < date.today() < p.end_date
        assert all(m.hours_per_week == p.hours_per_week for m in members)


def test_demo_at_most_one_checkin_per_sprint_and_only_when_due(db, demo):
    per_sprint = db.session.execute(select(CheckIn.sprint_id, func.count()).group_by(CheckIn.sprint_id)).all()
    assert per_sprint and all(n == 1 for _sprint, n in per_sprint)
    now = utcnow()
    for checkin in db.session.scalars(select(CheckIn)):
        assert checkin.sprint.due_on < date.today()
        assert checkin.submitted_at <= now
        assert checkin.project_id == checkin.sprint.project_id
    # The deliverables show the latest check-in's progress.
    for d in db.session.scalars(select(Deliverable).join(Project).where(Project.status == "active")):
        latest = db.session.scalar(
            select(DeliverableProgress.progress).join(CheckIn, CheckIn.id == DeliverableProgress.checkin_id)
            .join(Sprint, Sprint.id == CheckIn.sprint_id)
            .where(DeliverableProgress.deliverable_id == d.id).order_by(Sprint.number.desc()).limit(1)
        )
        assert d.progress == (latest or 0)


def test_demo_nobody_is_over_committed_and_track_records_match(db, demo):
    committed = committed_hours_by_volunteer()
    for p in db.session.scalars(select(VolunteerProfile)):
        assert committed.get(p.id, 0) <= p.hours_per_week, p.id
        memberships = db.session.scalars(select(TeamMembership).where(TeamMembership.volunteer_id == p.id)).all()
        assert p.placements == len(memberships)
        assert p.projects_completed == sum(m.status == "completed" for m in memberships)
        assert p.projects_dropped == sum(m.status == "dropped" for m in memberships)
        assert p.projects_led == sum(m.is_lead for m in memberships)
        assert 0 <= p.checkins_on_time <= p.checkins_due
        assert 2 <= len(p.skills) <= 6


def test_demo_recruiting_and_completed_projects(db, demo):
    now = utcnow()
    for p in db.session.scalars(select(Project).where(Project.status == "recruiting")):
        run = db.session.scalar(select(MatchRun).where(MatchRun.project_id == p.id))
        assert run.status == "done"
        candidates = db.session.scalars(select(MatchCandidate).where(MatchCandidate.run_id == run.id)).all()
        assert candidates
        for c in candidates:
            assert {"skills", "affinity", "availability", "reliability", "fairness"} <= set(c.components)
            assert c.reasons
        invitations = db.session.scalars(select(Invitation).where(Invitation.project_id == p.id)).all()
        assert all(i.expires_at > now for i in invitations if i.status == "pending")
        accepted = [i for i in invitations if i.status == "accepted"]
        assert p.seats_filled == len(accepted) == len(p.memberships)
        assert p.start_date > date.today()
    completed = db.session.scalars(select(Project).where(Project.status == "completed")).all()
    assert completed
    for p in completed:
        assert p.end_date <= date.today()
        assert db.session.scalar(select(FinalReport).where(FinalReport.project_id == p.id)) is not None
        kinds = Counter(db.session.scalars(select(Rating.kind).where(Rating.project_id == p.id)))
        assert kinds["campaign"] == 1
        assert all(m.status in ("completed", "dropped") for m in p.memberships)
        assert sum(m.is_lead for m in p.memberships) == 1


def test_demo_runs_once(db, demo):
    assert demo_exists()
    users = db.session.scalar(select(func.count(User.id)))
    again = create_demo(volunteers=60, campaigns=6)
    assert "already" in again[0]
    assert db.session.scalar(select(func.count(User.id))) == users


def test_synthetic_volunteers_twice(db):
    assert create_synthetic_volunteers(2000, seed=1, batch=700) == 2000
    assert create_synthetic_volunteers(2000, seed=1, batch=1000) == 2000
    emails = db.session.scalars(select(User.email).where(User.email.like("synthetic%@example.net"))).all()
    assert len(emails) == len(set(emails)) == 4000
    assert db.session.scalar(select(func.count(VolunteerProfile.id))) == 4000
    per_volunteer = Counter(db.session.scalars(select(VolunteerSkill.volunteer_id)))
    assert len(per_volunteer) == 4000 and min(per_volunteer.values()) >= 2 and max(per_volunteer.values()) <= 6
    causes = Counter(db.session.scalars(select(volunteer_causes.c.volunteer_id)))
    assert len(causes) == 4000
    profiles = db.session.scalars(select(VolunteerProfile).limit(200)).all()
    assert all(p.current_city_key and p.timezone.startswith(("America/", "Pacific/")) for p in profiles)
    assert 0.05 < sum(p.lead_trained for p in profiles) / len(profiles) < 0.3
    # Ids came from the tables' own sequences, so ordinary inserts still work afterwards.
    later = User(email="later@example.org", name="Later", password_hash="x", role="volunteer")
    db.session.add(later)
    db.session.add(VolunteerProfile(user=later, hours_per_week=5))
    db.session.commit()
    assert later.id > max(db.session.scalars(select(VolunteerProfile.user_id).where(VolunteerProfile.user_id != later.id)))
