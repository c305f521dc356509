"""one-off emails: a rep's email to one prospect outside any sequence, sent at most once

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 17:20:00
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

UTC = sequencer.platform.db.UTCDateTime


def upgrade() -> None:
    op.create_table('one_off_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('mailbox_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'sending', 'sent', 'failed', 'uncertain', name='oneoffstate',
                               native_enum=False, create_constraint=False, length=32), nullable=False),
    sa.Column('send_started_at', UTC(), nullable=True),
    sa.Column('sent_at', UTC(), nullable=True),
    sa.Column('sent_subject', sa.Text(), nullable=True),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('body_text', sa.Text(), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['mailbox_id'], ['mailboxes.id'], name=op.f('fk_one_off_emails_mailbox_id_mailboxes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_one_off_emails_prospect_id_prospects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_one_off_emails_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_one_off_emails')),
    sa.UniqueConstraint('message_id', name=op.f('uq_one_off_emails_message_id'))
    )
    with op.batch_alter_table('one_off_emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_one_off_emails_mailbox_id'), ['mailbox_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_one_off_emails_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_one_off_emails_prospect_created', ['prospect_id', 'created_at'], unique=False)
        batch_op.create_index('ix_one_off_emails_state_started', ['state', 'send_started_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('one_off_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_one_off_emails_state_started')
        batch_op.drop_index('ix_one_off_emails_prospect_created')
        batch_op.drop_index(batch_op.f('ix_one_off_emails_user_id'))
        batch_op.drop_index(batch_op.f('ix_one_off_emails_mailbox_id'))
    op.drop_table('one_off_emails')
