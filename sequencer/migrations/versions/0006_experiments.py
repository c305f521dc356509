"""experiments: step settings, winners, decisions, holdout runs, report indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 15:15:00
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('experiment_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.String(length=16), nullable=False),
    sa.Column('numbers', sa.JSON(), nullable=False),
    sa.Column('decided_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_experiment_decisions_step_id_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_experiment_decisions_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_experiment_decisions_variant_id_variants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiment_decisions'))
    )
    with op.batch_alter_table('experiment_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experiment_decisions_step_id'), ['step_id'], unique=False)

    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('primary_metric', sa.String(length=16), server_default='reply', nullable=False))
        batch_op.add_column(sa.Column('min_sample', sa.Integer(), server_default='100', nullable=False))
        batch_op.add_column(sa.Column('auto_promote', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('stratify_by_persona', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('holdout_pct', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('promoted_at', sequencer.platform.db.UTCDateTime(), nullable=True))

    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holdout', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_step_runs_step_variant', ['step_id', 'variant_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_step_kind_run', ['step_id', 'kind', 'variant_id', 'step_run_id'], unique=False)
        batch_op.create_index('ix_events_sequence_kind_time', ['sequence_id', 'kind', 'occurred_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_sequence_kind_time')
        batch_op.drop_index('ix_events_step_kind_run')

    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_step_runs_step_variant')
        batch_op.drop_column('holdout')

    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_column('promoted_at')

    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.drop_column('holdout_pct')
        batch_op.drop_column('stratify_by_persona')
        batch_op.drop_column('auto_promote')
        batch_op.drop_column('min_sample')
        batch_op.drop_column('primary_metric')

    with op.batch_alter_table('experiment_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_experiment_decisions_step_id'))

    op.drop_table('experiment_decisions')
