"""workspace: the domains whose links manual emails may click-track

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-06 11:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracked_link_domains', sa.JSON(), server_default=sa.text("'[]'"),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('tracked_link_domains')
