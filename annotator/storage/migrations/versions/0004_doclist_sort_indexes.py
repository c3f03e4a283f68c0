"""document list sort indexes: (project_id, deleted_at, title / source / published)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 08:30:00

The document list sorts by title, source or date with keyset paging; each order is an index
walk that stops after one page, even with 100,000 documents.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_documents_sort_title', 'documents', ['project_id', 'deleted_at', sa.text('title COLLATE NOCASE')])
    op.create_index('ix_documents_sort_source', 'documents', ['project_id', 'deleted_at', sa.text('source COLLATE NOCASE')])
    op.create_index('ix_documents_sort_published', 'documents', ['project_id', 'deleted_at', 'published'])


def downgrade() -> None:
    op.drop_index('ix_documents_sort_published', table_name='documents')
    op.drop_index('ix_documents_sort_source', table_name='documents')
    op.drop_index('ix_documents_sort_title', table_name='documents')
