"""Accounts: one User per person, with a single role."""
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.base import choice_check, utcnow

ROLES = ("volunteer", "campaign", "staff", "admin")
ROLE_LABELS = {
    "volunteer": "Volunteer",
    "campaign": "Campaign member",
    "staff": "Staff",
    "admin": "Admin",
}


def new_session_token():
    return secrets.token_urlsafe(32)


def hash_password(password):
    """A hash of `password` with the configured method (PASSWORD_HASH_METHOD: scrypt outside tests)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (choice_check("role", ROLES, "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default="volunteer")
    # Flask-Login "alternative token": rotating it ends every session of the user server-side.
    session_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True)
    # Set for self-registered accounts until the emailed link is opened (or a reset link is used):
    # until then nobody can log in to it. Accounts made by seeds and imports start confirmed.
    confirmation_pending: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Part of every calendar-feed address; the member bumps it to turn old addresses off.
    calendar_feed_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    volunteer_profile = relationship("VolunteerProfile", back_populates="user", uselist=False)
    campaign_memberships = relationship("CampaignMember", back_populates="user")

    def set_password(self, password):
        self.password_hash = hash_password(password)
        self.rotate_session_token()

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self):
        self.session_token = new_session_token()

    def get_id(self):
        return self.session_token

    @property
    def is_active(self):
        return self.active and self.closed_at is None

    @property
    def is_staff(self):
        return self.role in ("staff", "admin")

    @property
    def is_admin(self):
        return self.role == "admin"

    @property
    def role_label(self):
        return ROLE_LABELS[self.role]

    def __repr__(self):
        return f"<User {self.id} {self.role}>"
