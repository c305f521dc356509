"""outbox: index events by step run and kind (each sent email's opens/clicks/replies/bounces and the status
filter read an index, not the events table) and step runs by sent time (the newest page walks the index)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 14:20:00
"""
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_run_kind', ['step_run_id', 'kind'], unique=False)
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.create_index('ix_step_runs_sent', ['sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_step_runs_sent')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_run_kind')
