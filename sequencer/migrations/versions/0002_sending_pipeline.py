"""sending pipeline

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 12:27:04.669005
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_send_at', sequencer.platform.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('consecutive_failures', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('send_started_at', sequencer.platform.db.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_step_runs_mailbox_sent', ['mailbox_id', 'sent_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_step_runs_mailbox_sent')
        batch_op.drop_column('send_started_at')

    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.drop_column('consecutive_failures')
        batch_op.drop_column('next_send_at')

