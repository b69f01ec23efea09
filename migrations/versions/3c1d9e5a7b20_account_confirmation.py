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


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('confirmation_pending', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('confirmation_pending')
