"""`quotes-jsonl` / `quotes-csv`: one row per attribution, with its context and registry fields.

CSV cells that a spreadsheet would evaluate (starting with = + - @ TAB CR) are prefixed with an
apostrophe, the OWASP recommendation, so opening the file cannot run a formula.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from annotator.exporting.base import ExportDoc, Writer
from annotator.model import POLARITY_TO_STANCE_LABEL

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
    "external_id",
    "document_external_id",
    "source_file",
    "document_language",
)
_FORMULA_START = frozenset("=+-@\t\r")


def neutralize(value: str) -> str:
    """Make a cell inert in spreadsheets: a leading formula character gets a `'` prefix."""
    return "'" + value if value[:1] in _FORMULA_START else value


_NONE3 = (None, None, None)
_NONE4 = (None, None, None, None)


def _speaker_cells(writer: Writer) -> dict[str, tuple[Any, ...]]:
    """speaker id -> (name, type, role, affiliation), built once per export."""
    ctx = writer.ctx
    cells: dict[str, tuple[Any, ...]] | None = ctx.cache.get("quote_speaker_cells")
    if cells is None:
        cells = {
            k: (a.name, str(a.type), a.role, a.affiliation) for k, a in ctx.registry.actors.items()
        }
        ctx.cache["quote_speaker_cells"] = cells
    return cells


def quote_tuples(doc: ExportDoc, writer: Writer) -> list[tuple[Any, ...]]:
    """The rows of one document as tuples in FIELDS order, in document order. Tuples, not
    dicts, and few calls per row, because this runs once per exported attribution."""
    ctx = writer.ctx
    speakers = _speaker_cells(writer)
    names = ctx.names
    actor_names, target_names, annotators = names.actors, names.targets, names.annotators
    text = doc.text
    bounds = ctx.context_finder(text).bounds
    info = doc.info
    head = (info.id, info.title, info.url, info.published, info.source)
    tail = (info.external_id, info.source_file, info.language)
    rows = []
    for r in doc.attributions:
        content = r.content  # sorted by start
        first = content[0]
        lo = first.start
        if len(content) == 1:  # the common case, without comprehensions (a frame each)
            hi = first.end
            content_text = text[lo:hi]
            spans = [[lo, hi]]
        else:
            hi = max(s.end for s in content)
            content_text = CONTENT_JOINER.join(text[s.start : s.end] for s in content)
            spans = [[s.start, s.end] for s in content]
        # `is not None`, never truthiness: Span defines __len__, a Python call per test
        cue, mention = r.cue, r.mention
        if cue is not None:
            cs, ce = cue.start, cue.end
            cue_cells: tuple[Any, ...] = (text[cs:ce], cs, ce)
            lo, hi = min(lo, cs), max(hi, ce)  # the context covers the whole claim
        else:
            cue_cells = _NONE3
        if mention is not None:
            ms, me = mention.start, mention.end
            mention_cells: tuple[Any, ...] = (text[ms:me], ms, me)
            lo, hi = min(lo, ms), max(hi, me)
        else:
            mention_cells = _NONE3
        lo, hi = bounds(lo, hi)
        speaker_id = r.speaker_id
        speaker = speakers.get(speaker_id, _NONE4) if speaker_id else _NONE4
        polarity = str(r.polarity) if r.polarity is not None else None  # plain str: C hashing
        rows.append(
            (
                r.id,
                *head,
                content_text,
                spans,
                text[lo:hi],
                lo,
                *cue_cells,
                *mention_cells,
                speaker[0],
                speaker_id,
                speaker[1],
                speaker[2],
                speaker[3],
                actor_names.get(r.via_id) if r.via_id else None,
                r.via_id,
                str(r.kind),
                target_names.get(r.target_id) if r.target_id else None,
                r.target_id,
                polarity,
                POLARITY_TO_STANCE_LABEL[polarity] if polarity else None,
                r.proposition,
                str(r.confidence) if r.confidence else None,
                annotators.get(r.annotator_id) if r.annotator_id else None,
                str(r.review_state),
                str(r.origin),
                r.external_id,
                *tail,
            )
        )
    return rows


def quote_rows(doc: ExportDoc, writer: Writer) -> list[dict[str, Any]]:
    """The rows of one document as dicts (JSONL, HF attribution rows)."""
    return [dict(zip(FIELDS, row, strict=True)) for row in quote_tuples(doc, writer)]


QUOTES_DOC = """
One row per attribution (`quotes.jsonl` / `quotes.csv`, or one file per split): `id`,
`document_id`, `document_title`, `document_url`, `document_published`, `document_source`,
`content` (segments joined with " … "), `content_spans` (`[[start, end], ...]`; in CSV
`start-end;start-end`), `context` and `context_start` (its offset in the document), `cue`,
`cue_start`, `cue_end`, `mention`, `mention_start`, `mention_end` (the words naming the speaker,
pronouns included), `speaker` (canonical name), `speaker_id`, `speaker_type`, `speaker_role`,
`speaker_affiliation`, `via` (relaying outlet), `via_id`, `kind` (direct / indirect / mixed),
`target`, `target_id`, `polarity` (support / oppose / neutral / unclear), `stance_label`
(FAVOR / AGAINST / NONE), `proposition`, `confidence`, `annotator`, `review_state`, `origin`,
`external_id` (the source corpus's own id of the record, e.g. a BRAT event `E12`; empty for
records made here), `document_external_id` (the source's id of the document, e.g. a BRAT file
stem), `source_file` (the file the document was imported from), `document_language`.
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


# Columns that can hold any text (ids too: imported ids are not guaranteed to be UUIDs). The
# others hold enum values or numbers, which never start with a formula character.
_CSV_TEXT = tuple(
    FIELDS.index(f)
    for f in FIELDS
    if f
    not in {
        "content_spans",
        "context_start",
        "cue_start",
        "cue_end",
        "mention_start",
        "mention_end",
        "speaker_type",
        "kind",
        "polarity",
        "stance_label",
        "confidence",
        "review_state",
        "origin",
        "document_language",
    }
)
_CSV_SPANS = FIELDS.index("content_spans")


def csv_cells(row: tuple[Any, ...]) -> list[Any]:
    """A row's cells: text neutralized, span lists flattened; ints and None pass through (the csv
    module writes them as digits and as an empty cell). Runs for every row: kept lean."""
    cells = list(row)
    fs = _FORMULA_START
    for i in _CSV_TEXT:
        v = cells[i]
        if v and v[0] in fs:
            cells[i] = "'" + v
    spans = cells[_CSV_SPANS]
    if len(spans) == 1:  # the common case, without a generator
        cells[_CSV_SPANS] = f"{spans[0][0]}-{spans[0][1]}"
    else:
        cells[_CSV_SPANS] = ";".join(f"{a}-{b}" for a, b in spans)
    return cells


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
        w.writerows(csv_cells(row) for row in quote_tuples(doc, self))
