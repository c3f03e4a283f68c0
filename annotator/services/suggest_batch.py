"""Suggestions for many documents at once (`annotator suggest`, and the GUI's background run).

Documents are taken in chunks: one read of their texts and caches, the engines run on those
not cached yet (with one registry index for the whole project), then one write per chunk. With
`write`, the suggestions an analyst would see become their attributions (origin "suggested"):
documents they marked done are left alone, and nothing overlapping their attributions or a
span they rejected is written, so running it twice adds nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from annotator.model import WorkStatus
from annotator.services.registries import _live_actors
from annotator.services.suggestion_actions import accept_in_session
from annotator.services.suggestion_store import cached, read_settings, rejected_keys, store
from annotator.services.suggestions import _live_records, merge, visible
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import actor_record
from annotator.suggest.engines import engine_key, make_engines
from annotator.suggest.model import Suggestion, SuggestRequest
from annotator.suggest.registry_index import RegistryIndex

CHUNK = 50


class Cancelled(Exception):
    """The caller asked to stop; what was done so far is stored."""


@dataclass
class BatchReport:
    documents: int = 0
    computed: int = 0  # documents whose suggestions were computed now
    from_cache: int = 0
    suggestions: int = 0  # shown at the floor, over all documents
    by_kind: Counter[str] = field(default_factory=Counter)
    written: int = 0  # attributions written (--write)
    skipped_done: int = 0  # documents the annotator marked done (--write)
    missing_layers: list[str] = field(default_factory=list)
    enabled: bool = True
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "computed": self.computed,
            "from_cache": self.from_cache,
            "suggestions": self.suggestions,
            "by_kind": dict(sorted(self.by_kind.items())),
            "written": self.written,
            "skipped_done": self.skipped_done,
            "missing_layers": self.missing_layers,
            "enabled": self.enabled,
            "seconds": round(self.seconds, 3),
        }


def project_document_ids(db: Database, project_id: str) -> list[str]:
    with db.reader() as s:
        return list(
            s.scalars(
                select(schema.Document.id)
                .where(
                    schema.Document.project_id == project_id,
                    schema.Document.deleted_at.is_(None),
                )
                .order_by(schema.Document.seq)
            )
        )


def suggest_documents(
    db: Database,
    project_id: str,
    document_ids: Sequence[str] | None = None,
    *,
    write: bool = False,
    annotator_id: str | None = None,
    floor: float | None = None,
    refresh: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> BatchReport:
    """Compute (and cache) suggestions for the documents, optionally writing them."""
    began = time.perf_counter()
    report = BatchReport()
    ids = list(document_ids) if document_ids is not None else project_document_ids(db, project_id)
    with db.reader() as s:
        settings = read_settings(s, project_id)
        registry = RegistryIndex([actor_record(a) for a in _live_actors(s, project_id)])
    report.enabled = settings.enabled
    engines, report.missing_layers = make_engines(settings.layers, registry)
    keys = {e.name: engine_key(e) for e in engines}
    limit = settings.floor if floor is None else floor
    total = len(ids)
    for first in range(0, total, CHUNK):
        if cancel is not None and cancel():
            raise Cancelled
        chunk = ids[first : first + CHUNK]
        texts, lists = _read_chunk(db, project_id, chunk, engines, keys, refresh)
        fresh: list[tuple[str, str, list[Suggestion]]] = []
        for doc_id in chunk:
            if doc_id not in texts:
                continue
            report.documents += 1
            text, language = texts[doc_id]
            computed = False
            for engine in engines:
                if engine.name not in lists[doc_id]:
                    items = engine.suggest(SuggestRequest(text, language, ()))
                    lists[doc_id][engine.name] = items
                    fresh.append((doc_id, engine.name, items))
                    computed = True
            report.computed += computed
            report.from_cache += not computed
        shown = _shown_chunk(db, chunk, texts, lists, annotator_id, limit, registry)
        for items in shown.values():
            report.suggestions += len(items)
            report.by_kind.update(str(x.kind) for x in items)
        # one short write per chunk: the app's own edits never wait long behind it
        with db.session() as s:
            for doc_id, name, items in fresh:
                store(s, doc_id, name, keys[name], items)
            if write and settings.enabled:
                for doc_id, items in shown.items():
                    report.written += _write(s, doc_id, items, annotator_id, registry, report)
        if progress is not None:
            progress(min(first + CHUNK, total), total)
    report.seconds = time.perf_counter() - began
    return report


def _read_chunk(
    db: Database,
    project_id: str,
    chunk: list[str],
    engines: list,
    keys: dict[str, str],
    refresh: bool,
) -> tuple[dict[str, tuple[str, str]], dict[str, dict[str, list[Suggestion]]]]:
    texts: dict[str, tuple[str, str]] = {}
    lists: dict[str, dict[str, list[Suggestion]]] = {}
    with db.reader() as s:
        rows = s.execute(
            select(schema.Document.id, schema.Document.text, schema.Document.language).where(
                schema.Document.id.in_(chunk),
                schema.Document.project_id == project_id,
                schema.Document.deleted_at.is_(None),
            )
        )
        for doc_id, text, language in rows:
            texts[doc_id] = (text, language or "")
            lists[doc_id] = {}
            if refresh:
                continue
            for engine in engines:
                found = cached(s, doc_id, engine.name, keys[engine.name])
                if found is not None:
                    lists[doc_id][engine.name] = found
    return texts, lists


def _shown_chunk(
    db: Database,
    chunk: list[str],
    texts: dict[str, tuple[str, str]],
    lists: dict[str, dict[str, list[Suggestion]]],
    annotator_id: str | None,
    floor: float,
    registry: RegistryIndex,
) -> dict[str, list[Suggestion]]:
    """What the analyst would see on each document of the chunk (read before writing)."""
    out = {}
    with db.reader() as s:
        for doc_id in chunk:
            if doc_id not in texts:
                continue
            own = _live_records(s, doc_id, annotator_id)
            rejected = rejected_keys(s, doc_id, annotator_id)
            out[doc_id] = visible(
                merge(lists[doc_id].values()),
                floor=floor,
                own=own,
                rejected=rejected,
                registry=registry,
            )
    return out


def _write(
    session: Any,
    doc_id: str,
    shown: list[Suggestion],
    annotator_id: str | None,
    registry: RegistryIndex,
    report: BatchReport,
) -> int:
    if annotator_id is not None:
        status = session.scalar(
            select(schema.DocumentWork.status).where(
                schema.DocumentWork.document_id == doc_id,
                schema.DocumentWork.annotator_id == annotator_id,
            )
        )
        if status == str(WorkStatus.DONE):
            report.skipped_done += 1
            return 0
    document = session.scalar(select(schema.Document).where(schema.Document.id == doc_id))
    own = _live_records(session, doc_id, annotator_id)
    written = 0
    for item in shown:
        taken = [sp for rec in own for sp in rec.content]
        if any(x.start < y.end and y.start < x.end for x in item.content for y in taken):
            continue
        accept_in_session(session, document, item, annotator_id, registry, own)
        written += 1
    return written
