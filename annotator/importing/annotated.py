"""Storing an annotated document: the document, its attributions, and the actors/targets they
name, in one transaction. Also the offset mapping shared by the annotated readers."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.importing.base import InputError, Prepared
from annotator.importing.names import NameIndex
from annotator.importing.store import Store, Stored
from annotator.matching import fold
from annotator.model import AttributionRecord, Span, new_id
from annotator.native import ParsedAttribution
from annotator.services.attributions import insert_attribution
from annotator.services.documents import add_document
from annotator.services.projects import annotator_row
from annotator.services.registries import add_alias_row
from annotator.storage import schema
from annotator.text import normalize_with_maps, sha256_text

FUZZY_SPEAKER_SCORE = 90.0  # below this a mention starts a new actor instead of an alias
PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "you",
        "his",
        "her",
        "hers",
        "their",
        "theirs",
        "its",
        "him",
        "them",
        "who",
        "whom",
        "which",
        "that",
        "our",
        "ours",
        "my",
        "me",
        "us",
        "one",
        "this",
        "these",
        "those",
    ]
)


def speaker_name(mention: str) -> str | None:
    """A usable actor name from a mention, or None for pronouns and empty mentions."""
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", mention)).strip(
        " \t\n,;:.\"'“”‘’«»()[]-–—"
    )
    if not name or fold(name) in PRONOUNS or not any(c.isalpha() for c in name):
        return None
    return name


class SpanMapper:
    """Maps offsets into the raw (decoded) text onto the normalized stored text."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text, self.floor, self.ceil = normalize_with_maps(raw)

    def span(self, start: int, end: int, what: str) -> Span:
        if not (0 <= start < end <= len(self.raw)):
            problem = "is empty or reversed" if start >= 0 and end <= start else None
            raise InputError(
                f"{what} span [{start}, {end}) "
                + (problem or f"is outside the text (length {len(self.raw)})")
            )
        return Span(self.floor[start], self.ceil[end])

    def check(self, start: int, end: int, expected: str | None, what: str) -> None:
        if expected is not None and self.raw[start:end] != expected:
            got = self.raw[start:end]
            raise InputError(f"{what} span [{start}, {end}) covers {got!r}, not {expected!r}")


def map_parsed(att: ParsedAttribution, mapper: SpanMapper) -> ParsedAttribution:
    """Re-express spans parsed against the raw text in stored-text offsets."""

    def m(span: Span | None, what: str) -> Span | None:
        return None if span is None else mapper.span(span.start, span.end, what)

    content = tuple(sorted(mapper.span(s.start, s.end, "content") for s in att.content))
    return dataclasses.replace(
        att, content=content, cue=m(att.cue, "cue"), mention=m(att.mention, "mention")
    )


def resolve_actor(
    session: Session,
    store: Store,
    actor_id: str | None,
    name: str | None,
    mention: str | None,
    *,
    fuzzy: bool = True,
) -> str | None:
    """An actor id for a speaker given by id, canonical name, or only a mention in the text.
    With `fuzzy`, spellings are matched tolerantly and new ones become aliases; without it
    (native files) names must match exactly and the registry is left as the file has it."""
    index = name_index(session, store, "actor")
    row: schema.Actor | None = None
    if actor_id:
        actor_id = store.actor_ids.get(actor_id, actor_id)
        row = session.get(schema.Actor, actor_id)
    candidate = name or (speaker_name(mention) if mention else None)
    if row is None and candidate:
        found = index.find(candidate)
        if found is None and fuzzy:
            found = index.fuzzy(candidate, FUZZY_SPEAKER_SCORE)
        if found is not None:
            row = session.get(schema.Actor, found)
        if row is None:
            row = schema.Actor(project_id=store.project_id, name=candidate)
            if actor_id:
                row.id = actor_id
            session.add(row)
            session.flush()
            index.stage(row.id, candidate)
    if row is None or not fuzzy:
        return row.id if row is not None else None
    for alias in (name, speaker_name(mention) if mention else None):
        if alias and add_alias_row(session, row, alias):
            index.stage(row.id, alias)
    return row.id


def name_index(session: Session, store: Store, kind: str) -> NameIndex:
    if kind == "actor":
        if store.actor_index is None:
            store.actor_index = NameIndex.load(session, store.project_id, "actor")
        return store.actor_index
    if store.target_index is None:
        store.target_index = NameIndex.load(session, store.project_id, "target")
    return store.target_index


