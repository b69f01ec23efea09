"""one lifecycle for every change of plan; in-app notifications with per-kind delivery

Revision ID: 5a8e2c4f1b90
Revises: 3c1d9e5a7b20
Create Date: 2026-12-02 06:30:00

Adds: withdrawn help requests; cancelled projects' date and reason; memberships that ended
because their project was cancelled (and why any membership ended); a check-in's review state
(logged / acknowledged, set from acknowledged_at for existing rows); notifications and
notification preferences.
"""
from alembic import op
import sqlalchemy as sa


revision = '5a8e2c4f1b90'
down_revision = '3c1d9e5a7b20'
branch_labels = None
depends_on = None

REQUEST_OLD = "status IN ('new', 'in_conversation', 'scoped', 'declined')"
REQUEST_NEW = "status IN ('new', 'in_conversation', 'scoped', 'declined', 'withdrawn')"
MEMBERSHIP_OLD = "status IN ('active', 'completed', 'dropped')"
MEMBERSHIP_NEW = "status IN ('active', 'completed', 'dropped', 'ended')"


def _replace_check(table, name, sqltext):
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(name), type_='check')
        batch.create_check_constraint(op.f(name), sqltext)


def upgrade():
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=160), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('link', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.Column('emailed_at', sa.DateTime(), nullable=True),
        sa.Column('digest', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
        sa.UniqueConstraint('user_id', 'key', name='uq_notifications_user_key'),
    )
    op.create_index('ix_notifications_user_unread', 'notifications', ['user_id', 'read_at'], unique=False)
    op.create_table(
        'notification_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('delivery', sa.String(length=10), nullable=False),
        sa.CheckConstraint("delivery IN ('immediate', 'digest')", name=op.f('ck_notification_preferences_delivery')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences')),
    )
    op.add_column('projects', sa.Column('cancelled_at', sa.DateTime(), nullable=True))
    op.add_column('projects', sa.Column('cancel_reason', sa.Text(), server_default='', nullable=False))
    op.add_column('team_memberships', sa.Column('end_reason', sa.Text(), server_default='', nullable=False))
    op.add_column('checkins', sa.Column('review', sa.String(length=12), server_default='logged', nullable=False))
    op.execute("UPDATE checkins SET review = 'acknowledged' WHERE acknowledged_at IS NOT NULL")
    with op.batch_alter_table('checkins') as batch:
        batch.create_check_constraint(op.f('ck_checkins_review'), "review IN ('logged', 'acknowledged')")
    _replace_check('help_requests', 'ck_help_requests_status', REQUEST_NEW)
    _replace_check('team_memberships', 'ck_team_memberships_status', MEMBERSHIP_NEW)


def downgrade():
    # Statuses the old schema does not know fall back to their nearest old meaning.
    op.execute("UPDATE help_requests SET status = 'declined' WHERE status = 'withdrawn'")
    op.execute("UPDATE team_memberships SET status = 'dropped' WHERE status = 'ended'")
    _replace_check('team_memberships', 'ck_team_memberships_status', MEMBERSHIP_OLD)
    _replace_check('help_requests', 'ck_help_requests_status', REQUEST_OLD)
    with op.batch_alter_table('checkins') as batch:
        batch.drop_constraint(op.f('ck_checkins_review'), type_='check')
        batch.drop_column('review')
    with op.batch_alter_table('team_memberships') as batch:
        batch.drop_column('end_reason')
    with op.batch_alter_table('projects') as batch:
        batch.drop_column('cancel_reason')
        batch.drop_column('cancelled_at')
    op.drop_index('ix_notifications_user_unread', table_name='notifications')
    op.drop_table('notification_preferences')
    op.drop_table('notifications')
