"""Accepting and rejecting suggestions, each a pair of calls the GUI's undo stack can use.

    accept_suggestion(db, doc, s, annotator)   -> Accepted          a normal attribution, origin
                                                                     "suggested"
    undo_accept(db, accepted) / redo_accept(db, accepted)
    reject_suggestion(db, doc, s, annotator)   -> Rejected          never proposed again to them
    undo_reject(db, rejected) / redo_reject(db, rejected)
    accept_all(db, doc, annotator)             -> list[Accepted]    one transaction
    undo_accept_all(db, accepted) / redo_accept_all(db, accepted)

Undo tombstones what was made (the attribution, and an actor created for its speaker when
nothing else uses it); redo brings the same records back, so ids held by the stack stay valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.importing.annotated import speaker_name
from annotator.model import ActorType, AttributionRecord, Confidence, Origin, new_id, utcnow
from annotator.services.attributions import insert_attribution
from annotator.services.registries import _live_actors, add_alias_row
from annotator.services.suggestions import (
    SuggestionError,
    _document,
    _live_records,
    _overlap,
    document_suggestions,
)
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import actor_record, attribution_record
from annotator.suggest.model import Suggestion, span_key
from annotator.suggest.registry_index import RegistryIndex


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
