"""The native JSON format: lossless dicts for documents, attributions, actors and targets.

Used by the native JSONL import/export (one document per line, its attributions inside, the
registries in their own files or lines) and by bundles. Documented in docs/formats.md.
Keys are written in a fixed order and timestamps as ISO-8601 UTC, so output is deterministic.

A native line is a document object:
    {"format": "annotator-native/1", "id", "title", "text", "text_sha256", "source", "url",
     "published", "place", "author", "language", "metadata", "attributions": [ATTRIBUTION...]}
An attribution object:
    {"id", "annotator", "content": [{"start", "end", "text"}...], "cue": SPAN|null,
     "mention": SPAN|null, "speaker": NAME|null, "speaker_id", "via": NAME|null, "via_id", "kind",
     "target": NAME|null, "target_id", "polarity", "proposition", "note", "confidence", "origin",
     "review_state", "reviewer", "review_comment", "source_ids", "created_at", "updated_at"}
Registry lines: {"record": "actor", "id", "name", "type", "role", "affiliation", "wikidata_id",
"aliases"} and {"record": "target", "id", "name", "description", "aliases"}.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from annotator.model import (
    ActorRecord,
    AttributionRecord,
    Confidence,
    DocumentInfo,
    Kind,
    Origin,
    Polarity,
    ReviewState,
    Span,
    TargetRecord,
)
from annotator.record_schema import check_value

FORMAT = "annotator-native/1"


class NativeFormatError(ValueError):
    """A native record is malformed; the message says which field and why."""


def iso(ts: datetime | None) -> str | None:
    return None if ts is None else ts.isoformat() + "Z"


def parse_iso(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise NativeFormatError(f"timestamp must be a string, got {value!r}")
    try:
        ts = datetime.fromisoformat(value.removesuffix("Z"))
    except ValueError as exc:
        raise NativeFormatError(f"bad timestamp {value!r}") from exc
    if ts.tzinfo is not None:
        from datetime import UTC

        ts = ts.astimezone(UTC).replace(tzinfo=None)
    return ts


def span_dict(span: Span | None, text: str) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": text[span.start : span.end]}


def parse_span(value: Any, text: str | None, field: str) -> Span | None:
    """A span dict; when `text` is given and the dict carries "text", they must agree."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or "start" not in value or "end" not in value:
        raise NativeFormatError(f"{field}: expected an object with start and end")
    start, end = value["start"], value["end"]
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise NativeFormatError(f"{field}: start and end must be integers")
    if start < 0:
        raise NativeFormatError(f"{field}: span [{start}, {end}) starts before the text")
    if end <= start:
        raise NativeFormatError(f"{field}: span [{start}, {end}) is empty or reversed")
    span = Span(start, end)
    if text is not None:
        if end > len(text):
            raise NativeFormatError(
                f"{field}: span [{start}, {end}) is outside the text (length {len(text)})"
            )
        expected = value.get("text")
        if expected is not None and text[start:end] != expected:
            raise NativeFormatError(
                f"{field}: span [{start}, {end}) covers {text[start:end]!r}, not {expected!r}"
            )
    return span


@dataclass(frozen=True, slots=True)
class Names:
    """Id -> display name lookups for writing names next to ids."""

    actors: Mapping[str, str]
    targets: Mapping[str, str]
    annotators: Mapping[str, str]


def attribution_to_native(rec: AttributionRecord, text: str, names: Names) -> dict[str, Any]:
    return {
        "id": rec.id,
        "annotator": names.annotators.get(rec.annotator_id or "", None),
        "content": [span_dict(s, text) for s in sorted(rec.content)],
        "cue": span_dict(rec.cue, text),
        "mention": span_dict(rec.mention, text),
        "speaker": names.actors.get(rec.speaker_id or "", None),
        "speaker_id": rec.speaker_id,
        "via": names.actors.get(rec.via_id or "", None),
        "via_id": rec.via_id,
        "kind": str(rec.kind),
        "target": names.targets.get(rec.target_id or "", None),
        "target_id": rec.target_id,
        "polarity": str(rec.polarity) if rec.polarity else None,
        "proposition": rec.proposition,
        "note": rec.note,
        "confidence": str(rec.confidence) if rec.confidence else None,
        "origin": str(rec.origin),
        "review_state": str(rec.review_state),
        "reviewer": names.annotators.get(rec.reviewer_id or "", None),
        "review_comment": rec.review_comment,
        "source_ids": list(rec.source_ids),
        "created_at": iso(rec.created_at),
        "updated_at": iso(rec.updated_at),
    }


def document_to_native(
    doc: DocumentInfo, text: str, attributions: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "id": doc.id,
        "title": doc.title,
        "text": text,
        "text_sha256": doc.text_sha256,
        "source": doc.source,
        "url": doc.url,
        "published": doc.published,
        "place": doc.place,
        "author": doc.author,
        "language": doc.language,
        "metadata": doc.metadata,
        "attributions": attributions,
    }


