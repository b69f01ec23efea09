"""Flask-Login user loading by a per-user session token (ends sessions server-side)."""
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import User


def load_user(session_token):
    """Return the active user whose current session token is `session_token`."""
    if not session_token:
        return None
    # Volunteers' pages nearly all need the profile: one query for both instead of two.
    user = db.session.scalar(
        db.select(User).options(joinedload(User.volunteer_profile)).where(User.session_token == session_token)
    )
    if user is None or not user.is_active or user.confirmation_pending:
        return None
    return user
