"""The skills taxonomy and the list of causes volunteers care about."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import choice_check

SKILL_CATEGORIES = (
    "engineering", "data", "design", "digital_ads", "email", "social", "video", "crm", "ops",
)
CATEGORY_LABELS = {
    "engineering": "Engineering",
    "data": "Data",
    "design": "Design",
    "digital_ads": "Digital ads",
    "email": "Email",
    "social": "Social",
    "video": "Video",
    "crm": "CRM and voter-file tools",
    "ops": "Operations",
}
LEVELS = {1: "beginner", 2: "intermediate", 3: "advanced", 4: "expert"}


class Skill(db.Model):
    __tablename__ = "skills"
    __table_args__ = (choice_check("category", SKILL_CATEGORIES, "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    category: Mapped[str] = mapped_column(sa.String(20))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    retired: Mapped[bool] = mapped_column(default=False)

    @property
    def category_label(self):
        return CATEGORY_LABELS[self.category]


class Cause(db.Model):
    __tablename__ = "causes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    # Matching packs causes into a 64-bit mask; the bit is fixed once given.
    bit: Mapped[int] = mapped_column(sa.SmallInteger, unique=True)

    __table_args__ = (sa.CheckConstraint("bit >= 0 AND bit < 64", name="bit_range"),)
