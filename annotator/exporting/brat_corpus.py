"""`brat-corpus`: BRAT standoff in the layout of attribution corpora such as PolNeAR.

    text/NAME.txt                       the document text (NAME: the source's id, else ours)
    attributions/NAME_ANNOTATOR.ann     one file per annotator of the document
    attributions/NAME_ANNOTATOR.txt     the same text again, so brat opens each .ann
    attributions/annotation.conf        the entity / event / attribute types brat needs

(under train/, dev/, test/ when split). Per attribution: text-bound `Source`, `Cue`, `Content`
(`Content2`, `Content3`... for the further segments of a split quote) and an `Attribution` span
repeating the cue (the first content segment when there is no cue), tied by an event
`Attribution:T Source:T Cue:T Content:T` (`Attribution-no-source` when there is no speaker
mention), as PolNeAR writes them; `Kind` / `Polarity` attributes and an AnnotatorNotes line
with our fields (record id, speaker, via, target, proposition, note, the source's own record id)
so that `annotator import` of the folder gives back the same records, each under its annotator.
"""

from __future__ import annotations

import re

from annotator.exporting.base import ExportDoc, Writer, WriterContext
from annotator.exporting.brat import fragments, note_line
from annotator.model import AttributionRecord, Span
from annotator.native import Names

ANNOTATION_CONF = """\
# brat configuration for annotator's corpus-layout export (docs/export.md)
[entities]
Source
Cue
Content
Attribution

[relations]

[events]
Attribution\tSource?:Source, Cue?:Cue, Content+:Content
Attribution-no-source\tCue?:Cue, Content+:Content

[attributes]
Kind\tArg:<EVENT>, Value:direct|indirect|mixed
Polarity\tArg:<EVENT>, Value:support|oppose|neutral|unclear
"""
_UNSAFE = re.compile(r"[^\w.\-]+")
NO_ANNOTATOR = "unknown"


def file_part(name: str) -> str:
    """A name usable in a file name on every system (letters, digits, `_`, `-`, `.`)."""
    return _UNSAFE.sub("-", name).strip("-.") or "x"


class _CorpusAnn:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.t = self.e = self.a = self.n = 0

    def textbound(self, label: str, span: Span) -> str:
        self.t += 1
        frags = fragments(self.text, [span])
        where = ";".join(f"{s} {e}" for s, e in frags)
        words = " ".join(self.text[s:e] for s, e in frags)
        self.lines.append(f"T{self.t}\t{label} {where}\t{words}")
        return f"T{self.t}"

    def attribution(self, r: AttributionRecord, names: Names) -> None:
        source = self.textbound("Source", r.mention) if r.mention is not None else None
        cue = self.textbound("Cue", r.cue) if r.cue is not None else None
        contents = [self.textbound("Content", s) for s in sorted(r.content)]
        trigger = self.textbound("Attribution", r.cue if r.cue is not None else min(r.content))
        self.e += 1
        event = f"E{self.e}"
        kind = "Attribution" if source else "Attribution-no-source"
        args = [f"{kind}:{trigger}"]
        args += [f"Source:{source}"] if source else []
        args += [f"Cue:{cue}"] if cue else []
        args += [f"Content{'' if i == 0 else i + 1}:{t}" for i, t in enumerate(contents)]
        self.lines.append(f"{event}\t{' '.join(args)}")
        self.a += 1
        self.lines.append(f"A{self.a}\tKind {event} {r.kind}")
        if r.polarity:
            self.a += 1
            self.lines.append(f"A{self.a}\tPolarity {event} {r.polarity}")
        fields = {
            "id": r.id,
            "speaker": names.actors.get(r.speaker_id or ""),
            "via": names.actors.get(r.via_id or ""),
            "target": names.targets.get(r.target_id or ""),
            "proposition": r.proposition,
            "note": r.note,
            "source_id": r.external_id,
        }
        self.n += 1
        self.lines.append(f"#{self.n}\tAnnotatorNotes {event}\t{note_line(fields)}")


class BratCorpusWriter(Writer):
    format = "brat-corpus"
    fields_doc = """
The layout of attribution corpora such as PolNeAR: `text/NAME.txt` (the document text) and
`attributions/NAME_ANNOTATOR.ann`, one file per annotator of the document, under `train/`,
`dev/`, `test/` when split. `NAME` is the document's id in its source (`document_external_id`,
e.g. the BRAT file stem it was imported from), else its id here; `ANNOTATOR` the annotator's
name (letters, digits, `_`, `-`, `.` kept, other characters as `-`). `attributions/` also holds a
copy of each text as `NAME_ANNOTATOR.txt` and `annotation.conf`, so brat opens the folder as it is.
In `.ann`: `T` lines typed `Source` (speaker mention), `Cue`, `Content` and `Attribution` (the
event's trigger: the cue's span, or the first content segment's when there is none); one `E`
line per attribution: `Attribution:T Source:T Cue:T Content:T Content2:T ...`, typed
`Attribution-no-source` when there is no mention; `A` lines `Kind` and `Polarity`; a `#`
AnnotatorNotes line on the event: `id=...; speaker=...; via=...; target=...; proposition=...;
note=...; source_id=...` (escaped as in the `brat` format). `annotator import` reads the folder
back: the same records, ids, fields and annotators (review state and timestamps are not kept).
"""

    def __init__(self, ctx: WriterContext) -> None:
        super().__init__(ctx)
        self.used: set[str] = set()

    def start(self, splits: list[str]) -> None:
        for split in splits:
            prefix = f"{split}/" if self.ctx.splitting else ""
            self.ctx.files.write_text(f"{prefix}attributions/annotation.conf", ANNOTATION_CONF)

    def _name(self, doc: ExportDoc) -> str:
        """The document's file name: its source id, unless another document has it already."""
        name = file_part(doc.info.external_id) if doc.info.external_id else doc.info.id
        if name in self.used:
            name = f"{name}-{doc.info.id[:8]}"
        self.used.add(name)
        return name

    def write(self, doc: ExportDoc) -> None:
        prefix = f"{doc.split}/" if self.ctx.splitting else ""
        name = self._name(doc)
        self.ctx.files.write_text(f"{prefix}text/{name}.txt", doc.text)
        by_annotator: dict[str, list[AttributionRecord]] = {}
        annotators = self.ctx.names.annotators
        for r in doc.attributions:
            who = file_part(annotators.get(r.annotator_id or "", NO_ANNOTATOR))
            by_annotator.setdefault(who, []).append(r)
        for who, records in sorted(by_annotator.items()):
            ann = _CorpusAnn(doc.text)
            for r in records:
                ann.attribution(r, self.ctx.names)
            base = f"{prefix}attributions/{name}_{who}"
            self.ctx.files.write_text(f"{base}.txt", doc.text)
            self.ctx.files.write_text(f"{base}.ann", "".join(line + "\n" for line in ann.lines))
