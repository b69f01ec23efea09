"""partner invitations: a partner's members invite colleagues like a campaign's team does

Revision ID: e7b4c1d92a35
Revises: 1fc5128dc947
Create Date: 2026-12-02 13:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7b4c1d92a35'
down_revision = '1fc5128dc947'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partner_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('owner', 'member')", name=op.f('ck_partner_invitations_role')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_partner_invitations_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_invitations_partner_id_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_partner_invitations_invited_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_invitations'))
    )
    with op.batch_alter_table('partner_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_invitations_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_invitations_email'), ['email'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_invitations_email'))
        batch_op.drop_index(batch_op.f('ix_partner_invitations_partner_id'))
    op.drop_table('partner_invitations')
