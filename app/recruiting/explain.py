"""'Why not this person?' for staff: finds the volunteer and asks the matcher to explain."""
from flask import current_app

from app.errors.domain import DomainError
from app.extensions import db
from app.matching import why_not
from app.models import User, VolunteerProfile
from app.recruiting.features import load_project_needs, load_volunteer_features


def find_volunteer(query):
    """A volunteer by exact email, or by a unique part of the name."""
    query = (query or "").strip()
    if not query:
        raise DomainError("Type a volunteer's email or name.")
    stmt = db.select(VolunteerProfile, User.name).join(User, User.id == VolunteerProfile.user_id)
    if "@" in query:
        rows = db.session.execute(stmt.where(db.func.lower(User.email) == query.lower())).all()
    else:
        rows = db.session.execute(stmt.where(User.name.ilike(f"%{query}%")).limit(2)).all()
    if not rows:
        raise DomainError(f"No volunteer matches “{query}”.")
    if len(rows) > 1:
        raise DomainError(f"More than one volunteer matches “{query}”; use their email.")
    return rows[0]


def why_not_for(project, query):
    """A dict the template shows: the volunteer's name, a sentence, components and reasons."""
    profile, name = find_volunteer(query)
    features, labels = load_volunteer_features(for_project_id=project.id)  # as the project's own run sees it
    answer = why_not(
        features, load_project_needs(project), profile.id,
        weights=current_app.config["MATCH_WEIGHTS"], labels=labels, top_k=current_app.config["MATCH_TOP_K"],
    )
    if not answer.eligible:
        return {"name": name, "sentence": answer.summary, "components": {}, "reasons": []}
    sentence = answer.summary
    return {"name": name, "sentence": sentence, "components": answer.components, "reasons": answer.reasons}
