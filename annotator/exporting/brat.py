"""`brat`: standoff annotation, one DOCUMENT_ID.txt + DOCUMENT_ID.ann per document.

Per attribution: text-bound `Content` (discontinuous fragments joined by `;`, split at line
breaks as brat requires), `Source` (the speaker mention) and `Cue`; an `Attribution` event whose
trigger is the cue (the content when there is no cue) with `Content` and `Source` arguments;
`Kind` and `Polarity` attributes (A lines) on the event; the record id, canonical speaker, via,
target, proposition and note as an AnnotatorNotes (# line) `id=...; speaker=...; ...`, values
percent-escaped (`note_line` / `parse_note`, shared with the BRAT importer). brat offsets are code
points, as ours.
"""

from __future__ import annotations

import re

from annotator.exporting.base import ExportDoc, Writer
from annotator.model import AttributionRecord, Span
from annotator.native import Names

ANNOTATION_CONF = """\
# brat configuration for annotator exports (docs/export.md)
[entities]
Source
Cue
Content

[relations]

[events]
# trigger: the Cue span (the Content span when the record has no cue)
Attribution\tContent:Content, Source?:Source

[attributes]
Kind\tArg:Attribution, Value:direct|indirect|mixed
Polarity\tArg:Attribution, Value:support|oppose|neutral|unclear
"""


def fragments(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """Spans cut at line breaks (a brat fragment may not contain one), whitespace-only pieces out."""
    out: list[tuple[int, int]] = []
    for span in sorted(spans):
        start = span.start
        for i in range(span.start, span.end + 1):
            if i == span.end or text[i] == "\n":
                if text[start:i].strip():
                    out.append((start, i))
                start = i + 1
    return out or [(s.start, s.end) for s in spans]


def _one_line(value: str) -> str:
    return " ".join(value.split())


# The fields of the event note, in the order written: a key seen out of order while parsing is
# taken as part of the previous value (files from the old, unescaped exporter).
NOTE_KEYS = ("id", "speaker", "via", "target", "proposition", "note", "source_id")
# Escaped in note values: the separators, the escape itself, and every character that would end
# the line or the field (str.splitlines() breaks on more than \n; tabs separate brat fields).
_ESCAPED = "%;=\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ESCAPE = str.maketrans(
    {c: f"%{ord(c):02X}" if ord(c) < 0x100 else f"%u{ord(c):04X}" for c in _ESCAPED}
)
_UNESCAPE = {f"%{ord(c):02X}" if ord(c) < 0x100 else f"%u{ord(c):04X}": c for c in _ESCAPED}
_ESCAPE_RE = re.compile("|".join(re.escape(k) for k in _UNESCAPE))
_KEY_RE = re.compile(r"(?:^|; )(" + "|".join(NOTE_KEYS) + ")=")


def escape_value(value: str) -> str:
    return value.translate(_ESCAPE)


def unescape_value(value: str) -> str:
    """Only our own escapes are decoded: any other `%` sequence (old files) stays as written."""
    return _ESCAPE_RE.sub(lambda m: _UNESCAPE[m[0]], value)


def note_line(fields: dict[str, str | None]) -> str:
    """`id=...; speaker=...` with each value escaped; empty values left out."""
    return "; ".join(f"{k}={escape_value(v)}" for k in NOTE_KEYS if (v := fields.get(k)))


def parse_note(note: str) -> dict[str, str] | None:
    """The fields of a note written by `note_line` (or by the old exporter, which did not escape:
    a `; key=` that is not in NOTE_KEYS order is kept inside the value), or None for free text."""
    bounds: list[tuple[str, int, int]] = []  # key, where its `; key=` starts, where the value does
    last = -1
    for m in _KEY_RE.finditer(note):
        order = NOTE_KEYS.index(m[1])
        if (not bounds and m.start() != 0) or order <= last:
            if not bounds:
                return None
            continue
        bounds.append((m[1], m.start(), m.end()))
        last = order
    if not bounds:
        return None
    fields = {}
    for i, (key, _start, value_start) in enumerate(bounds):
        end = bounds[i + 1][1] if i + 1 < len(bounds) else len(note)
        fields[key] = unescape_value(note[value_start:end])
    return fields


class _Ann:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.t = self.e = self.a = self.n = 0

    def textbound(self, label: str, spans: list[Span]) -> str:
        self.t += 1
        frags = fragments(self.text, spans)
        where = ";".join(f"{s} {e}" for s, e in frags)
        words = " ".join(self.text[s:e] for s, e in frags)
        self.lines.append(f"T{self.t}\t{label} {where}\t{words}")
        return f"T{self.t}"

    def note(self, ref: str, value: str) -> None:
        self.n += 1
        self.lines.append(f"#{self.n}\tAnnotatorNotes {ref}\t{_one_line(value)}")

    def attribution(self, r: AttributionRecord, names: Names) -> None:
        content = self.textbound("Content", list(r.content))
        source = self.textbound("Source", [r.mention]) if r.mention else None
        trigger = self.textbound("Cue", [r.cue]) if r.cue else content
        self.e += 1
        event = f"E{self.e}"
        args = f"Attribution:{trigger} Content:{content}" + (f" Source:{source}" if source else "")
        self.lines.append(f"{event}\t{args}")
        self.a += 1
        self.lines.append(f"A{self.a}\tKind {event} {r.kind}")
        if r.polarity:
            self.a += 1
            self.lines.append(f"A{self.a}\tPolarity {event} {r.polarity}")
        speaker = names.actors.get(r.speaker_id or "")
        if speaker and source:
            self.note(source, speaker)  # for people reading the file in brat
        fields = {
            "id": r.id,
            "speaker": speaker,
            "via": names.actors.get(r.via_id or ""),
            "target": names.targets.get(r.target_id or ""),
            "proposition": r.proposition,
            "note": r.note,
            "source_id": r.external_id,
        }
        self.n += 1
        self.lines.append(f"#{self.n}\tAnnotatorNotes {event}\t{note_line(fields)}")


class BratWriter(Writer):
    format = "brat"
    fields_doc = """
`DOCUMENT_ID.txt` (the document text) and `DOCUMENT_ID.ann` per document, under `train/`,
`dev/`, `test/` when split, plus `annotation.conf`. In `.ann`: `T` lines typed `Content`,
`Source` (speaker mention) and `Cue`; an `E` line `Attribution:TRIGGER Content:T Source:T` per
attribution (trigger = the cue, or the content when there is no cue); `A` lines `Kind` and
`Polarity` on the event; `#` AnnotatorNotes on the event (`id=...; speaker=...; via=...;
target=...; proposition=...; note=...; source_id=...` (`source_id`: the source corpus's own
id of the record, e.g. the BRAT event `E12` it was imported as), empty fields left out, `%`, `;`, `=`, tabs and line
breaks in values escaped as `%25`, `%3B`, `%3D`, `%09`, `%0A`, ...) and on the Source (the
canonical speaker).
"""

    def start(self, splits: list[str]) -> None:
        self.ctx.files.write_text("annotation.conf", ANNOTATION_CONF)

    def write(self, doc: ExportDoc) -> None:
        ann = _Ann(doc.text)
        for r in doc.attributions:
            ann.attribution(r, self.ctx.names)
        prefix = f"{doc.split}/" if self.ctx.splitting else ""
        base = f"{prefix}{doc.info.id}"
        self.ctx.files.write_text(f"{base}.txt", doc.text)
        self.ctx.files.write_text(f"{base}.ann", "".join(line + "\n" for line in ann.lines))
