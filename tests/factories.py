"""Test data factories. Each returns committed objects."""
import itertools
from datetime import timedelta

from werkzeug.security import generate_password_hash

from app import clock
from app.extensions import db
from app.models import (
    Campaign,
    CampaignMember,
    Cause,
    Project,
    ProjectSkill,
    ProjectTemplate,
    Skill,
    TemplateSkill,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from app.models.users import new_session_token
from app.places import find_city
from config import TestingConfig

PASSWORD = "correct horse battery"
# Hashed once, with the test config's cheap method (production's scrypt costs ~0.25 s per check).
_HASH = generate_password_hash(PASSWORD, method=TestingConfig.PASSWORD_HASH_METHOD)
_seq = itertools.count(1)


def user(role="volunteer", email=None, name=None, **kw):
    n = next(_seq)
    u = User(
        email=email or f"{role}{n}@example.org",
        name=name or f"{role.capitalize()} {n}",
        role=role,
        password_hash=_HASH,
        session_token=new_session_token(),
        **kw,
    )
    db.session.add(u)
    if role == "volunteer":
        db.session.add(VolunteerProfile(user=u, hours_per_week=10, available_from=clock.today()))
    db.session.commit()
    return u


def skill(name=None, category="engineering"):
    n = next(_seq)
    s = Skill(slug=f"skill-{n}", name=name or f"Skill {n}", category=category)
    db.session.add(s)
    db.session.commit()
    return s


def cause(name=None):
    n = next(_seq)
    c = Cause(slug=f"cause-{n}", name=name or f"Cause {n}", bit=n % 64)
    db.session.add(c)
    db.session.commit()
    return c


def volunteer(email=None, city=("Richmond", "VA"), hours=10, skills=(), lead_trained=False, **kw):
    """A volunteer user with a located profile. `skills` is [(Skill, level)]."""
    u = user("volunteer", email=email)
    p = u.volunteer_profile
    place = find_city(*city)
    p.home_city = p.current_city = place.name
    p.home_state = p.current_state = place.state
    p.home_city_key = p.current_city_key = place.key
    p.home_lat = p.current_lat = place.lat
    p.home_lon = p.current_lon = place.lon
    p.hours_per_week = hours
    p.lead_trained = lead_trained
    for key, value in kw.items():
        setattr(p, key, value)
    for s, level in skills:
        p.skills.append(VolunteerSkill(skill_id=s.id, level=level))
    db.session.commit()
    return u


def campaign(member=None, name=None, city=("Richmond", "VA"), election_in_days=200, **kw):
    """A campaign; `member` (a campaign-role User) joins it when given."""
    n = next(_seq)
    place = find_city(*city)
    c = Campaign(
        name=name or f"Campaign {n}",
        candidate_name=f"Candidate {n}",
        office="State House",
        office_level="state",
        state=place.state,
        city=place.name,
        city_key=place.key,
        lat=place.lat,
        lon=place.lon,
        election_date=clock.today() + timedelta(days=election_in_days),
        **kw,
    )
    db.session.add(c)
    if member is not None:
        db.session.add(CampaignMember(campaign=c, user_id=member.id))
    db.session.commit()
    return c


def template(skills=(), weeks=6, hours=6, team_min=3, team_max=5, **kw):
    n = next(_seq)
    t = ProjectTemplate(
        slug=f"template-{n}",
        title=kw.pop("title", f"Template {n}"),
        category=kw.pop("category", "website"),
        summary="A well-scoped project.",
        deliverables=["First deliverable", "Second deliverable"],
        metrics=[{"name": "Online donations", "unit": "$", "target": 5000}],
        team_min=team_min,
        team_max=team_max,
        hours_per_week=hours,
        weeks=weeks,
        **kw,
    )
    for s, level in skills:
        t.skills.append(TemplateSkill(skill_id=s.id, level=level, weight=1.0))
    db.session.add(t)
    db.session.commit()
    return t


def project(campaign, skills=(), weeks=6, hours=6, status="approved", start_in_days=7, **kw):
    start = clock.today() + timedelta(days=start_in_days)
    p = Project(
        campaign_id=campaign.id,
        title=kw.pop("title", "Donation page"),
        status=status,
        hours_per_week=hours,
        weeks=weeks,
        start_date=start,
        end_date=start + timedelta(weeks=weeks),
        team_min=kw.pop("team_min", 3),
        team_max=kw.pop("team_max", 5),
        **kw,
    )
    for s, level in skills:
        p.skills.append(ProjectSkill(skill_id=s.id, level=level, weight=1.0))
    db.session.add(p)
    db.session.commit()
    return p
