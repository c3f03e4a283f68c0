"""Documents' languages: listing them, and correcting what detection got wrong (CLI, GUI)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select, update

from annotator.language import normalize_code
from annotator.model import utcnow
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import source_file_name


@dataclass(frozen=True, slots=True)
class DocumentLanguage:
    id: str
    language: str
    external_id: str
    source_file: str
    title: str


def document_languages(
    db: Database, project_id: str, refs: Iterable[str] = (), only: str | None = None
) -> list[DocumentLanguage]:
    """Live documents of the project in import order; `refs` keeps those named by id, source id,
    file name or title (any of them, exactly); `only` those in that language ("" = unknown)."""
    wanted = [r for r in refs if r]
    doc = schema.Document
    query = select(
        doc.id, doc.language, doc.external_id, doc.raw_path, doc.title, doc.import_report
    ).where(doc.project_id == project_id, doc.deleted_at.is_(None))
    if only is not None:
        query = query.where(doc.language == only)
    if wanted:
        query = query.where(
            or_(
                doc.id.in_(wanted),
                doc.external_id.in_(wanted),
                doc.title.in_(wanted),
                *(doc.raw_path.endswith("/" + w) for w in wanted),
                doc.raw_path.in_(wanted),
            )
        )
    with db.reader() as s:
        rows = s.execute(query.order_by(doc.seq)).all()
    return [
        DocumentLanguage(
            r.id,
            r.language or "",
            r.external_id or "",
            source_file_name(r.raw_path or "", (r.import_report or {}).get("source_file")),
            r.title or "",
        )
        for r in rows
    ]


def set_language(db: Database, document_ids: Iterable[str], code: str) -> int:
    """Set the language of these documents (a corrected detection); returns how many changed.
    The update time moves, so a bundle carries the correction to other machines."""
    language = normalize_code(code)
    ids = list(document_ids)
    if not ids:
        return 0
    with db.session() as s:
        result = s.execute(
            update(schema.Document)
            .where(schema.Document.id.in_(ids), schema.Document.language != language)
            .values(language=language, updated_at=utcnow())
        )
        return int(result.rowcount or 0)
