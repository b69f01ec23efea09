"""many hands: campaign teams (roles, colleague invitations)

Revision ID: a13e0f5c2b71
Revises: 3c1d9e5a7b20
Create Date: 2026-12-02 06:30:00

Every existing campaign member becomes an owner (the server default): today each campaign was run
by the person who registered it, who must keep managing it.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a13e0f5c2b71'
down_revision = '3c1d9e5a7b20'
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode copies campaign_members on SQLite (to add the CHECK); no table points at it.
    with op.batch_alter_table('campaign_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=10), server_default='owner', nullable=False))
        batch_op.create_check_constraint('role', "role IN ('owner', 'member')")

    op.create_table('campaign_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('owner', 'member')", name=op.f('ck_campaign_invitations_role')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_campaign_invitations_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_invitations_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_campaign_invitations_invited_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_invitations'))
    )
    with op.batch_alter_table('campaign_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_invitations_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_invitations_email'), ['email'], unique=False)


def downgrade():
    with op.batch_alter_table('campaign_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_invitations_email'))
        batch_op.drop_index(batch_op.f('ix_campaign_invitations_campaign_id'))
    op.drop_table('campaign_invitations')
    with op.batch_alter_table('campaign_members', schema=None) as batch_op:
        batch_op.drop_constraint('role', type_='check')
        batch_op.drop_column('role')
