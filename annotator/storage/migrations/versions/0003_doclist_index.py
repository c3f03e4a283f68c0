"""document list index: (project_id, deleted_at, source)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 06:30:00

Lets the document list count, filter by source and list distinct sources of 100,000 documents
from the index alone (reading a document row walks its whole text).
"""

from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_project_live_source', ['project_id', 'deleted_at', 'source'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_project_live_source')
