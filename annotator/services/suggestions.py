"""Suggestions for the analyst: what to show on a document, and accept / reject, undoable.

The GUI is a thin adapter over these calls (each one unit of work):

    document_suggestions(db, doc, annotator)   -> list[Suggestion]   what to show, by position
    accept_suggestion(db, doc, s, annotator)   -> Accepted          a normal attribution, origin
                                                                     "suggested"
    undo_accept(db, accepted) / redo_accept(db, accepted)
    reject_suggestion(db, doc, s, annotator)   -> Rejected          never proposed again to them
    undo_reject(db, rejected) / redo_reject(db, rejected)
    accept_all(db, doc, annotator)             -> list[Accepted]    one transaction
    undo_accept_all(db, accepted) / redo_accept_all(db, accepted)
    pending_counts(db, doc_ids, annotator)     -> {doc id: n}        from the cache only

Each engine's list is cached per document (computed once; recomputed when the engine's
version or settings change). What the analyst sees is that list with the project's confidence
floor, minus spans they rejected, minus anything overlapping their own attributions, with
speakers re-read from the current registry (an actor added or merged since is used).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.importing.annotated import speaker_name
from annotator.model import (
    ActorType,
    AttributionRecord,
    Confidence,
    Origin,
    Span,
    new_id,
    utcnow,
)
from annotator.services.attributions import insert_attribution
from annotator.services.registries import _live_actors, add_alias_row
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
from annotator.suggest.model import Suggestion, SuggestRequest, span_key
from annotator.suggest.registry_index import RegistryIndex


class SuggestionError(ValueError):
    """A suggestion cannot be applied (its words are already attributed, the document is gone)."""


@dataclass(frozen=True)
class Accepted:
    """What accepting changed: the new attribution, and the actor created for its speaker."""

    suggestion: Suggestion
    attribution: AttributionRecord
    created_actor_id: str | None = None


@dataclass(frozen=True)
class Rejected:
    suggestion: Suggestion
    rejection_id: str
    document_id: str


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
) -> tuple[dict[str, list[Suggestion]], bool] | None:
    """Each enabled engine's full list for a document (cached, or computed and cached), and
    whether suggestions are on for its project. With `compute=False`, None when a list is
    not cached yet (the GUI shows nothing rather than wait)."""
    with db.reader() as s:
        doc = _document(s, document_id)
        settings = read_settings(s, doc.project_id)
        if not settings.enabled:
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
    return lists, True


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


# -- accepting and rejecting ------------------------------------------------------------------


def _confidence(score: float) -> Confidence:
    if score >= 0.8:
        return Confidence.HIGH
    if score >= 0.5:
        return Confidence.MEDIUM
    return Confidence.LOW


def accept_in_session(
    session: Session,
    document: schema.Document,
    item: Suggestion,
    annotator_id: str | None,
    registry: RegistryIndex,
    own: list[AttributionRecord],
) -> Accepted:
    """Insert the attribution for `item` inside an open session (also used by the batch)."""
    if any(sp.end > len(document.text) for sp in item.content):
        raise SuggestionError("the suggestion does not fit the document's text")
    if _overlap(item.content, [sp for rec in own for sp in rec.content]):
        raise SuggestionError("these words are already part of an attribution")
    speaker_id, created = _speaker(session, document, item, registry)
    record = AttributionRecord(
        id=new_id(),
        document_id=document.id,
        annotator_id=annotator_id,
        content=tuple(sorted(item.content)),
        cue=item.cue,
        mention=item.mention,
        speaker_id=speaker_id,
        kind=item.kind,
        confidence=_confidence(item.confidence),
        origin=Origin.SUGGESTED,
    )
    row = insert_attribution(session, record)
    accepted = attribution_record(row)
    own.append(accepted)
    return Accepted(item, accepted, created)


def _speaker(
    session: Session, document: schema.Document, item: Suggestion, registry: RegistryIndex
) -> tuple[str | None, str | None]:
    """(actor id, id of an actor created for it): the suggested actor if it still stands, the
    registry's match for the name, or a new actor named so (the mention kept as an alias)."""
    if item.speaker_id is not None:
        row = session.get(schema.Actor, item.speaker_id)
        while row is not None and row.merged_into_id is not None:
            row = session.get(schema.Actor, row.merged_into_id)
        if row is not None and row.deleted_at is None and row.project_id == document.project_id:
            return row.id, None
    if not item.speaker_name:
        return None, None
    found, _how = registry.find(item.speaker_name)
    if found is not None:
        return found, None
    kind = ActorType.ORGANIZATION if item.speaker_type == "organization" else ActorType.PERSON
    actor = schema.Actor(project_id=document.project_id, name=item.speaker_name, type=str(kind))
    session.add(actor)
    session.flush()
    if item.mention is not None:
        alias = speaker_name(document.text[item.mention.start : item.mention.end])
        if alias and "," not in alias:
            add_alias_row(session, actor, alias)
    registry.add(actor_record(actor))
    return actor.id, actor.id


