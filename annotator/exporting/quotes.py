"""`quotes-jsonl` / `quotes-csv`: one row per attribution, with its context and registry fields.

CSV cells that a spreadsheet would evaluate (starting with = + - @ TAB CR) are prefixed with an
apostrophe, the OWASP recommendation, so opening the file cannot run a formula.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from annotator.exporting.base import ExportDoc, Writer
from annotator.model import POLARITY_TO_STANCE_LABEL, AttributionRecord

CONTENT_JOINER = " … "
FIELDS = (
    "id",
    "document_id",
    "document_title",
    "document_url",
    "document_published",
    "document_source",
    "content",
    "content_spans",
    "context",
    "context_start",
    "cue",
    "cue_start",
    "cue_end",
    "mention",
    "mention_start",
    "mention_end",
    "speaker",
    "speaker_id",
    "speaker_type",
    "speaker_role",
    "speaker_affiliation",
    "via",
    "via_id",
    "kind",
    "target",
    "target_id",
    "polarity",
    "stance_label",
    "proposition",
    "confidence",
    "annotator",
    "review_state",
    "origin",
)
_FORMULA_START = frozenset("=+-@\t\r")


def neutralize(value: str) -> str:
    """Make a cell inert in spreadsheets: a leading formula character gets a `'` prefix."""
    return "'" + value if value[:1] in _FORMULA_START else value


def quote_rows(doc: ExportDoc, writer: Writer) -> list[dict[str, Any]]:
    """The rows of one document, in document order (shared with the HF attribution rows)."""
    ctx = writer.ctx
    reg = ctx.registry
    names = ctx.names
    finder = ctx.context_finder(doc.text)
    text = doc.text
    info = doc.info
    rows = []
    for r in doc.attributions:
        context = finder.of(r)
        speaker = reg.actors.get(r.speaker_id or "")
        rows.append(
            {
                "id": r.id,
                "document_id": info.id,
                "document_title": info.title,
                "document_url": info.url,
                "document_published": info.published,
                "document_source": info.source,
                "content": r.content_text(text, CONTENT_JOINER),
                "content_spans": [[s.start, s.end] for s in sorted(r.content)],
                "context": context.text,
                "context_start": context.start,
                "cue": r.cue.text(text) if r.cue else None,
                "cue_start": r.cue.start if r.cue else None,
                "cue_end": r.cue.end if r.cue else None,
                "mention": r.mention.text(text) if r.mention else None,
                "mention_start": r.mention.start if r.mention else None,
                "mention_end": r.mention.end if r.mention else None,
                "speaker": speaker.name if speaker else None,
                "speaker_id": r.speaker_id,
                "speaker_type": str(speaker.type) if speaker else None,
                "speaker_role": speaker.role if speaker else None,
                "speaker_affiliation": speaker.affiliation if speaker else None,
                "via": names.actors.get(r.via_id or ""),
                "via_id": r.via_id,
                "kind": str(r.kind),
                "target": names.targets.get(r.target_id or ""),
                "target_id": r.target_id,
                "polarity": str(r.polarity) if r.polarity else None,
                "stance_label": _label(r),
                "proposition": r.proposition,
                "confidence": str(r.confidence) if r.confidence else None,
                "annotator": names.annotators.get(r.annotator_id or ""),
                "review_state": str(r.review_state),
                "origin": str(r.origin),
            }
        )
    return rows


def _label(r: AttributionRecord) -> str | None:
    return POLARITY_TO_STANCE_LABEL[str(r.polarity)] if r.polarity else None


QUOTES_DOC = """
One row per attribution (`quotes.jsonl` / `quotes.csv`, or one file per split): `id`,
`document_id`, `document_title`, `document_url`, `document_published`, `document_source`,
`content` (segments joined with " … "), `content_spans` (`[[start, end], ...]`; in CSV
`start-end;start-end`), `context` and `context_start` (its offset in the document), `cue`,
`cue_start`, `cue_end`, `mention`, `mention_start`, `mention_end` (the words naming the speaker,
pronouns included), `speaker` (canonical name), `speaker_id`, `speaker_type`, `speaker_role`,
`speaker_affiliation`, `via` (relaying outlet), `via_id`, `kind` (direct / indirect / mixed),
`target`, `target_id`, `polarity` (support / oppose / neutral / unclear), `stance_label`
(FAVOR / AGAINST / NONE), `proposition`, `confidence`, `annotator`, `review_state`, `origin`.
CSV cells starting with = + - @ TAB or CR are prefixed with `'` so spreadsheets show them as text.
"""


class QuotesJsonlWriter(Writer):
    format = "quotes-jsonl"
    fields_doc = QUOTES_DOC

    def start(self, splits: list[str]) -> None:
        for split in splits:
            self.text_handle(f"{self.ctx.stem(split, 'quotes')}.jsonl")

    def write(self, doc: ExportDoc) -> None:
        fh = self.text_handle(f"{self.ctx.stem(doc.split, 'quotes')}.jsonl")
        for row in quote_rows(doc, self):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # content spans: "s-e;s-e"
        return ";".join(f"{s}-{e}" for s, e in value)
    if isinstance(value, int):
        return str(value)
    return neutralize(str(value))


def csv_cells(row: dict[str, Any]) -> list[Any]:
    """A row's cells in FIELDS order (rows are built in that order); strings neutralized inline
    because this runs for every cell of every row."""
    fs = _FORMULA_START
    return [
        ("'" + v if v[:1] in fs else v) if type(v) is str else ("" if v is None else csv_cell(v))
        for v in row.values()
    ]


class QuotesCsvWriter(Writer):
    format = "quotes-csv"
    fields_doc = QUOTES_DOC

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._csv: dict[str, Any] = {}

    def start(self, splits: list[str]) -> None:
        for split in splits:  # every split gets its file, with a header, even when empty
            self._writer(split)

    def _writer(self, split: str) -> Any:
        w = self._csv.get(split)
        if w is None:
            # newline="" lets the csv module write RFC 4180 CRLF row ends and keep LFs inside cells
            fh = self.text_handle(f"{self.ctx.stem(split, 'quotes')}.csv", newline="")
            w = csv.writer(fh)
            w.writerow(FIELDS)
            self._csv[split] = w
        return w

    def write(self, doc: ExportDoc) -> None:
        w = self._writer(doc.split)
        w.writerows(csv_cells(row) for row in quote_rows(doc, self))
