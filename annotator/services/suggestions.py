"""Suggestions for the analyst: what to show on a document, and accept / reject, undoable.

The GUI is a thin adapter over these calls (each one unit of work); accepting and rejecting
are in `services.suggestion_actions`:

    document_suggestions(db, doc, annotator)   -> list[Suggestion]   what to show, by position
    pending_counts(db, doc_ids, annotator)     -> {doc id: n}        from the cache only
    get_settings(db, project) / set_settings(db, project, enabled=, layers=, floor=)

Each engine's list is cached per document (computed once; recomputed when the engine's
version or settings change). What the analyst sees is that list with the project's confidence
floor, minus spans they rejected, minus anything overlapping their own attributions, with
speakers re-read from the current registry (an actor added or merged since is used).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.model import (
    AttributionRecord,
    Span,
)
from annotator.services.registries import _live_actors
from annotator.services.suggestion_store import (
    SuggestionSettings,
    cached,
    read_settings,
    rejected_keys,
    rejected_keys_many,
    store,
    write_settings,
)
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import actor_record, attribution_record
from annotator.suggest.engines import LAYERS, available_layers, engine_key, make_engines
from annotator.suggest.model import Suggestion, SuggestRequest
from annotator.suggest.registry_index import RegistryIndex


class SuggestionError(ValueError):
    """A suggestion cannot be applied (its words are already attributed, the document is gone)."""


# -- settings ---------------------------------------------------------------------------------


def get_settings(db: Database, project_id: str) -> SuggestionSettings:
    with db.reader() as s:
        return read_settings(s, project_id)


def set_settings(
    db: Database,
    project_id: str,
    *,
    enabled: bool | None = None,
    layers: Sequence[str] | None = None,
    floor: float | None = None,
) -> SuggestionSettings:
    """Change some of a project's settings; the others keep their value."""
    if floor is not None and not 0.0 <= floor <= 1.0:
        raise SuggestionError(f"the confidence floor must be between 0 and 1, not {floor}")
    if layers is not None:
        unknown = [x for x in layers if x not in LAYERS and x not in available_layers()]
        if unknown:
            raise SuggestionError(
                f"unknown suggestion layer {', '.join(unknown)} (known: {', '.join(LAYERS)})"
            )
    with db.session() as s:
        current = read_settings(s, project_id)
        new = SuggestionSettings(
            current.enabled if enabled is None else enabled,
            current.layers if layers is None else tuple(dict.fromkeys(layers)),
            current.floor if floor is None else float(floor),
        )
        write_settings(s, project_id, new)
        return new


# -- reading ----------------------------------------------------------------------------------


def _document(session: Session, document_id: str) -> schema.Document:
    row = session.scalar(select(schema.Document).where(schema.Document.id == document_id))
    if row is None or row.deleted_at is not None:
        raise SuggestionError(f"no document {document_id}")
    return row


def _live_records(
    session: Session, document_id: str, annotator_id: str | None
) -> list[AttributionRecord]:
    query = select(schema.Attribution).where(
        schema.Attribution.document_id == document_id, schema.Attribution.deleted_at.is_(None)
    )
    if annotator_id is not None:
        query = query.where(schema.Attribution.annotator_id == annotator_id)
    return [attribution_record(r) for r in session.scalars(query)]


def engine_lists(
    db: Database,
    document_id: str,
    *,
    compute: bool = True,
    registry: RegistryIndex | None = None,
    even_if_off: bool = False,
) -> tuple[dict[str, list[Suggestion]], bool] | None:
    """Each enabled engine's full list for a document (cached, or computed and cached), and
    whether suggestions are on for its project. With `compute=False`, None when a list is
    not cached yet (the GUI shows nothing rather than wait)."""
    with db.reader() as s:
        doc = _document(s, document_id)
        settings = read_settings(s, doc.project_id)
        if not settings.enabled and not even_if_off:
            return {}, False
        if registry is None:
            registry = RegistryIndex([actor_record(a) for a in _live_actors(s, doc.project_id)])
        engines, _missing = make_engines(settings.layers, registry)
        lists: dict[str, list[Suggestion]] = {}
        todo = []
        for engine in engines:
            key = engine_key(engine)
            found = cached(s, document_id, engine.name, key)
            if found is None:
                todo.append((engine, key))
            else:
                lists[engine.name] = found
        text, language = doc.text, doc.language
        enabled = settings.enabled
    if todo and not compute:
        return None
    fresh = []
    for engine, key in todo:
        items = engine.suggest(SuggestRequest(text, language, tuple(registry.actors.values())))
        lists[engine.name] = items
        fresh.append((engine.name, key, items))
    if fresh:
        with db.session() as s:
            for name, key, items in fresh:
                store(s, document_id, name, key, items)
    return lists, enabled


