"""prospect import: uploads with progress, per-row issues, imported prospects, remembered mappings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 14:39:25.898950
"""
from alembic import op
import sqlalchemy as sa
import sequencer.platform.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('header_key', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
    sa.UniqueConstraint('header_key', name=op.f('uq_import_mappings_header_key'))
    )
    op.create_table('prospect_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('encoding', sa.String(length=32), nullable=False),
    sa.Column('delimiter', sa.String(length=1), nullable=False),
    sa.Column('header', sa.JSON(), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('mapping', 'queued', 'running', 'done', 'failed', name='importstatus', native_enum=False, length=32), nullable=False),
    sa.Column('processed_rows', sa.Integer(), server_default='0', nullable=False),
    sa.Column('bytes_read', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('skipped_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('failed_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('enrolled_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', sequencer.platform.db.UTCDateTime(), nullable=False),
    sa.Column('started_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('heartbeat_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.Column('finished_at', sequencer.platform.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_prospect_imports_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prospect_imports'))
    )
    op.create_table('import_row_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('column', sa.String(length=255), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['prospect_imports.id'], name=op.f('fk_import_row_issues_import_id_prospect_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_row_issues'))
    )
    with op.batch_alter_table('import_row_issues', schema=None) as batch_op:
        batch_op.create_index('ix_import_row_issues_import_line', ['import_id', 'line'], unique=False)

    op.create_table('imported_prospects',
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('prospect_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('created', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['prospect_imports.id'], name=op.f('fk_imported_prospects_import_id_prospect_imports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prospect_id'], ['prospects.id'], name=op.f('fk_imported_prospects_prospect_id_prospects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('import_id', 'prospect_id', name=op.f('pk_imported_prospects'))
    )
    with op.batch_alter_table('imported_prospects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_prospects_prospect_id'), ['prospect_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('imported_prospects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_prospects_prospect_id'))

    op.drop_table('imported_prospects')
    with op.batch_alter_table('import_row_issues', schema=None) as batch_op:
        batch_op.drop_index('ix_import_row_issues_import_line')

    op.drop_table('import_row_issues')
    op.drop_table('prospect_imports')
    op.drop_table('import_mappings')
