"""opportunities: stale rules, one reminder per stale period, activity lookups by opportunity

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 14:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OPEN_STALE = "type = 'stale_opportunity' AND status = 'open'"
DEFAULT_RULES = '{"qualification": 7, "needs_analysis": 7, "proposal": 5, "negotiation": 3}'


def upgrade() -> None:
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_tasks_dedupe_key'), ['dedupe_key'])
        batch_op.create_index(batch_op.f('ix_tasks_opportunity_id'), ['opportunity_id'], unique=False)
    # a partial unique index: at most one OPEN reminder per opportunity (PostgreSQL and SQLite alike)
    op.create_index('uq_tasks_open_stale_reminder', 'tasks', ['opportunity_id'], unique=True,
                    postgresql_where=sa.text(OPEN_STALE), sqlite_where=sa.text(OPEN_STALE))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_opportunity_id'), ['opportunity_id'], unique=False)

    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stale_rules', sa.JSON(), server_default=sa.text(f"'{DEFAULT_RULES}'"),
                                      nullable=False))
        batch_op.add_column(sa.Column('stale_email_owner', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('stale_sequence_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_workspace_stale_sequence_id_sequences'), 'sequences',
                                    ['stale_sequence_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_workspace_stale_sequence_id_sequences'), type_='foreignkey')
        batch_op.drop_column('stale_sequence_id')
        batch_op.drop_column('stale_email_owner')
        batch_op.drop_column('stale_rules')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_opportunity_id'))

    op.drop_index('uq_tasks_open_stale_reminder', table_name='tasks')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_opportunity_id'))
        batch_op.drop_constraint(batch_op.f('uq_tasks_dedupe_key'), type_='unique')
        batch_op.drop_column('dedupe_key')
