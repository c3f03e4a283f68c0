"""Citron JSON (BBC R&D): {"text", "quotes": [{"cue", "sources": [SPAN], "contents": [SPAN],
"coreferences": [SPAN]?, "confidence"?, "id"?}]}, SPAN = {"start", "end", "text"}.

Offsets count code points of `text` as written; they are mapped onto the normalized text. The
speaker is the first non-pronoun coreference, else the first source; the first source span is the
mention. Citron has no kind: annotator.kinds guesses it from the quotation marks.
The extra keys our Citron export writes (speaker, kind, polarity, note, document metadata...) are
read back; a kind, polarity or confidence outside ours rejects the document, as in native import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from annotator.importing.annotated import SpanMapper, speaker_name
from annotator.importing.base import InputError, Prepared, ReadResult, raw_fields, read_limited
from annotator.importing.encoding import DecodeError, decode_bytes
from annotator.importing.native_import import valid_uuid
from annotator.importing.plaintext import first_line_title
from annotator.kinds import guess_kind_of_spans
from annotator.model import Confidence, Kind, Origin, Polarity, ReviewState, Span
from annotator.native import ParsedAttribution
from annotator.services.documents import DocumentDraft

# Document fields our Citron export writes as top-level keys (annotator/exporting/citron.py).
DOC_FIELDS = ("source", "url", "published", "place", "author", "language")


def _confidence(value: Any) -> Confidence | None:
    """Citron's score (a number), or one of our levels by name; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return Confidence(value)  # ValueError for anything else, reported by the caller
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(value)
    return (
        Confidence.HIGH if value >= 0.8 else Confidence.MEDIUM if value >= 0.5 else Confidence.LOW
    )


def _enums(q: Mapping[str, Any], what: str) -> tuple[Kind | None, Polarity | None, Any]:
    """kind, polarity and confidence of a quote; every bad value named in one InputError."""
    bad: list[str] = []
    values: list[Any] = []
    for key, parse, allowed in (
        ("kind", Kind, ", ".join(Kind)),
        ("polarity", Polarity, ", ".join(Polarity)),
        ("confidence", _confidence, "a number or " + ", ".join(Confidence)),
    ):
        value = q.get(key)
        try:
            values.append(None if value is None or value == "" else parse(value))
        except (ValueError, TypeError):
            bad.append(f"{key} {value!r} is not one of {allowed}")
            values.append(None)
    if bad:
        raise InputError(f"{what}: " + "; ".join(bad))
    return values[0], values[1], values[2]


class _Spans:
    """Validates Citron spans against the raw text (offsets may or may not count a BOM)."""

    def __init__(self, raw: str, quotes: list[Any]) -> None:
        self.mapper = SpanMapper(raw)
        self.raw = raw
        self.shift = 0
        if (
            raw.startswith("\ufeff")
            and not self._all_match(quotes, 0)
            and self._all_match(quotes, 1)
        ):
            self.shift = 1

    def _all_match(self, quotes: list[Any], shift: int) -> bool:
        for q in quotes:
            for v in _span_values(q):
                if isinstance(v.get("text"), str) and isinstance(v.get("start"), int):
                    s, e = v["start"] + shift, v.get("end", 0) + shift
                    if self.raw[s:e] != v["text"]:
                        return False
        return True

    def span(self, value: Any, what: str) -> tuple[Span, str]:
        if (
            not isinstance(value, Mapping)
            or not isinstance(value.get("start"), int)
            or not isinstance(value.get("end"), int)
        ):
            raise InputError(f"{what}: expected a span object with integer start and end")
        start, end = value["start"] + self.shift, value["end"] + self.shift
        mapped = self.mapper.span(start, end, what)
        self.mapper.check(start, end, value.get("text"), what)
        return mapped, self.raw[start:end]


def _span_values(q: Any) -> list[Mapping[str, Any]]:
    if not isinstance(q, Mapping):
        return []
    out = [q.get("cue")] + list(q.get("sources") or []) + list(q.get("contents") or [])
    out += list(q.get("coreferences") or [])
    return [v for v in out if isinstance(v, Mapping)]


def _external_id(obj: Mapping[str, Any], id_key: str = "id") -> str:
    """The source's own id: the `external_id` our export writes, else an id that is not one of
    our UUIDs (those are kept as the record's id)."""
    given = obj.get("external_id")
    if isinstance(given, str | int) and not isinstance(given, bool) and str(given):
        return str(given)
    own = obj.get(id_key)
    if isinstance(own, str | int) and not isinstance(own, bool) and not valid_uuid(own):
        return str(own)
    return ""


