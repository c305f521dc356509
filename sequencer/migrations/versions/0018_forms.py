"""forms: website form definitions, submissions, the consent log and the round-robin's memory

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 14:25:00
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

UTC = sequencer.platform.db.UTCDateTime


def upgrade() -> None:
    op.create_table('forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consent_version', sa.Integer(), nullable=False),
    sa.Column('thank_you', sa.Text(), nullable=False),
    sa.Column('redirect_url', sa.String(length=2000), nullable=True),
    sa.Column('content_url', sa.String(length=2000), nullable=True),
    sa.Column('booking_url', sa.String(length=2000), nullable=True),
    sa.Column('allowed_origins', sa.JSON(), nullable=False),
    sa.Column('double_opt_in', sa.Boolean(), nullable=False),
    sa.Column('sequence_id', sa.Integer(), nullable=True),
    sa.Column('welcome_sequence_id', sa.Integer(), nullable=True),
    sa.Column('routing', sa.JSON(), nullable=False),
    sa.Column('escalation', sa.JSON(), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['users.id'], name=op.f('fk_forms_manager_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sequence_id'], ['sequences.id'], name=op.f('fk_forms_sequence_id_sequences'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['welcome_sequence_id'], ['sequences.id'], name=op.f('fk_forms_welcome_sequence_id_sequences'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forms')),
    sa.UniqueConstraint('key', name=op.f('uq_forms_key'))
    )
    op.create_table('form_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=400), nullable=True),
    sa.Column('page_url', sa.String(length=2000), nullable=True),
    sa.Column('utm', sa.JSON(), nullable=False),
    sa.Column('consent_given', sa.Boolean(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=True),
    sa.Column('consent_version', sa.Integer(), nullable=True),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('claimed_until', UTC(), nullable=True),
    sa.Column('prospect_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('route_reason', sa.String(length=300), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('handoff', sa.JSON(), nullable=False),
    sa.Column('confirmation_sent_at', UTC(), nullable=True),
    sa.Column('confirmed_at', UTC(), nullable=True),
    sa.Column('assigned_at', UTC(), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('processed_at', UTC(), nullable=True),
    sa.Column('created_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_form_submissions_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_form_submissions_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_form_submissions_prospect_id_prospects'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_form_submissions_task_id_tasks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submissions'))
    )
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.create_index('ix_form_submissions_form_email', ['form_id', 'email'], unique=False)
        batch_op.create_index('ix_form_submissions_status', ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submissions_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submissions_prospect_id'), ['prospect_id'], unique=False)
    op.create_table('form_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['form_submissions.id'], name=op.f('fk_form_consents_submission_id_form_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_consents'))
    )
    with op.batch_alter_table('form_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_consents_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_consents_submission_id'), ['submission_id'], unique=False)
    op.create_table('form_rotation',
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_form_rotation_form_id_forms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_rotation_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('form_id', 'user_id', name=op.f('pk_form_rotation'))
    )


def downgrade() -> None:
    op.drop_table('form_rotation')
    with op.batch_alter_table('form_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_consents_submission_id'))
        batch_op.drop_index(batch_op.f('ix_form_consents_email'))
    op.drop_table('form_consents')
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submissions_prospect_id'))
        batch_op.drop_index(batch_op.f('ix_form_submissions_owner_id'))
        batch_op.drop_index('ix_form_submissions_status')
        batch_op.drop_index('ix_form_submissions_form_email')
    op.drop_table('form_submissions')
    op.drop_table('forms')
