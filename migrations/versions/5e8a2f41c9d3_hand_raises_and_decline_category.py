"""volunteers raise a hand on recruiting projects; declines carry a reason category

Revision ID: 5e8a2f41c9d3
Revises: 3c1d9e5a7b20
Create Date: 2026-12-02 06:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5e8a2f41c9d3'
down_revision = '3c1d9e5a7b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'hand_raises',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_hand_raises_project_id_projects'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer_profiles.id'],
                                name=op.f('fk_hand_raises_volunteer_id_volunteer_profiles'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hand_raises')),
        sa.UniqueConstraint('volunteer_id', 'project_id', name='uq_hand_raise'),
    )
    op.create_index(op.f('ix_hand_raises_project_id'), 'hand_raises', ['project_id'], unique=False)
    op.create_index(op.f('ix_hand_raises_volunteer_id'), 'hand_raises', ['volunteer_id'], unique=False)
    # Plain ALTER TABLE (see 3c1d9e5a7b20): a batch copy of invitations fails once rows point at it.
    op.add_column('invitations', sa.Column('decline_category', sa.String(length=10), server_default='',
                                           nullable=False))


def downgrade():
    op.drop_column('invitations', 'decline_category')
    op.drop_index(op.f('ix_hand_raises_volunteer_id'), table_name='hand_raises')
    op.drop_index(op.f('ix_hand_raises_project_id'), table_name='hand_raises')
    op.drop_table('hand_raises')
