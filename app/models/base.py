"""Shared column helpers for the models."""
import sqlalchemy as sa

from app import clock


def utcnow():
    """Timezone-naive UTC now; every timestamp in the database is UTC. The clock is app/clock.py."""
    return clock.now()


def choice_check(column, values, name):
    """A CHECK constraint limiting a string column to a fixed set of values."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name)
