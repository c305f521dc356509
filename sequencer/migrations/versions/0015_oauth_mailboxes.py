"""oauth mailboxes: the mailbox's auth kind and encrypted tokens, and the admin's OAuth client per provider

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 14:10:00
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('oauth_apps',
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('client_id', sa.String(length=500), nullable=False),
    sa.Column('client_secret_encrypted', sa.Text(), nullable=True),
    sa.Column('tenant', sa.String(length=200), nullable=True),
    sa.Column('authorize_url', sa.String(length=2000), nullable=True),
    sa.Column('token_url', sa.String(length=2000), nullable=True),
    sa.Column('updated_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('provider', name=op.f('pk_oauth_apps'))
    )
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auth', sa.Enum('password', 'oauth_google', 'oauth_microsoft', name='mailboxauth', native_enum=False, length=32), server_default='password', nullable=False))
        batch_op.add_column(sa.Column('oauth_refresh_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('oauth_access_encrypted', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('oauth_expires_at', sequencer.platform.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('oauth_reconnect_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.drop_column('oauth_reconnect_reason')
        batch_op.drop_column('oauth_expires_at')
        batch_op.drop_column('oauth_access_encrypted')
        batch_op.drop_column('oauth_refresh_encrypted')
        batch_op.drop_column('auth')
    op.drop_table('oauth_apps')
