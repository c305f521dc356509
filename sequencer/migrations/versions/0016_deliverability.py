"""deliverability: mailbox pools, DNS check results, warm-up, DKIM signing and tracking domains

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 14:15:00
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mailbox_pools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_mailbox_pools_owner_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailbox_pools'))
    )
    with op.batch_alter_table('mailbox_pools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailbox_pools_owner_id'), ['owner_id'], unique=False)
    op.create_table('domain_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=False),
    sa.Column('passed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('records', sa.JSON(), nullable=False),
    sa.Column('checked_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('acknowledged_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'],
                            name=op.f('fk_domain_checks_acknowledged_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_domain_checks')),
    sa.UniqueConstraint('kind', 'domain', name='uq_domain_checks_kind_domain')
    )
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('warmup_start', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('warmup_step', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('warmup_target', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('warmup_started_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('pool_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('dkim_selector', sa.String(length=63), nullable=True))
        batch_op.add_column(sa.Column('dkim_private_key_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('dkim_signing', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('tracking_domain', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('awaiting_domain_check', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index(batch_op.f('ix_mailboxes_pool_id'), ['pool_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_mailboxes_pool_id_mailbox_pools'), 'mailbox_pools',
                                    ['pool_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pool_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_enrollments_pool_id_mailbox_pools'), 'mailbox_pools',
                                    ['pool_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_domain', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('tracking_domain')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_enrollments_pool_id_mailbox_pools'), type_='foreignkey')
        batch_op.drop_column('pool_id')
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mailboxes_pool_id_mailbox_pools'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_mailboxes_pool_id'))
        for column in ('awaiting_domain_check', 'tracking_domain', 'dkim_signing', 'dkim_private_key_encrypted',
                       'dkim_selector', 'pool_id', 'warmup_started_on', 'warmup_target', 'warmup_step',
                       'warmup_start'):
            batch_op.drop_column(column)
    op.drop_table('domain_checks')
    with op.batch_alter_table('mailbox_pools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailbox_pools_owner_id'))
    op.drop_table('mailbox_pools')