def actor_to_native(actor: ActorRecord) -> dict[str, Any]:
    return {
        "record": "actor",
        "id": actor.id,
        "name": actor.name,
        "type": str(actor.type),
        "role": actor.role,
        "affiliation": actor.affiliation,
        "wikidata_id": actor.wikidata_id,
        "aliases": sorted(actor.aliases),
    }


def target_to_native(target: TargetRecord) -> dict[str, Any]:
    return {
        "record": "target",
        "id": target.id,
        "name": target.name,
        "description": target.description,
        "aliases": sorted(target.aliases),
    }


@dataclass(frozen=True, slots=True)
class ParsedAttribution:
    """An attribution read from native JSON; speaker/target/annotator still by name or id."""

    id: str | None
    annotator: str | None
    content: tuple[Span, ...]
    cue: Span | None
    mention: Span | None
    speaker: str | None
    speaker_id: str | None
    via: str | None
    via_id: str | None
    kind: Kind
    target: str | None
    target_id: str | None
    polarity: Polarity | None
    proposition: str
    note: str
    confidence: Confidence | None
    origin: Origin
    review_state: ReviewState
    reviewer: str | None
    review_comment: str
    source_ids: tuple[str, ...]
    created_at: datetime | None
    updated_at: datetime | None


def _enum(cls: type, value: Any, field: str, default: Any = None) -> Any:
    if value in (None, ""):
        return default
    try:
        return cls(value)
    except ValueError as exc:
        allowed = ", ".join(m.value for m in cls)  # type: ignore[attr-defined]
        raise NativeFormatError(f"{field}: {value!r} is not one of {allowed}") from exc


_SHARED_FIELDS = {
    "id": "id",
    "annotator": "name",
    "speaker": "name",
    "speaker_id": "id",
    "via": "name",
    "via_id": "id",
    "target": "name",
    "target_id": "id",
    "proposition": "text",
    "note": "text",
    "reviewer": "name",
    "review_comment": "text",
    "source_ids": "ids",
    "created_at": "ts",
    "updated_at": "ts",
}


def parse_attribution(obj: Any, text: str | None) -> ParsedAttribution:
    """Parse one attribution object. Also accepts the hand-written corpus shape: a single
    `content` object, and `stance: {target, polarity}` instead of top-level fields."""
    if not isinstance(obj, Mapping):
        raise NativeFormatError("attribution must be a JSON object")
    content_value = obj.get("content")
    if isinstance(content_value, Mapping):
        content_value = [content_value]
    if not isinstance(content_value, list) or not content_value:
        raise NativeFormatError("attribution needs a non-empty content list")
    content = tuple(
        sorted(parse_span(v, text, f"content[{i}]") for i, v in enumerate(content_value))  # type: ignore[type-var]
    )
    stance = obj.get("stance") if isinstance(obj.get("stance"), Mapping) else {}
    mention = obj.get("mention", obj.get("speaker_mention"))
    # The fields a bundle record shares are held to the same schema (annotator.record_schema).
    for key, kind in _SHARED_FIELDS.items():
        value = obj.get(key)
        if value not in (None, ""):
            try:
                check_value(kind, value, key)
            except ValueError as exc:
                raise NativeFormatError(str(exc)) from None
    return ParsedAttribution(
        id=obj.get("id") or None,
        annotator=obj.get("annotator") or None,
        content=content,  # type: ignore[arg-type]
        cue=parse_span(obj.get("cue"), text, "cue"),
        mention=parse_span(mention, text, "mention"),
        speaker=obj.get("speaker") or None,
        speaker_id=obj.get("speaker_id") or None,
        via=obj.get("via") or None,
        via_id=obj.get("via_id") or None,
        kind=_enum(Kind, obj.get("kind"), "kind", Kind.INDIRECT),
        target=obj.get("target", stance.get("target")) or None,
        target_id=obj.get("target_id") or None,
        polarity=_enum(Polarity, obj.get("polarity", stance.get("polarity")), "polarity"),
        proposition=str(obj.get("proposition") or ""),
        note=str(obj.get("note") or ""),
        confidence=_enum(Confidence, obj.get("confidence"), "confidence"),
        origin=_enum(Origin, obj.get("origin"), "origin", Origin.IMPORTED),
        review_state=_enum(ReviewState, obj.get("review_state"), "review_state", ReviewState.DRAFT),
        reviewer=obj.get("reviewer") or None,
        review_comment=str(obj.get("review_comment") or ""),
        source_ids=tuple(obj.get("source_ids") or ()),
        created_at=parse_iso(obj.get("created_at")),
        updated_at=parse_iso(obj.get("updated_at")),
    )
