"""join lifecycle and hardening heads

Revision ID: 1fc5128dc947
Revises: 5e7a1c2d9b44, 7d3f1a2b9c64
Create Date: 2026-12-02 07:06:31.223864

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1fc5128dc947'
down_revision = ('5e7a1c2d9b44', '7d3f1a2b9c64')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
