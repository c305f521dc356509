"""bounce taxonomy: mailbox health counts (events by mailbox), the workspace's threshold for a mailbox pausing itself on sender-side rejections

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 11:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_rejection_threshold', sa.Integer(), server_default='5', nullable=False))
        batch_op.add_column(sa.Column('sender_rejection_window_minutes', sa.Integer(), server_default='60',
                                      nullable=False))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_mailbox_kind_time', ['mailbox_id', 'kind', 'occurred_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_mailbox_kind_time')
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('sender_rejection_window_minutes')
        batch_op.drop_column('sender_rejection_threshold')
