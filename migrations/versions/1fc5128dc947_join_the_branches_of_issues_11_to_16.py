"""join the branches built side by side for issues 11 to 16 (no schema change of its own)

Revision ID: 1fc5128dc947
Revises: 5e7a1c2d9b44, 7d3f1a2b9c64, 5e7a1d2c9f30
Create Date: 2026-12-02 07:06:31.223864

"""
# revision identifiers, used by Alembic.
revision = '1fc5128dc947'
down_revision = ('5e7a1c2d9b44', '7d3f1a2b9c64', '5e7a1d2c9f30')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
