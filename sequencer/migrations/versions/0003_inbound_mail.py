"""inbound mail

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 14:20:43.418050
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('imap_folder_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailbox_id', sa.Integer(), nullable=False),
    sa.Column('folder', sa.String(length=255), nullable=False),
    sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
    sa.Column('last_uid', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mailbox_id'], ['mailboxes.id'], name=op.f('fk_imap_folder_states_mailbox_id_mailboxes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imap_folder_states')),
    sa.UniqueConstraint('mailbox_id', 'folder', name='uq_imap_folder_states_mailbox_folder')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inbound_message_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_inbound_message_id'), ['inbound_message_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_events_inbound_message_id_inbound_messages'), 'inbound_messages', ['inbound_message_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_run_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sentiment', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('resume_at', sequencer.platform.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('detail', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('folder', sa.String(length=255), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_inbound_messages_step_run_id_step_runs'), 'step_runs', ['step_run_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_inbound_messages_status', ['status'], unique=False)
        batch_op.create_index('ix_inbound_messages_received_at', ['received_at'], unique=False)

    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('imap_host', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('imap_port', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('imap_username', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('imap_password_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('imap_security', sa.Enum('none', 'starttls', 'tls', name='smtpsecurity', native_enum=False, length=32), server_default='tls', nullable=False))
        batch_op.add_column(sa.Column('imap_folders', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('imap_failures', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('imap_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('imap_checked_at', sequencer.platform.db.UTCDateTime(), nullable=True))

    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_stops_company', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('reply_stops_company')

    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.drop_column('imap_checked_at')
        batch_op.drop_column('imap_error')
        batch_op.drop_column('imap_failures')
        batch_op.drop_column('imap_folders')
        batch_op.drop_column('imap_security')
        batch_op.drop_column('imap_password_encrypted')
        batch_op.drop_column('imap_username')
        batch_op.drop_column('imap_port')
        batch_op.drop_column('imap_host')

    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_messages_received_at')
        batch_op.drop_index('ix_inbound_messages_status')
        batch_op.drop_constraint(batch_op.f('fk_inbound_messages_step_run_id_step_runs'), type_='foreignkey')
        batch_op.drop_column('folder')
        batch_op.drop_column('detail')
        batch_op.drop_column('resume_at')
        batch_op.drop_column('sentiment')
        batch_op.drop_column('step_run_id')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_inbound_message_id_inbound_messages'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_inbound_message_id'))
        batch_op.drop_column('inbound_message_id')

    op.drop_table('imap_folder_states')
