"""Shared column helpers for the models."""
from datetime import datetime, timezone

import sqlalchemy as sa


def utcnow():
    """Timezone-naive UTC now; every timestamp in the database is UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def choice_check(column, values, name):
    """A CHECK constraint limiting a string column to a fixed set of values."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)
