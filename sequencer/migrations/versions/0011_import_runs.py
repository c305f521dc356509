"""prospect imports count their runs, so one that keeps dying is given up instead of resumed for ever

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-06 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('prospect_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('runs', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('prospect_imports', schema=None) as batch_op:
        batch_op.drop_column('runs')
