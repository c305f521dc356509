"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 12:02:44.259272
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('companies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=True),
    sa.Column('industry', sa.String(length=200), nullable=True),
    sa.Column('size', sa.String(length=50), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies')),
    sa.UniqueConstraint('domain', name=op.f('uq_companies_domain'))
    )
    op.create_table('personas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('title_keywords', sa.JSON(), nullable=False),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personas')),
    sa.UniqueConstraint('key', name=op.f('uq_personas_key'))
    )
    op.create_table('suppressions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('email', 'domain', 'email_hash', name='suppressionkind', native_enum=False, length=32), nullable=False),
    sa.Column('value', sa.String(length=320), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suppressions')),
    sa.UniqueConstraint('kind', 'value', name='uq_suppressions_kind_value')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('role', sa.Enum('admin', 'manager', 'rep', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=2000), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('out_of_office_from', sa.Date(), nullable=True),
    sa.Column('out_of_office_until', sa.Date(), nullable=True),
    sa.Column('last_login_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('workspace',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('postal_address', sa.Text(), nullable=False),
    sa.Column('default_schedule', sa.JSON(), nullable=False),
    sa.Column('allow_multiple_enrollments', sa.Boolean(), nullable=False),
    sa.Column('reenroll_cooldown_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspace'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('mailboxes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('transport', sa.Enum('smtp', 'outbox', name='transport', native_enum=False, length=32), nullable=False),
    sa.Column('smtp_host', sa.String(length=255), nullable=True),
    sa.Column('smtp_port', sa.Integer(), nullable=True),
    sa.Column('smtp_username', sa.String(length=320), nullable=True),
    sa.Column('smtp_password_encrypted', sa.Text(), nullable=True),
    sa.Column('smtp_security', sa.Enum('none', 'starttls', 'tls', name='smtpsecurity', native_enum=False, length=32), nullable=False),
    sa.Column('daily_limit', sa.Integer(), nullable=False),
    sa.Column('min_interval_seconds', sa.Integer(), nullable=False),
    sa.Column('domain_daily_limit', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('active', 'paused', name='mailboxstatus', native_enum=False, length=32), nullable=False),
    sa.Column('paused_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_mailboxes_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailboxes')),
    sa.UniqueConstraint('email', name=op.f('uq_mailboxes_email'))
    )
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailboxes_owner_id'), ['owner_id'], unique=False)

    op.create_table('prospects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('email_normalized', sa.String(length=320), nullable=False),
    sa.Column('first_name', sa.String(length=200), nullable=False),
    sa.Column('last_name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('persona_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('linkedin_url', sa.String(length=500), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('active', 'unsubscribed', 'bounced', 'do_not_contact', name='prospectstatus', native_enum=False, length=32), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_prospects_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_prospects_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['persona_id'], ['personas.id'], name=op.f('fk_prospects_persona_id_personas'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prospects')),
    sa.UniqueConstraint('email_normalized', name=op.f('uq_prospects_email_normalized'))
    )
    with op.batch_alter_table('prospects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prospects_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_prospects_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_prospects_persona_id'), ['persona_id'], unique=False)

    op.create_table('sequences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'active', 'paused', 'archived', name='sequencestatus', native_enum=False, length=32), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('schedule', sa.JSON(), nullable=False),
    sa.Column('exit_on_reply', sa.Boolean(), nullable=False),
    sa.Column('track_opens', sa.Boolean(), nullable=False),
    sa.Column('track_clicks', sa.Boolean(), nullable=False),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_sequences_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sequences'))
    )
    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('sequence_id', sa.Integer(), nullable=False),
    sa.Column('mailbox_id', sa.Integer(), nullable=True),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('active', 'paused', 'finished', 'exited', name='enrollmentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('exit_reason', sa.String(length=64), nullable=True),
    sa.Column('paused_until', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('ended_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['users.id'], name=op.f('fk_enrollments_enrolled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mailbox_id'], ['mailboxes.id'], name=op.f('fk_enrollments_mailbox_id_mailboxes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_enrollments_prospect_id_prospects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sequence_id'], ['sequences.id'], name=op.f('fk_enrollments_sequence_id_sequences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index('ix_enrollments_prospect_status', ['prospect_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_sequence_id'), ['sequence_id'], unique=False)

    op.create_table('opportunities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('prospect_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.Enum('prospecting', 'qualification', 'needs_analysis', 'proposal', 'negotiation', 'closed_won', 'closed_lost', name='stage', native_enum=False, length=32), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('close_date', sa.Date(), nullable=True),
    sa.Column('bant', sa.JSON(), nullable=False),
    sa.Column('lost_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('closed_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_opportunities_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_opportunities_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_opportunities_prospect_id_prospects'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opportunities_owner_id'), ['owner_id'], unique=False)

    op.create_table('steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sequence_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('auto_email', 'manual_email', 'call', 'linkedin_view', 'linkedin_connect', 'linkedin_message', 'task', name='steptype', native_enum=False, length=32), nullable=False),
    sa.Column('wait_days', sa.Integer(), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('thread', sa.Boolean(), nullable=False),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sequence_id'], ['sequences.id'], name=op.f('fk_steps_sequence_id_sequences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_steps'))
    )
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steps_sequence_id'), ['sequence_id'], unique=False)

    op.create_table('inbound_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=998), nullable=True),
    sa.Column('mailbox_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('truncated', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('received', 'processed', 'unparsed', 'error', name='inboundstatus', native_enum=False, length=32), nullable=False),
    sa.Column('classification', sa.String(length=32), nullable=True),
    sa.Column('from_address', sa.String(length=320), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('prospect_id', sa.Integer(), nullable=True),
    sa.Column('enrollment_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('received_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('processed_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_inbound_messages_enrollment_id_enrollments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mailbox_id'], ['mailboxes.id'], name=op.f('fk_inbound_messages_mailbox_id_mailboxes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_inbound_messages_prospect_id_prospects'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_inbound_messages_message_id'))
    )
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_messages_prospect_id'), ['prospect_id'], unique=False)

    op.create_table('stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.String(length=32), nullable=True),
    sa.Column('to_stage', sa.String(length=32), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_stage_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_stage_changes_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_changes'))
    )
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_changes_opportunity_id'), ['opportunity_id'], unique=False)

    op.create_table('variants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=32), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('by_persona', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_variants_step_id_steps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_variants'))
    )
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variants_step_id'), ['step_id'], unique=False)

    op.create_table('step_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=True),
    sa.Column('mailbox_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('scheduled', 'sending', 'sent', 'task_open', 'done', 'skipped', 'failed', 'uncertain', 'held', name='steprunstate', native_enum=False, length=32), nullable=False),
    sa.Column('due_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('why_waiting', sa.Text(), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('lease_until', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('body_text', sa.Text(), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('sent_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('done_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_step_runs_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mailbox_id'], ['mailboxes.id'], name=op.f('fk_step_runs_mailbox_id_mailboxes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_step_runs_step_id_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_step_runs_variant_id_variants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_step_runs')),
    sa.UniqueConstraint('enrollment_id', 'position', name='uq_step_runs_enrollment_position'),
    sa.UniqueConstraint('message_id', name=op.f('uq_step_runs_message_id'))
    )
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.create_index('ix_step_runs_state_due', ['state', 'due_at'], unique=False)
        batch_op.create_index('ix_step_runs_state_lease', ['state', 'lease_until'], unique=False)
        batch_op.create_index(batch_op.f('ix_step_runs_step_id'), ['step_id'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('call', 'manual_email', 'linkedin_view', 'linkedin_connect', 'linkedin_message', 'task', 'reply_followup', 'fix_data', 'stale_opportunity', 'todo', name='tasktype', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'skipped', name='taskstatus', native_enum=False, length=32), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('prospect_id', sa.Integer(), nullable=True),
    sa.Column('enrollment_id', sa.Integer(), nullable=True),
    sa.Column('step_run_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('due_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('completed_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_tasks_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_tasks_opportunity_id_opportunities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tasks_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_tasks_prospect_id_prospects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_run_id'], ['step_runs.id'], name=op.f('fk_tasks_step_run_id_step_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('step_run_id', name=op.f('uq_tasks_step_run_id'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_owner_status_due', ['owner_id', 'status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_prospect_id'), ['prospect_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('occurred_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=True),
    sa.Column('enrollment_id', sa.Integer(), nullable=True),
    sa.Column('sequence_id', sa.Integer(), nullable=True),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('step_run_id', sa.Integer(), nullable=True),
    sa.Column('variant_id', sa.Integer(), nullable=True),
    sa.Column('mailbox_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_events_enrollment_id_enrollments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mailbox_id'], ['mailboxes.id'], name=op.f('fk_events_mailbox_id_mailboxes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_events_opportunity_id_opportunities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_events_prospect_id_prospects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sequence_id'], ['sequences.id'], name=op.f('fk_events_sequence_id_sequences'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_events_step_id_steps'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['step_run_id'], ['step_runs.id'], name=op.f('fk_events_step_run_id_step_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_events_task_id_tasks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_events_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['variant_id'], ['variants.id'], name=op.f('fk_events_variant_id_variants'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_prospect_time', ['prospect_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_events_sequence_kind', ['sequence_id', 'kind'], unique=False)
        batch_op.create_index('ix_events_step_variant_kind', ['step_id', 'variant_id', 'kind'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_step_variant_kind')
        batch_op.drop_index('ix_events_sequence_kind')
        batch_op.drop_index('ix_events_prospect_time')

    op.drop_table('events')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_prospect_id'))
        batch_op.drop_index('ix_tasks_owner_status_due')

    op.drop_table('tasks')
    with op.batch_alter_table('step_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_runs_step_id'))
        batch_op.drop_index('ix_step_runs_state_lease')
        batch_op.drop_index('ix_step_runs_state_due')

    op.drop_table('step_runs')
    with op.batch_alter_table('variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variants_step_id'))

    op.drop_table('variants')
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_changes_opportunity_id'))

    op.drop_table('stage_changes')
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_messages_prospect_id'))

    op.drop_table('inbound_messages')
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_steps_sequence_id'))

    op.drop_table('steps')
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opportunities_owner_id'))

    op.drop_table('opportunities')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollments_sequence_id'))
        batch_op.drop_index('ix_enrollments_prospect_status')

    op.drop_table('enrollments')
    op.drop_table('sequences')
    with op.batch_alter_table('prospects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prospects_persona_id'))
        batch_op.drop_index('ix_prospects_owner_status')
        batch_op.drop_index(batch_op.f('ix_prospects_company_id'))

    op.drop_table('prospects')
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailboxes_owner_id'))

    op.drop_table('mailboxes')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('workspace')
    op.drop_table('users')
    op.drop_table('suppressions')
    op.drop_table('personas')
    op.drop_table('companies')
