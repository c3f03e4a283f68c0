"""source links: documents.external_id and attributions.external_id

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:30:00

The source corpus's own ids (a BRAT file stem and event id `E12`, a Citron document and quote
id), kept at import and written by every export, so records can be matched back to the corpus
they came from. Existing rows get an empty id.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite and PostgreSQL alike): the documents table keeps its FTS triggers
    op.add_column('documents', sa.Column('external_id', sa.Text(), server_default='', nullable=False))
    op.add_column('attributions', sa.Column('external_id', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    # ALTER TABLE DROP COLUMN (SQLite 3.35+): a batch copy would drop the referenced table
    op.drop_column('attributions', 'external_id')
    op.drop_column('documents', 'external_id')
