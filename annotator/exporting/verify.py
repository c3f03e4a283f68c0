"""Verification: every exported span must be `text[start:end]` of its stored document.

The database stores offsets only, so a span is right when the document text is the one that was
annotated (its SHA-256 still matches) and every span lies inside it. A record that fails is
reported with its document and attribution and is never written; the rest of the export goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotator.model import AttributionRecord, DocumentInfo
from annotator.storage.records import attribution_record
from annotator.text import sha256_text


@dataclass(frozen=True, slots=True)
class Problem:
    document_id: str
    attribution_id: str | None
    message: str

    def __str__(self) -> str:
        return self.message


def _doc_label(info: DocumentInfo) -> str:
    title = info.title.strip() or "(untitled)"
    return f"document {title!r} ({info.id})"


def verify_document(
    info: DocumentInfo, text: str, rows: Iterable[Any]
) -> tuple[list[AttributionRecord], list[Problem]]:
    """Build records from attribution rows; return (good records sorted by position, problems)."""
    problems: list[Problem] = []
    rows = list(rows)
    if sha256_text(text) != info.text_sha256:
        msg = f"{_doc_label(info)}: text no longer matches its SHA-256; its {len(rows)} attribution(s) were not exported"
        return [], [Problem(info.id, None, msg)]
    good: list[AttributionRecord] = []
    length = len(text)
    for row in rows:
        try:
            record = attribution_record(row)
        except (TypeError, ValueError, KeyError) as exc:
            problems.append(
                Problem(
                    info.id, row.id, f"{_doc_label(info)}, attribution {row.id}: bad span ({exc})"
                )
            )
            continue
        bad = _bad_span(record, length)
        if bad:
            problems.append(
                Problem(info.id, record.id, f"{_doc_label(info)}, attribution {record.id}: {bad}")
            )
            continue
        good.append(record)
    good.sort(key=lambda r: (r.start, r.end, r.id))
    return good, problems


def _bad_span(record: AttributionRecord, length: int) -> str:
    if not record.content:
        return "no content span"
    for role, span in record.spans:
        if span.end > length:
            return f"{role} span [{span.start}, {span.end}) is outside the text (length {length})"
    return ""