def document_suggestions(
    db: Database,
    document_id: str,
    annotator_id: str | None = None,
    *,
    floor: float | None = None,
    compute: bool = True,
) -> list[Suggestion] | None:
    """What to show `annotator_id` on a document, sorted by position (None: not computed yet
    and `compute` is false)."""
    found = engine_lists(db, document_id, compute=compute)
    if found is None:
        return None
    lists, enabled = found
    if not enabled:
        return []
    with db.reader() as s:
        doc = _document(s, document_id)
        settings = read_settings(s, doc.project_id)
        actors = [actor_record(a) for a in _live_actors(s, doc.project_id)]
        own = _live_records(s, document_id, annotator_id)
        rejected = rejected_keys(s, document_id, annotator_id)
    return visible(
        merge(lists.values()),
        floor=settings.floor if floor is None else floor,
        own=own,
        rejected=rejected,
        registry=RegistryIndex(actors),
    )


def merge(lists: Sequence[Sequence[Suggestion]] | object) -> list[Suggestion]:
    """One list from several engines: where two claim the same words, the surer one stays."""
    everything = [s for items in lists for s in items]  # type: ignore[attr-defined]
    kept: list[Suggestion] = []
    for item in sorted(everything, key=lambda x: (-x.confidence, x.start, x.engine)):
        if not any(_overlap(item.content, k.content) for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda x: (x.start, x.end))


def visible(
    items: Sequence[Suggestion],
    *,
    floor: float,
    own: Sequence[AttributionRecord],
    rejected: set[str],
    registry: RegistryIndex,
) -> list[Suggestion]:
    taken = [sp for rec in own for sp in rec.content]
    out = []
    for item in items:
        if item.confidence < floor or item.key in rejected:
            continue
        if _overlap(item.content, taken):
            continue
        out.append(refresh_speaker(item, registry))
    return out


def refresh_speaker(item: Suggestion, registry: RegistryIndex) -> Suggestion:
    """The speaker as the registry stands now: a vanished (merged, deleted) actor or a name
    the registry has learned since is looked up again by name."""
    if item.speaker_id is not None and item.speaker_id in registry.actors:
        return item
    if not item.speaker_name:
        return item if item.speaker_id is None else dataclasses.replace(item, speaker_id=None)
    actor_id, how = registry.find(item.speaker_name)
    if actor_id is None:
        return dataclasses.replace(item, speaker_id=None)
    return dataclasses.replace(
        item, speaker_id=actor_id, speaker_name=registry.name(actor_id), resolved_by=how
    )


def pending_counts(
    db: Database, document_ids: Sequence[str], annotator_id: str | None = None
) -> dict[str, int]:
    """How many suggestions each document would show, for documents whose lists are cached
    (the document list's count; documents not computed yet are left out)."""
    ids = list(document_ids)
    out: dict[str, int] = {}
    if not ids:
        return out
    with db.reader() as s:
        rows = s.execute(
            select(
                schema.SuggestionCache.document_id,
                schema.SuggestionCache.payload,
                schema.Document.project_id,
            )
            .join(schema.Document, schema.Document.id == schema.SuggestionCache.document_id)
            .where(schema.SuggestionCache.document_id.in_(ids))
        ).all()
        rejected = rejected_keys_many(s, ids, annotator_id)
        settings: dict[str, SuggestionSettings] = {}
        lists: dict[str, list[list[Suggestion]]] = {}
        for doc_id, payload, project_id in rows:
            if project_id not in settings:
                settings[project_id] = read_settings(s, project_id)
            if not settings[project_id].enabled:
                continue
            try:
                items = [Suggestion.from_dict(d) for d in payload or []]
            except (KeyError, TypeError, ValueError):
                continue
            lists.setdefault(doc_id, []).append(items)
        owners = {doc_id: project_id for doc_id, _p, project_id in rows}
        for doc_id, per_engine in lists.items():
            floor = settings[owners[doc_id]].floor
            own = _live_records(s, doc_id, annotator_id)
            taken = [sp for rec in own for sp in rec.content]
            out[doc_id] = sum(
                1
                for item in merge(per_engine)
                if item.confidence >= floor
                and item.key not in rejected[doc_id]
                and not _overlap(item.content, taken)
            )
    return out


def _overlap(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return any(x.start < y.end and y.start < x.end for x in a for y in b)
