"""task queue: snooze, skip reason, the manual-email edit, rep time off

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 15:04:52.669743
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('time_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), server_default='', nullable=False),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_time_off_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_off'))
    )
    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.create_index('ix_time_off_user_end', ['user_id', 'ends_on'], unique=False)

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snoozed_until', sequencer.platform.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('skip_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('email_subject', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('email_body', sa.Text(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_off_tasks', sa.String(length=16), server_default='push', nullable=False))
        batch_op.add_column(sa.Column('time_off_emails', sa.String(length=16), server_default='wait', nullable=False))
        batch_op.add_column(sa.Column('time_off_delegate_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_time_off_delegate_id_users'), 'users', ['time_off_delegate_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_time_off_delegate_id_users'), type_='foreignkey')
        batch_op.drop_column('time_off_delegate_id')
        batch_op.drop_column('time_off_emails')
        batch_op.drop_column('time_off_tasks')

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('email_body')
        batch_op.drop_column('email_subject')
        batch_op.drop_column('skip_reason')
        batch_op.drop_column('snoozed_until')

    with op.batch_alter_table('time_off', schema=None) as batch_op:
        batch_op.drop_index('ix_time_off_user_end')

    op.drop_table('time_off')
