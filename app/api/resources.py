"""OSDI and Barnstorm resources as HAL+JSON dictionaries, and the tags an organisation sees."""
from flask import url_for

from app.extensions import db
from app.models import Cause, Project, Skill
from app.lifecycle import ProjectStatus


def osdi_time(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def day(value):
    return value.isoformat() if value else None


def person(profile):
    """A consented volunteer as an OSDI Person (only what a campaign needs to get back in touch)."""
    user = profile.user
    given, _, family = (user.name or "").partition(" ")
    href = url_for("api.person", person_id=profile.id)
    postal = []
    if profile.current_city:
        postal.append({"primary": True, "locality": profile.current_city, "region": profile.current_state or "",
                       "country": "US"})
    return {
        "id": str(profile.id), "identifiers": [f"barnstorm:person-{profile.id}"],
        "created_date": osdi_time(user.created_at), "modified_date": osdi_time(user.created_at),
        "given_name": given, "family_name": family,
        "email_addresses": [{"address": user.email, "primary": True}],
        "postal_addresses": postal,
        "_links": {"self": {"href": href},
                   "osdi:taggings": {"href": url_for("api.person_taggings", person_id=profile.id)}},
    }


# Tag ids say what they stand for: skill-<id>, cause-<id>, project-<id> (the project's team).
def tag(tag_id, name, created=None):
    return {
        "id": tag_id, "identifiers": [f"barnstorm:{tag_id}"], "name": name,
        "created_date": osdi_time(created), "modified_date": osdi_time(created),
        "_links": {"self": {"href": url_for("api.tag", tag_id=tag_id)},
                   "osdi:taggings": {"href": url_for("api.tag_taggings", tag_id=tag_id)}},
    }


def tagging(tag_id, profile_id):
    tagging_id = f"{tag_id}.{profile_id}"
    return {
        "id": tagging_id, "identifiers": [f"barnstorm:tagging-{tagging_id}"], "item_type": "osdi:person",
        "_links": {"self": {"href": url_for("api.tagging", tag_id=tag_id, tagging_id=tagging_id)},
                   "osdi:tag": {"href": url_for("api.tag", tag_id=tag_id)},
                   "osdi:person": {"href": url_for("api.person", person_id=profile_id)}},
    }


def tags_for(campaign_ids_select):
    """Every tag the organisation sees: skills and causes (shared vocabulary) and its projects' teams."""
    out = [tag(f"skill-{s.id}", s.name) for s in db.session.scalars(db.select(Skill).order_by(Skill.id))]
    out += [tag(f"cause-{c.id}", c.name) for c in db.session.scalars(db.select(Cause).order_by(Cause.id))]
    out += [tag(f"project-{p.id}", f"Team: {p.title}", p.created_at) for p in db.session.scalars(
        db.select(Project).where(Project.campaign_id.in_(campaign_ids_select), Project.status != ProjectStatus.DRAFT)
        .order_by(Project.id))]
    return out


def project(p):
    return {
        "id": str(p.id), "identifiers": [f"barnstorm:project-{p.id}"], "title": p.title, "summary": p.summary,
        "status": str(p.status), "campaign_id": str(p.campaign_id), "hours_per_week": p.hours_per_week,
        "weeks": p.weeks, "team_min": p.team_min, "team_max": p.team_max, "start_date": day(p.start_date),
        "end_date": day(p.end_date), "created_date": osdi_time(p.created_at),
        "_links": {"self": {"href": url_for("api.project", project_id=p.id)},
                   "barnstorm:sprints": {"href": url_for("api.project_sprints", project_id=p.id)},
                   "barnstorm:check_ins": {"href": url_for("api.project_checkins", project_id=p.id)}},
    }


def sprint(s):
    return {
        "id": str(s.id), "number": s.number, "starts_on": day(s.starts_on), "ends_on": day(s.ends_on),
        "due_on": day(s.due_on),
        "_links": {"self": {"href": url_for("api.project_sprints", project_id=s.project_id) + f"#{s.number}"},
                   "barnstorm:project": {"href": url_for("api.project", project_id=s.project_id)}},
    }


def checkin(c, sprint_number):
    return {
        "id": str(c.id), "sprint": sprint_number, "status": str(c.status), "done": c.done,
        "next_steps": c.next_steps, "blockers": c.blockers, "on_time": bool(c.on_time),
        "submitted_date": osdi_time(c.submitted_at),
        "_links": {"self": {"href": url_for("api.project_checkins", project_id=c.project_id) + f"#{c.id}"},
                   "barnstorm:project": {"href": url_for("api.project", project_id=c.project_id)}},
    }


def help_request(r):
    return {
        "id": str(r.id), "campaign_id": str(r.campaign_id), "goals": r.goals, "categories": list(r.categories or []),
        "timing": r.timing, "constraints": r.constraints, "status": str(r.status),
        "desired_start": day(r.desired_start), "created_date": osdi_time(r.created_at),
        "_links": {"self": {"href": url_for("api.help_request", request_id=r.id)}},
    }
