"""departures count in the track record when they happen, not when the project completes

Revision ID: 7d3f1a2b9c64
Revises: 5a8e2c4f1b90
Create Date: 2026-12-02 06:40:00

Until now a member who left early was added to `projects_dropped` only when their project was
completed. From now on it is counted at the moment they leave (app/teams/departures.py), so a
project that is cancelled later cannot forget it. Members who left a project that has not been
completed yet would otherwise never be counted: count them once here. Data only; no schema change.
"""
from alembic import op


revision = '7d3f1a2b9c64'
down_revision = '5a8e2c4f1b90'
branch_labels = None
depends_on = None

NOT_YET_COUNTED = """
    SELECT count(*) FROM team_memberships tm JOIN projects p ON p.id = tm.project_id
    WHERE tm.volunteer_id = volunteer_profiles.id AND tm.status = 'dropped' AND p.status <> 'completed'
"""


def upgrade():
    op.execute(f"UPDATE volunteer_profiles SET projects_dropped = projects_dropped + ({NOT_YET_COUNTED})")


def downgrade():
    op.execute(f"UPDATE volunteer_profiles SET projects_dropped = projects_dropped - ({NOT_YET_COUNTED})")
