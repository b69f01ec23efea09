"""Volunteer profile rules."""
from app import audit
from app.errors.domain import DomainError, DomainErrors
from app.extensions import db
from app.models import Cause, Skill, VolunteerProfile, VolunteerSkill
from app.places import find_city


def profile_for(user):
    """The user's volunteer profile, created empty on first use."""
    profile = user.volunteer_profile
    if profile is None:
        profile = VolunteerProfile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
        user.volunteer_profile = profile
    return profile


def skill_catalogue():
    """Active skills grouped by category, for the profile form."""
    skills = db.session.scalars(db.select(Skill).where(Skill.retired.is_(False)).order_by(Skill.category, Skill.name))
    grouped = {}
    for skill in skills:
        grouped.setdefault(skill.category_label, []).append(skill)
    return grouped


def all_causes():
    return list(db.session.scalars(db.select(Cause).order_by(Cause.name)))


def profile_problems(data, filled_only=True):
    """Every profile rule `data` breaks, so a form shows them at once (`filled_only`: the cities
    are checked only when filled in, for a form whose own checks flag the blank ones)."""
    problems = []
    for city, state in (("home_city", "home_state"), ("current_city", "current_state")):
        if filled_only and not (data.get(city) and data.get(state)):
            continue
        if find_city(data.get(city) or "", data.get(state) or "") is None:
            problems.append(DomainError(
                f"We could not find {data[city]} in {data[state]}. Check the spelling, "
                "or pick the nearest larger city.",
                field=city,
            ))
    if data.get("available_until") and data.get("available_from") and data["available_until"] < data["available_from"]:
        problems.append(DomainError("The end of your availability is before its start.", field="available_until"))
    return problems


def update_profile(user, data, skill_levels):
    """Save the profile. `data` holds the form fields; `skill_levels` maps skill id -> level 0..4.

    Raises DomainError (nothing saved) when a city is unknown or dates are inverted.
    """
    problems = profile_problems(data, filled_only=False)
    if problems:
        raise DomainErrors(problems)
    home = find_city(data["home_city"], data["home_state"])
    current = find_city(data["current_city"], data["current_state"])
    valid_skills = set(db.session.scalars(db.select(Skill.id).where(Skill.retired.is_(False))))
    levels = {sid: lvl for sid, lvl in skill_levels.items() if sid in valid_skills and 1 <= lvl <= 4}

    profile = profile_for(user)
    user.name = data["name"].strip()
    profile.headline = data.get("headline") or ""
    profile.bio = data.get("bio") or ""
    profile.home_city, profile.home_state = home.name, home.state
    profile.home_city_key, profile.home_lat, profile.home_lon = home.key, home.lat, home.lon
    profile.current_city, profile.current_state = current.name, current.state
    profile.current_city_key, profile.current_lat, profile.current_lon = current.key, current.lat, current.lon
    profile.hours_per_week = data["hours_per_week"]
    profile.available_from = data["available_from"]
    profile.available_until = data.get("available_until")
    profile.timezone = data["timezone"]
    profile.links = data.get("links") or ""
    profile.causes = list(db.session.scalars(db.select(Cause).where(Cause.id.in_(data.get("causes") or []))))
    existing = {vs.skill_id: vs for vs in profile.skills}
    for sid, vs in list(existing.items()):
        if sid not in levels:
            profile.skills.remove(vs)
    for sid, lvl in levels.items():
        if sid in existing:
            existing[sid].level = lvl
        else:
            profile.skills.append(VolunteerSkill(skill_id=sid, level=lvl))
    audit.record(user, "volunteer.profile_updated", profile, skills=len(levels))
    db.session.commit()
    return profile


def set_paused(user, paused):
    """Pause (no new opportunities) or resume."""
    profile = profile_for(user)
    profile.paused = paused
    audit.record(user, "volunteer.paused" if paused else "volunteer.resumed", profile)
    db.session.commit()
    return profile


def dashboard(user):
    """What a volunteer sees first: open invitations, current teams, due dates, history, profile
    completeness (read as rows in one round trip: app/teams/history.py)."""
    from app.teams.history import volunteer_dashboard

    profile = profile_for(user)
    data = volunteer_dashboard(profile)
    missing = []
    if not data["has_skills"]:
        missing.append("your skills")
    if not profile.home_city:
        missing.append("your hometown")
    if not profile.current_city:
        missing.append("your current city")
    return {"profile": profile, "invitations": data["invitations"], "missing": missing, "history": data["history"]}
