"""accounts confirm their email before first log-in

Revision ID: 3c1d9e5a7b20
Revises: 77b47adb86d7
Create Date: 2026-11-25 19:00:00

Existing accounts count as confirmed (the server default), so nobody is locked out by the upgrade.
"""
from alembic import op
import sqlalchemy as sa


revision = '3c1d9e5a7b20'
down_revision = '77b47adb86d7'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not batch mode: on SQLite a batch copy would drop and re-create `users`,
# which the foreign keys of every table pointing at it refuse once there are rows.
def upgrade():
    op.add_column('users', sa.Column('confirmation_pending', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.drop_column('users', 'confirmation_pending')