def citron_quote(q: Any, spans: _Spans, number: int) -> ParsedAttribution:
    what = f"quote {number}"
    if not isinstance(q, Mapping):
        raise InputError(f"{what}: expected an object")
    contents = q.get("contents")
    if not isinstance(contents, list) or not contents:
        raise InputError(f"{what}: needs a non-empty contents list")
    mapped = [spans.span(c, f"{what} content") for c in contents]
    cue = spans.span(q["cue"], f"{what} cue")[0] if q.get("cue") else None
    sources = [spans.span(v, f"{what} source") for v in q.get("sources") or []]
    corefs = [spans.span(v, f"{what} coreference") for v in q.get("coreferences") or []]
    name = next((n for n in (speaker_name(t) for _s, t in corefs + sources) if n), None)
    # Extra keys written by our own Citron export (Citron itself ignores them).
    speaker = q.get("speaker") if isinstance(q.get("speaker"), str) and q.get("speaker") else name
    via = q.get("via") if isinstance(q.get("via"), str) and q.get("via") else None
    kind, polarity, confidence = _enums(q, what)
    content = tuple(sorted(s for s, _t in mapped))
    note = q.get("note") if isinstance(q.get("note"), str) else ""
    return ParsedAttribution(
        id=valid_uuid(q.get("id")), annotator=None,
        content=content, cue=cue,
        mention=sources[0][0] if sources else None,
        speaker=speaker, speaker_id=None, via=via, via_id=None,
        kind=kind or guess_kind_of_spans(spans.mapper.text, content),
        target=str(q.get("target") or "") or None, target_id=None,
        polarity=polarity,
        proposition=str(q.get("proposition") or ""), note=note,
        confidence=confidence,
        origin=Origin.IMPORTED, review_state=ReviewState.DRAFT, reviewer=None,
        review_comment="", source_ids=(), created_at=None, updated_at=None,
        external_id=_external_id(q),
    )  # fmt: skip


def citron_document(obj: Any, path: Path, data: bytes) -> Prepared:
    if not isinstance(obj, Mapping) or not isinstance(obj.get("text"), str):
        raise InputError("not a Citron document: expected an object with 'text' and 'quotes'")
    raw = obj["text"]
    quotes = obj.get("quotes") or []
    if not isinstance(quotes, list):
        raise InputError("'quotes' must be a list")
    if not raw.strip():
        raise InputError("'text' is empty")
    spans = _Spans(raw, quotes)
    attributions = [citron_quote(q, spans, i + 1) for i, q in enumerate(quotes)]
    text = spans.mapper.text
    # Unknown top-level keys go to metadata; our export's `metadata` object is merged into it.
    skip = {"text", "quotes", "coreference_groups", "document_id", "title", "metadata"}
    skip |= {"external_id", "source_file"}
    meta = {k: v for k, v in obj.items() if k not in skip and k not in DOC_FIELDS}
    if isinstance(obj.get("metadata"), Mapping):
        meta.update(obj["metadata"])
    elif "metadata" in obj:
        meta["metadata"] = obj["metadata"]
    fields = {k: obj[k] for k in DOC_FIELDS if isinstance(obj.get(k), str)}
    meta.update({k: obj[k] for k in DOC_FIELDS if k in obj and k not in fields})
    draft = DocumentDraft(
        text=text,
        id=valid_uuid(obj.get("document_id")),
        external_id=_external_id(obj, "document_id"),
        title=str(obj.get("title") or first_line_title(text)),
        metadata=meta,
        **fields,
        import_report={"format": "citron", "normalized": text != raw},
        **raw_fields(path, data),
    )
    return Prepared(draft, attributions, annotated=True)


def read_citron(path: Path) -> ReadResult:
    try:
        data = read_limited(path)
        decoded, _enc = decode_bytes(data)
        try:
            obj = json.loads(decoded.removeprefix("\ufeff"))
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON: {exc.msg}", line=exc.lineno) from exc
    except (InputError, DecodeError) as exc:
        line = getattr(exc, "line", None)
        return ReadResult(errors=[f"{path}{':' + str(line) if line else ''}: {exc}"])
    result = ReadResult()
    docs = obj if isinstance(obj, list) else [obj]
    if not docs:
        result.errors.append(f"{path}: file has no records (an empty JSON list)")
    for i, doc in enumerate(docs):
        try:
            result.documents.append(citron_document(doc, path, data))
        except InputError as exc:
            label = f"document {i + 1}: " if len(docs) > 1 else ""
            result.errors.append(f"{path}: {label}{exc}")
    return result
