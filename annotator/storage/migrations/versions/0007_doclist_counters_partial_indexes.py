"""document counts per project and source; partial indexes over live attributions and work

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:00:00

At 500,000 documents the list's total and its source filter were counts over every document,
and the speaker list, usage counts and per-row attribution counts read every attribution row
to skip tombstones. Now:
- document_source_counts holds the live documents per (project, source), kept by triggers on
  every write path (insert, delete, a change of project, source or tombstone);
- partial indexes over live attributions answer those counts from the index alone;
- document_work (annotator, status, document) counts and lists a status without its rows, and
  documents (id, project) over live ones turns those ids into seqs without reading documents.
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

LIVE = sa.text('deleted_at IS NULL')

COUNTERS_UP = [
    "CREATE TRIGGER document_counts_ai AFTER INSERT ON documents WHEN new.deleted_at IS NULL BEGIN "
    "INSERT INTO document_source_counts (project_id, source, live) "
    "VALUES (new.project_id, coalesce(new.source, ''), 1) "
    "ON CONFLICT (project_id, source) DO UPDATE SET live = live + 1; END",
    "CREATE TRIGGER document_counts_ad AFTER DELETE ON documents WHEN old.deleted_at IS NULL BEGIN "
    "UPDATE document_source_counts SET live = live - 1 "
    "WHERE project_id = old.project_id AND source = coalesce(old.source, ''); END",
    "CREATE TRIGGER document_counts_au AFTER UPDATE OF project_id, source, deleted_at ON documents BEGIN "
    "UPDATE document_source_counts SET live = live - 1 WHERE old.deleted_at IS NULL "
    "AND project_id = old.project_id AND source = coalesce(old.source, ''); "
    "INSERT INTO document_source_counts (project_id, source, live) "
    "SELECT new.project_id, coalesce(new.source, ''), 1 WHERE new.deleted_at IS NULL "
    "ON CONFLICT (project_id, source) DO UPDATE SET live = live + 1; END",
    "INSERT INTO document_source_counts (project_id, source, live) "
    "SELECT project_id, coalesce(source, ''), count(*) FROM documents WHERE deleted_at IS NULL "
    "GROUP BY project_id, coalesce(source, '')",
]
COUNTERS_DOWN = [
    "DROP TRIGGER IF EXISTS document_counts_au",
    "DROP TRIGGER IF EXISTS document_counts_ad",
    "DROP TRIGGER IF EXISTS document_counts_ai",
]


def upgrade() -> None:
    op.create_table(
        'document_source_counts',
        sa.Column('project_id', sa.String(length=36), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('live', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('project_id', 'source'),
    )
    for sql in COUNTERS_UP:
        op.execute(sql)
    op.create_index('ix_attributions_doc_ann_live', 'attributions', ['document_id', 'annotator_id'], sqlite_where=LIVE)
    op.create_index('ix_attributions_speaker_live', 'attributions', ['speaker_id', 'document_id'], sqlite_where=LIVE)
    op.create_index('ix_attributions_via_live', 'attributions', ['via_id'], sqlite_where=LIVE)
    op.create_index('ix_attributions_target_live', 'attributions', ['target_id'], sqlite_where=LIVE)
    op.create_index('ix_work_annotator_status', 'document_work', ['annotator_id', 'status', 'document_id'])
    op.create_index('ix_documents_id_live', 'documents', ['id', 'project_id', 'deleted_at'], sqlite_where=LIVE)


def downgrade() -> None:
    op.drop_index('ix_documents_id_live', table_name='documents')
    op.drop_index('ix_work_annotator_status', table_name='document_work')
    op.drop_index('ix_attributions_target_live', table_name='attributions')
    op.drop_index('ix_attributions_via_live', table_name='attributions')
    op.drop_index('ix_attributions_speaker_live', table_name='attributions')
    op.drop_index('ix_attributions_doc_ann_live', table_name='attributions')
    for sql in COUNTERS_DOWN:
        op.execute(sql)
    op.drop_table('document_source_counts')
