"""Writing prepared documents: plain ones in batches, annotated ones one transaction each.

Every document is whole or absent: a batch of plain documents (no attributions) commits in one
transaction, so a crash loses at most the batch in flight; an annotated document and all its
attributions, actors and targets commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from annotator.importing.base import Prepared
from annotator.importing.names import NameIndex
from annotator.model import new_id, utcnow
from annotator.services.projects import annotator_row, project_row
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.text import normalize_text, sha256_text


@dataclass(slots=True)
class Stored:
    """Result of storing one document."""

    added: bool
    document_id: str
    attributions_added: int = 0
    attributions_present: int = 0  # the same annotations were already stored: not added again


@dataclass
class Store:
    """Import target: a project, a default annotator, and caches that keep the hot path fast."""

    db: Database
    project: str
    annotator: str
    project_id: str = ""
    hashes: dict[str, str] = field(default_factory=dict)  # text sha256 -> document id
    # registry ids in the file -> ids in the database, where an entry already existed by name
    actor_ids: dict[str, str] = field(default_factory=dict)
    target_ids: dict[str, str] = field(default_factory=dict)
    # name indexes of the registries, loaded on first use (see names.py)
    actor_index: NameIndex | None = None
    target_index: NameIndex | None = None

    def __post_init__(self) -> None:
        with self.db.session() as s:
            project = project_row(s, self.project)
            assert project is not None
            self.project_id = project.id
            annotator_row(s, self.annotator)
            rows = s.execute(
                select(schema.Document.text_sha256, schema.Document.id).where(
                    schema.Document.project_id == self.project_id,
                    schema.Document.deleted_at.is_(None),
                )
            )
            self.hashes = {h: i for h, i in rows}

    def raw_hashes(self) -> set[str]:
        """SHA-256 of the raw bytes of every live document in the project."""
        with self.db.reader() as s:
            rows = s.scalars(
                select(schema.Document.raw_sha256).where(
                    schema.Document.project_id == self.project_id,
                    schema.Document.deleted_at.is_(None),
                    schema.Document.raw_sha256 != "",
                )
            )
            return set(rows)

    def prepare_plain(self, batch: list[Prepared]) -> tuple[list[Stored], list[dict[str, Any]]]:
        """Rows to insert for `batch` (duplicates resolved against the project and the run)."""
        results: list[Stored] = []
        rows: list[dict[str, Any]] = []
        now = utcnow()
        for item in batch:
            d = item.draft
            if normalize_text(d.text) != d.text:
                raise ValueError("document text must be normalized before storing")
            digest = sha256_text(d.text)
            existing = self.hashes.get(digest)
            if existing is not None:
                results.append(Stored(False, existing))
                continue
            doc_id = d.id or new_id()
            self.hashes[digest] = doc_id
            rows.append(_document_row(self.project_id, doc_id, digest, d, now))
            results.append(Stored(True, doc_id))
        return results, rows

    def write_rows(self, rows: list[dict[str, Any]]) -> None:
        """One transaction for the batch; on failure nothing of it is stored (or remembered)."""
        if not rows:
            return
        try:
            with self.db.session() as s:
                # Core executemany: the ORM's per-row bookkeeping is pure overhead here
                s.connection().execute(schema.Document.__table__.insert(), rows)
        except Exception:
            self.forget(rows)
            raise

    def forget(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            self.hashes.pop(r["text_sha256"], None)

    def store_plain(self, batch: list[Prepared]) -> list[Stored]:
        """Insert documents without attributions in one transaction (Core executemany)."""
        results, rows = self.prepare_plain(batch)
        self.write_rows(rows)
        return results


def _document_row(project_id: str, doc_id: str, digest: str, d: Any, now: Any) -> dict[str, Any]:
    return {
        "id": doc_id,
        "project_id": project_id,
        "title": d.title,
        "text": d.text,
        "text_sha256": digest,
        "length": len(d.text),
        "source": d.source,
        "url": d.url,
        "published": d.published,
        "place": d.place,
        "author": d.author,
        "language": d.language,
        "metadata": d.metadata,  # the column's name (the ORM attribute is `meta`)
        "raw_bytes": d.raw_bytes,
        "raw_path": d.raw_path,
        "raw_sha256": d.raw_sha256,
        "import_report": d.import_report,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }
