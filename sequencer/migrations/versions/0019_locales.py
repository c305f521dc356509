"""locales: each user's language, and the workspace's default for everyone who has not chosen one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 17:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('locale', sa.String(length=8), nullable=True))
    with op.batch_alter_table('workspace') as batch:
        batch.add_column(sa.Column('default_locale', sa.String(length=8), server_default='en', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('workspace') as batch:
        batch.drop_column('default_locale')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('locale')