def accept_suggestion(
    db: Database, document_id: str, item: Suggestion, annotator_id: str | None
) -> Accepted:
    """The suggestion becomes the analyst's attribution (origin "suggested")."""
    with db.session() as s:
        doc = _document(s, document_id)
        registry = RegistryIndex([actor_record(a) for a in _live_actors(s, doc.project_id)])
        own = _live_records(s, document_id, annotator_id)
        return accept_in_session(s, doc, item, annotator_id, registry, own)


def accept_all(
    db: Database, document_id: str, annotator_id: str | None, *, floor: float | None = None
) -> list[Accepted]:
    """Every suggestion shown on the document, accepted in one transaction."""
    items = document_suggestions(db, document_id, annotator_id, floor=floor) or []
    out: list[Accepted] = []
    with db.session() as s:
        doc = _document(s, document_id)
        registry = RegistryIndex([actor_record(a) for a in _live_actors(s, doc.project_id)])
        own = _live_records(s, document_id, annotator_id)
        for item in items:
            if _overlap(item.content, [sp for rec in own for sp in rec.content]):
                continue
            out.append(accept_in_session(s, doc, item, annotator_id, registry, own))
    return out


def undo_accept(db: Database, accepted: Accepted) -> None:
    undo_accept_all(db, [accepted])


def undo_accept_all(db: Database, accepted: Sequence[Accepted]) -> None:
    """Tombstone the attributions (and the actors created for them, if nothing else uses
    them): the suggestions show again."""
    now = utcnow()
    with db.session() as s:
        for a in accepted:
            row = s.get(schema.Attribution, a.attribution.id)
            if row is not None and row.deleted_at is None:
                row.deleted_at = row.updated_at = now
        s.flush()
        for a in accepted:
            if a.created_actor_id is not None:
                _drop_unused_actor(s, a.created_actor_id, now)


def redo_accept(db: Database, accepted: Accepted) -> None:
    redo_accept_all(db, [accepted])


def redo_accept_all(db: Database, accepted: Sequence[Accepted]) -> None:
    """Bring back what `undo_accept_all` took away (same ids: the undo stack stays valid)."""
    now = utcnow()
    with db.session() as s:
        for a in accepted:
            if a.created_actor_id is not None:
                actor = s.get(schema.Actor, a.created_actor_id)
                if actor is not None and actor.deleted_at is not None:
                    actor.deleted_at = None
                    actor.updated_at = now
            row = s.get(schema.Attribution, a.attribution.id)
            if row is not None and row.deleted_at is not None:
                row.deleted_at = None
                row.updated_at = now


def _drop_unused_actor(session: Session, actor_id: str, now: object) -> None:
    used = session.scalar(
        select(schema.Attribution.id)
        .where(
            (schema.Attribution.speaker_id == actor_id) | (schema.Attribution.via_id == actor_id),
            schema.Attribution.deleted_at.is_(None),
        )
        .limit(1)
    )
    actor = session.get(schema.Actor, actor_id)
    if used is None and actor is not None and actor.deleted_at is None:
        actor.deleted_at = actor.updated_at = now  # type: ignore[assignment]


def reject_suggestion(
    db: Database, document_id: str, item: Suggestion, annotator_id: str | None
) -> Rejected:
    """Remember the analyst's "no": this content span is not proposed to them again."""
    with db.session() as s:
        _document(s, document_id)
        row = schema.SuggestionRejection(
            document_id=document_id,
            annotator_id=annotator_id,
            span_key=span_key(item.content),
            engine=item.engine[:40],
            rule=item.rule[:60],
        )
        s.add(row)
        s.flush()
        return Rejected(item, row.id, document_id)


def undo_reject(db: Database, rejected: Rejected) -> None:
    _set_rejection(db, rejected.rejection_id, live=False)


def redo_reject(db: Database, rejected: Rejected) -> None:
    _set_rejection(db, rejected.rejection_id, live=True)


def _set_rejection(db: Database, rejection_id: str, *, live: bool) -> None:
    with db.session() as s:
        row = s.get(schema.SuggestionRejection, rejection_id)
        if row is None:
            raise SuggestionError(f"no rejection {rejection_id}")
        now = utcnow()
        row.deleted_at = None if live else now
        row.updated_at = now
