"""Documents: adding (with de-duplication by text hash), reading, full-text search."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, defer

from annotator.model import DocumentInfo, WorkStatus, utcnow
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import document_info
from annotator.text import normalize_text, sha256_text


@dataclass(slots=True)
class DocumentDraft:
    """A document ready to store: `text` must already be normalized (see annotator.text)."""

    text: str
    title: str = ""
    source: str = ""
    url: str = ""
    published: str = ""
    place: str = ""
    author: str = ""
    language: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    raw_bytes: bytes | None = None
    raw_path: str = ""
    raw_sha256: str = ""
    import_report: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    external_id: str = ""  # the source's own id of the document (a BRAT file stem, a Citron id)


def add_document(
    session: Session, project_id: str, draft: DocumentDraft
) -> tuple[schema.Document, bool]:
    """Store `draft` in the project unless the same text is already there.

    Returns (row, created). The text is checked to be normalized: offsets depend on it.
    """
    if normalize_text(draft.text) != draft.text:
        raise ValueError("document text must be normalized (NFC, LF, no BOM) before storing")
    digest = sha256_text(draft.text)
    existing = session.scalar(
        select(schema.Document).where(
            schema.Document.project_id == project_id,
            schema.Document.text_sha256 == digest,
            schema.Document.deleted_at.is_(None),
        )
    )
    if existing is not None:
        return existing, False
    row = schema.Document(
        project_id=project_id,
        title=draft.title,
        text=draft.text,
        text_sha256=digest,
        length=len(draft.text),
        source=draft.source,
        url=draft.url,
        published=draft.published,
        place=draft.place,
        author=draft.author,
        language=draft.language,
        external_id=draft.external_id,
        meta=draft.metadata,
        raw_bytes=draft.raw_bytes,
        raw_path=draft.raw_path,
        raw_sha256=draft.raw_sha256,
        import_report=draft.import_report,
    )
    if draft.id:
        row.id = draft.id
    session.add(row)
    session.flush()
    return row, True


def get_document(db: Database, document_id: str) -> DocumentInfo:
    with db.reader() as s:
        # the info has no text: not reading it saves ~10 ms on a 5 MB article (each open)
        query = select(schema.Document).options(defer(schema.Document.text))
        row = s.scalar(query.where(schema.Document.id == document_id))
        if row is None:
            raise KeyError(document_id)
        return document_info(row)


def get_document_text(db: Database, document_id: str) -> str:
    with db.reader() as s:
        value = s.scalar(select(schema.Document.text).where(schema.Document.id == document_id))
        if value is None:
            raise KeyError(document_id)
        return value


def list_document_ids(db: Database, project_id: str) -> list[str]:
    with db.reader() as s:
        return list(
            s.scalars(
                select(schema.Document.id)
                .where(
                    schema.Document.project_id == project_id, schema.Document.deleted_at.is_(None)
                )
                .order_by(schema.Document.seq)
            )
        )


def search_documents(db: Database, project_id: str, query: str, limit: int = 1000) -> list[str]:
    """Ids of documents whose title or text match `query` (FTS5 syntax; words are ANDed)."""
    terms = " ".join('"' + t.replace('"', '""') + '"' for t in query.split())
    if not terms:
        return []
    with db.reader() as s:
        rows = s.execute(
            text(
                "SELECT d.id FROM documents_fts f JOIN documents d ON d.seq = f.rowid"
                " WHERE documents_fts MATCH :q AND d.project_id = :p AND d.deleted_at IS NULL"
                " ORDER BY rank LIMIT :n"
            ),
            {"q": terms, "p": project_id, "n": limit},
        )
        return [r[0] for r in rows]


def set_work_status(db: Database, document_id: str, annotator_id: str, status: WorkStatus) -> None:
    with db.session() as s:
        row = s.scalar(
            select(schema.DocumentWork).where(
                schema.DocumentWork.document_id == document_id,
                schema.DocumentWork.annotator_id == annotator_id,
            )
        )
        if row is None:
            s.add(
                schema.DocumentWork(
                    document_id=document_id, annotator_id=annotator_id, status=str(status)
                )
            )
        else:
            row.status = str(status)
            row.updated_at = utcnow()


def get_work_status(db: Database, document_id: str, annotator_id: str) -> WorkStatus:
    with db.reader() as s:
        value = s.scalar(
            select(schema.DocumentWork.status).where(
                schema.DocumentWork.document_id == document_id,
                schema.DocumentWork.annotator_id == annotator_id,
            )
        )
        return WorkStatus(value) if value else WorkStatus.NEW
