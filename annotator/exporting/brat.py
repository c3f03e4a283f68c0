"""`brat`: standoff annotation, one DOCUMENT_ID.txt + DOCUMENT_ID.ann per document.

Per attribution: text-bound `Content` (discontinuous fragments joined by `;`, split at line
breaks as brat requires), `Source` (the speaker mention) and `Cue`; an `Attribution` event whose
trigger is the cue (the content when there is no cue) with `Content` and `Source` arguments;
`Kind` and `Polarity` attributes (A lines) on the event; the canonical speaker, target, via,
proposition and record id as AnnotatorNotes (# lines). brat offsets are code points, as ours.
"""

from __future__ import annotations

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
        parts = [f"id={r.id}"]
        speaker = names.actors.get(r.speaker_id or "")
        if speaker:
            parts.append(f"speaker={speaker}")
            if source:
                self.note(source, speaker)
        for key, value in (
            ("via", names.actors.get(r.via_id or "")),
            ("target", names.targets.get(r.target_id or "")),
            ("proposition", r.proposition),
        ):
            if value:
                parts.append(f"{key}={value}")
        self.note(event, "; ".join(parts))


class BratWriter(Writer):
    format = "brat"
    fields_doc = """
`DOCUMENT_ID.txt` (the document text) and `DOCUMENT_ID.ann` per document, under `train/`,
`dev/`, `test/` when split, plus `annotation.conf`. In `.ann`: `T` lines typed `Content`,
`Source` (speaker mention) and `Cue`; an `E` line `Attribution:TRIGGER Content:T Source:T` per
attribution (trigger = the cue, or the content when there is no cue); `A` lines `Kind` and
`Polarity` on the event; `#` AnnotatorNotes on the event (`id=...; speaker=...; via=...;
target=...; proposition=...`) and on the Source (the canonical speaker).
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
