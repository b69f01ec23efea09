"""once-only form submissions; rotatable calendar feed addresses

Revision ID: 5e7a1c2d9b44
Revises: 3c1d9e5a7b20
Create Date: 2026-12-02 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5e7a1c2d9b44'
down_revision = '3c1d9e5a7b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_submissions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_submissions_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submissions')),
        sa.UniqueConstraint('user_id', 'token', name='uq_form_submission_user_token'),
    )
    op.create_index(op.f('ix_form_submissions_user_id'), 'form_submissions', ['user_id'], unique=False)
    # Plain ALTER TABLE (see 3c1d9e5a7b20): existing feeds keep working at version 0.
    op.add_column('users', sa.Column('calendar_feed_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    op.drop_column('users', 'calendar_feed_version')
    op.drop_index(op.f('ix_form_submissions_user_id'), table_name='form_submissions')
    op.drop_table('form_submissions')