def resolve_target(
    session: Session, store: Store, target_id: str | None, name: str | None
) -> str | None:
    """A target id by id (kept when new, for lossless re-import) or by name/alias."""
    if target_id:
        target_id = store.target_ids.get(target_id, target_id)
        if session.get(schema.Target, target_id) is not None:
            return target_id
    if not name:
        return None
    index = name_index(session, store, "target")
    found = index.find(name)
    if found is not None:
        return found
    row = schema.Target(project_id=store.project_id, name=name)
    if target_id:
        row.id = target_id
    session.add(row)
    session.flush()
    index.stage(row.id, name)
    return row.id


def _same_exists(session: Session, doc_id: str, rec: AttributionRecord) -> bool:
    """Re-importing the same annotations (by id, or same annotator and spans) adds nothing."""
    if session.get(schema.Attribution, rec.id) is not None:
        return True
    spans = [[s.start, s.end] for s in sorted(rec.content)]
    for row in session.scalars(
        select(schema.Attribution).where(
            schema.Attribution.document_id == doc_id,
            schema.Attribution.annotator_id == rec.annotator_id,
            schema.Attribution.deleted_at.is_(None),
        )
    ):
        if (
            row.content_spans == spans
            and (row.cue_start, row.cue_end)
            == ((rec.cue.start, rec.cue.end) if rec.cue else (None, None))
            and row.speaker_id == rec.speaker_id
        ):
            return True
    return False


def store_annotated(store: Store, item: Prepared) -> Stored:
    """The document (or the existing duplicate) plus its attributions, in one transaction."""
    draft = item.draft
    try:
        doc_id, created, added, present = _store_in_session(store, item, draft)
    except BaseException:
        for index in (store.actor_index, store.target_index):
            if index is not None:
                index.rollback()  # what the failed transaction created does not exist
        raise
    for index in (store.actor_index, store.target_index):
        if index is not None:
            index.commit()
    store.hashes[sha256_text(draft.text)] = doc_id
    return Stored(created, doc_id, added, present)


def _store_in_session(store: Store, item: Prepared, draft: Any) -> tuple[str, bool, int, int]:
    added = present = 0
    with store.db.session() as s:
        if draft.id and s.get(schema.Document, draft.id) is not None:
            existing = s.get(schema.Document, draft.id)
            if existing.project_id != store.project_id or existing.text != draft.text:
                draft = dataclasses.replace(draft, id=None)  # id taken by another document
        row, created = add_document(s, store.project_id, draft)
        text = row.text
        for att in item.attributions:
            for _role, span in _spans(att):
                if span.end > len(text):
                    raise InputError(f"span [{span.start}, {span.end}) is outside the text")
            mention = text[att.mention.start : att.mention.end] if att.mention else None
            rec = AttributionRecord(
                id=att.id or new_id(),
                document_id=row.id,
                annotator_id=annotator_row(s, att.annotator or store.annotator).id,
                content=att.content,
                cue=att.cue,
                mention=att.mention,
                speaker_id=resolve_actor(
                    s, store, att.speaker_id, att.speaker, mention, fuzzy=item.match_mentions
                ),
                via_id=resolve_actor(s, store, att.via_id, att.via, None, fuzzy=item.match_mentions)
                if (att.via or att.via_id)
                else None,
                kind=att.kind,
                target_id=resolve_target(s, store, att.target_id, att.target),
                polarity=att.polarity,
                proposition=att.proposition,
                note=att.note,
                confidence=att.confidence,
                origin=att.origin,
                review_state=att.review_state,
                reviewer_id=annotator_row(s, att.reviewer).id if att.reviewer else None,
                review_comment=att.review_comment,
                source_ids=att.source_ids,
                created_at=att.created_at,
                updated_at=att.updated_at,
            )
            if _same_exists(s, row.id, rec):
                present += 1
                continue
            insert_attribution(s, rec)
            added += 1
        doc_id = row.id
    return doc_id, created, added, present


def _spans(att: ParsedAttribution) -> list[tuple[str, Span]]:
    out = [("content", s) for s in att.content]
    out += [(r, s) for r, s in (("cue", att.cue), ("mention", att.mention)) if s is not None]
    return out
