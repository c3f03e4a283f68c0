"""The native JSONL line of a verified document, written straight to JSON text.

`json.dumps(document_to_native(..., [attribution_to_native(...)]))` builds 4 dicts per attribution
and then encodes them; this formats the same text directly (strings escaped by the json module's
own C escaper, the one `json.dumps(..., ensure_ascii=False)` uses), about twice as fast. The
output must stay byte-identical to annotator/native.py's serializers: `fast_line_matches()` checks
that on sample records covering every field, and the writer falls back to the serializers when it
does not hold (after a change there), or per attribution when a value is not of the expected type.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from json.encoder import encode_basestring  # type: ignore[attr-defined]

from annotator.model import (
    AttributionRecord,
    Confidence,
    DocumentInfo,
    Kind,
    Origin,
    Polarity,
    ReviewState,
    Span,
)
from annotator.native import Names, attribution_to_native, document_to_native

_enc: Callable[[str], str] = encode_basestring  # quotes and escapes like json.dumps


def _str_or_null(value: str | None) -> str:
    return "null" if value is None else _enc(value)


def _span(span: Span | None, text: str) -> str:
    if span is None:
        return "null"
    s, e = span.start, span.end
    return f'{{"start": {s:d}, "end": {e:d}, "text": {_enc(text[s:e])}}}'


def _time(ts: datetime | None) -> str:
    return "null" if ts is None else _enc(ts.isoformat() + "Z")


def attribution_json(r: AttributionRecord, text: str, names: Names) -> str:
    """json.dumps(attribution_to_native(r, text, names), ensure_ascii=False), key for key.
    Raises TypeError/ValueError when a value is not what the record type says."""
    annotators, actors = names.annotators, names.actors
    content = r.content
    spans = ", ".join(_span(s, text) for s in (content if len(content) == 1 else sorted(content)))
    return (
        f'{{"id": {_enc(r.id)}, "annotator": {_str_or_null(annotators.get(r.annotator_id or ""))},'
        f' "content": [{spans}], "cue": {_span(r.cue, text)},'
        f' "mention": {_span(r.mention, text)},'
        f' "speaker": {_str_or_null(actors.get(r.speaker_id or ""))},'
        f' "speaker_id": {_str_or_null(r.speaker_id)},'
        f' "via": {_str_or_null(actors.get(r.via_id or ""))},'
        f' "via_id": {_str_or_null(r.via_id)}, "kind": {_enc(str(r.kind))},'
        f' "target": {_str_or_null(names.targets.get(r.target_id or ""))},'
        f' "target_id": {_str_or_null(r.target_id)},'
        f' "polarity": {_enc(str(r.polarity)) if r.polarity else "null"},'
        f' "proposition": {_enc(r.proposition)}, "note": {_enc(r.note)},'
        f' "confidence": {_enc(str(r.confidence)) if r.confidence else "null"},'
        f' "origin": {_enc(str(r.origin))}, "review_state": {_enc(str(r.review_state))},'
        f' "reviewer": {_str_or_null(annotators.get(r.reviewer_id or ""))},'
        f' "review_comment": {_enc(r.review_comment)},'
        f' "source_ids": [{", ".join(map(_enc, r.source_ids))}],'
        f' "created_at": {_time(r.created_at)}, "updated_at": {_time(r.updated_at)},'
        f' "external_id": {_enc(r.external_id)}}}'
    )


def document_line(
    info: DocumentInfo,
    text: str,
    records: list[AttributionRecord],
    names: Names,
    dumps: Callable[[object], str],
) -> str:
    """The document's JSON line (no newline): its fields by `dumps`, attributions appended as
    text. `attributions` is the last key of document_to_native, so its `[]}` tail is replaced."""
    head = dumps(document_to_native(info, text, []))
    parts = []
    for r in records:
        try:
            parts.append(attribution_json(r, text, names))
        except (TypeError, ValueError):  # an unexpected value type: the serializer handles it
            parts.append(dumps(attribution_to_native(r, text, names)))
    return f"{head[:-3]}[{', '.join(parts)}]}}"


def fast_line_matches(dumps: Callable[[object], str]) -> bool:
    """Whether document_line equals the serializers on records that set and unset every field."""
    text = 'He said "it\'s \\ fine"\n\ttoday — 🙂 ok\u2028 \x00é.'
    info = DocumentInfo(
        "d1", "p1", 'T "x"', "src", "u", "2026", "pl", "au", "en", "abc", len(text), {"k": [1]}
    )
    full = AttributionRecord(
        "a1",
        "d1",
        "n1",
        (Span(0, 2), Span(9, 15), Span(20, 28)),
        Span(3, 7),
        Span(0, 2),
        "s1",
        "v1",
        Kind.MIXED,
        "t1",
        Polarity.OPPOSE,
        'prop "q"\n',
        "note\\",
        Confidence.HIGH,
        Origin.ADJUDICATED,
        ReviewState.ACCEPTED,
        "n2",
        "c\x01",
        ("x1", 'x"2'),
        datetime(2026, 1, 2, 3, 4, 5, 6),
        datetime(2026, 1, 2, 3, 4, 5),
        "E12",
    )
    bare = AttributionRecord("a2", "d1", None, (Span(1, 3),))
    unknown = AttributionRecord("a3", "d1", "zz", (Span(29, 31),), speaker_id="zz", via_id="s1")
    names = Names(
        actors={"s1": 'Speaker "1"', "v1": "Via"},
        targets={"t1": "Target\n"},
        annotators={"n1": "ana", "n2": "lead"},
    )
    records = [full, bare, unknown]
    expected = dumps(
        document_to_native(info, text, [attribution_to_native(r, text, names) for r in records])
    )
    return document_line(info, text, records, names, dumps) == expected
