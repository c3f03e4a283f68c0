"""suggestions: cached suggestions per document, rejections, per-project settings

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:00:00

The suggestion layer (annotator/suggest, docs/suggestions.md): each engine's suggestions are
computed once per document and cached with the key of the engine that made them; an analyst's
rejection of a suggested span is remembered; each project says whether suggestions are on,
which engines run, and the confidence floor.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('suggestion_settings',
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('layers', sa.JSON(), nullable=False),
    sa.Column('floor', sa.Float(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('project_id')
    )
    op.create_table('suggestion_cache',
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('engine', sa.String(length=40), nullable=False),
    sa.Column('engine_key', sa.String(length=120), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'engine', name='uq_suggestion_doc_engine')
    )
    op.create_index(op.f('ix_suggestion_cache_document_id'), 'suggestion_cache', ['document_id'], unique=False)
    op.create_table('suggestion_rejections',
    sa.Column('document_id', sa.String(length=36), nullable=False),
    sa.Column('annotator_id', sa.String(length=36), nullable=True),
    sa.Column('span_key', sa.Text(), nullable=False),
    sa.Column('engine', sa.String(length=40), nullable=False),
    sa.Column('rule', sa.String(length=60), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['annotator_id'], ['annotators.id'], ),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_suggestion_rejections_document_id'), 'suggestion_rejections', ['document_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_suggestion_rejections_document_id'), table_name='suggestion_rejections')
    op.drop_table('suggestion_rejections')
    op.drop_index(op.f('ix_suggestion_cache_document_id'), table_name='suggestion_cache')
    op.drop_table('suggestion_cache')
    op.drop_table('suggestion_settings')
