"""One row per form submitted with a once-only token: a double click creates one record."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class FormSubmission(db.Model):
    __tablename__ = "form_submissions"
    __table_args__ = (sa.UniqueConstraint("user_id", "token", name="uq_form_submission_user_token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(40))
    target_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
