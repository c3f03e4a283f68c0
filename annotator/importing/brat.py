"""BRAT standoff pairs `name.txt` + `name.ann` in the PolNeAR layout.

Text-bound annotations `T1<TAB>Source|Cue|Content START END[;START END...]<TAB>text` are tied by
events `E1<TAB>Attribution:T4 Source:T1 Cue:T2 Content:T3` (any event type; argument roles may
carry a number, `Content2:T9`). Each event with a Content becomes one attribution: content = all
fragments of its Content annotation(s), cue = its Cue (fragments covered by one span), mention =
its Source. `#1<TAB>AnnotatorNotes E1<TAB>note` becomes the note, or, in the escaped
`id=...; speaker=...` form our export writes, the record's fields. `A` lines `Kind` / `Polarity`
with a value outside ours reject the document, as a bad field does in native import. Offsets
count code points of name.txt as written (CRLF = 2); they are mapped onto the normalized text.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.exporting.brat import parse_note
from annotator.importing.annotated import SpanMapper, speaker_name
from annotator.importing.base import InputError, Prepared, ReadResult, file_lines, read_limited
from annotator.importing.discover import corpus_text
from annotator.importing.encoding import DecodeError, decode_bytes
from annotator.importing.native_import import valid_uuid
from annotator.importing.textfile import article_draft, load_text
from annotator.kinds import guess_kind_of_spans
from annotator.model import Kind, Origin, Polarity, ReviewState, Span
from annotator.native import ParsedAttribution

ROLE_CONTENT, ROLE_CUE, ROLE_SOURCE = "content", "cue", "source"
ENUMS: dict[str, type[Kind] | type[Polarity]] = {"kind": Kind, "polarity": Polarity}
_FRAGMENT = re.compile(r"^(\d+) (\d+)$")
# A line that starts an annotation (brat's id letters, or a `#` note), as opposed to the rest of a
# text field that held a line break.
_ANNOTATION_LINE = re.compile(r"^[TERAMN*#]\d*\t")


@dataclass(slots=True)
class TextBound:
    type: str
    fragments: list[tuple[int, int]]
    text: str
    line: int


def parse_ann(
    ann_text: str,
) -> tuple[dict[str, TextBound], list[tuple[str, list, int]], dict, dict]:
    """T annotations by id, events as (id, [(role, ref)], line), notes by id, and attributes
    by id as {name: (value, line)}."""
    tbs: dict[str, TextBound] = {}
    events: list[tuple[str, list[tuple[str, str]], int]] = []
    notes: dict[str, str] = {}
    attrs: dict[str, dict[str, tuple[str, int]]] = {}
    last_tb: TextBound | None = None
    for number, line in enumerate(file_lines(ann_text), start=1):
        if last_tb is not None and not _ANNOTATION_LINE.match(line):
            # brat wrote a span's text with its line breaks: the text field goes on here
            last_tb.text += "\n" + line
            continue
        last_tb = None
        if not line.strip():
            continue
        parts = line.split("\t")
        ident = parts[0].strip()
        if ident.startswith("T"):
            if len(parts) < 2:
                raise InputError("text-bound annotation without type and offsets", number)
            head = parts[1].split(" ", 1)
            if len(head) != 2:
                raise InputError(f"{ident}: expected 'TYPE START END'", number)
            fragments = []
            for frag in head[1].split(";"):
                m = _FRAGMENT.match(frag.strip())
                if not m:
                    raise InputError(f"{ident}: bad offsets {frag.strip()!r}", number)
                fragments.append((int(m[1]), int(m[2])))
            tbs[ident] = TextBound(head[0], fragments, parts[2] if len(parts) > 2 else "", number)
            last_tb = tbs[ident]
        elif ident.startswith("E"):
            if len(parts) < 2:
                raise InputError(f"{ident}: event without arguments", number)
            args = []
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                if not ref:
                    raise InputError(f"{ident}: bad argument {arg!r}", number)
                args.append((re.sub(r"\d+$", "", role).lower(), ref))
            events.append((ident, args, number))
        elif ident.startswith("A") and len(parts) >= 2:
            bits = parts[1].split()
            if len(bits) >= 3:
                attrs.setdefault(bits[1], {})[bits[0].lower()] = (bits[2], number)
        elif ident.startswith("#") and len(parts) >= 3:
            kind, _, target = parts[1].partition(" ")
            if kind == "AnnotatorNotes":
                notes[target.strip()] = "\t".join(parts[2:])
    return tbs, events, notes, attrs


def _fits(raw: str, tbs: dict[str, TextBound], shift: int) -> bool:
    for tb in tbs.values():
        got = " ".join(raw[s + shift : e + shift] for s, e in tb.fragments)
        if tb.text and " ".join(got.split()) != " ".join(tb.text.split()):
            return False
    return True


def brat_attributions(
    raw: str, ann_text: str, ann: Path, skipped: list[str] | None = None
) -> list[ParsedAttribution]:
    """The attributions of one .ann file; each event that is not one (no Content argument) is
    named in `skipped` as `FILE:LINE: ...`."""
    tbs, events, notes, attrs = parse_ann(ann_text)
    shift = 0
    if raw.startswith("\ufeff") and not _fits(raw, tbs, 0) and _fits(raw, tbs, 1):
        shift = 1  # offsets were counted without the BOM
    mapper = SpanMapper(raw)

    def spans(tb: TextBound, ident: str) -> list[Span]:
        out = []
        for s, e in tb.fragments:
            try:
                out.append(mapper.span(s + shift, e + shift, f"{ident} ({tb.type})"))
            except InputError as exc:  # the span's own line, not the event's
                raise InputError(str(exc), exc.line or tb.line) from exc
        got = " ".join(raw[s + shift : e + shift] for s, e in tb.fragments)
        if tb.text and " ".join(got.split()) != " ".join(tb.text.split()):
            raise InputError(f"{ident}: offsets cover {got!r}, not {tb.text!r}", tb.line)
        return out

    result = []
    for ident, args, number in events:
        roles: dict[str, list[tuple[str, TextBound]]] = {}
        for role, ref in args:
            if ref not in tbs:
                if ref.startswith("E"):
                    continue  # nested events are not attributions of their own here
                raise InputError(f"{ident}: refers to unknown annotation {ref}", number)
            roles.setdefault(role, []).append((ref, tbs[ref]))
        if ROLE_CONTENT not in roles:
            if skipped is not None:
                given = " ".join(f"{r}:{ref}" for r, ref in args) or "no arguments"
                skipped.append(
                    f"{ann}:{number}: skipped event {ident}: it has no Content argument ({given})"
                )
            continue  # not an attribution event
        if ROLE_CUE not in roles:  # our own export: the event's trigger is the Cue annotation
            roles[ROLE_CUE] = [
                (r, tb) for r, tb in roles.get("attribution", []) if tb.type == "Cue"
            ]
        note = notes.get(ident, "")
        fields = parse_note(note)
        if fields is not None and not valid_uuid(fields.get("id")):
            fields = None  # ours always start with a UUID id: this is someone's free text
        extra = {k: v for k, v in (fields or {}).items() if v}
        kind = _enum_attr(attrs, ident, "kind")
        polarity = _enum_attr(attrs, ident, "polarity")
        try:
            content = sorted(s for ref, tb in roles[ROLE_CONTENT] for s in spans(tb, ref))
            cue = _cover([s for ref, tb in roles.get(ROLE_CUE, []) for s in spans(tb, ref)])
            source = _cover(
                [s for ref, tb in roles.get(ROLE_SOURCE, [])[:1] for s in spans(tb, ref)]
            )
        except InputError as exc:
            raise InputError(str(exc), exc.line or number) from exc
        source_text = roles[ROLE_SOURCE][0][1].text if ROLE_SOURCE in roles else ""
        result.append(
            ParsedAttribution(
                id=valid_uuid(extra.get("id")),
                annotator=None,
                content=tuple(content),
                cue=cue,
                mention=source,
                speaker=extra.get("speaker")
                or (speaker_name(source_text) if source_text else None),
                speaker_id=None,
                via=extra.get("via"),
                via_id=None,
                kind=kind or guess_kind_of_spans(mapper.text, content),
                target=extra.get("target"),
                target_id=None,
                polarity=polarity,
                proposition=extra.get("proposition", ""),
                note=extra.get("note", "") if fields is not None else note,
                confidence=None,
                origin=Origin.IMPORTED,
                review_state=ReviewState.DRAFT,
                reviewer=None,
                review_comment="",
                source_ids=(),
                created_at=None,
                updated_at=None,
                external_id=extra.get("source_id") or ident,
            )  # fmt: skip
        )
    return result


def _enum_attr(attrs: dict[str, dict[str, tuple[str, int]]], ident: str, name: str) -> Any:
    """The event's Kind / Polarity attribute as our enum, None when absent; a value outside the
    enum is an error on the attribute's own line (native import rejects it too)."""
    found = attrs.get(ident, {}).get(name)
    if found is None:
        return None
    value, line = found
    cls = ENUMS[name]
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise InputError(f"{ident}: {name} {value!r} is not one of {allowed}", line) from None


def _cover(spans: list[Span]) -> Span | None:
    return Span(min(s.start for s in spans), max(s.end for s in spans)) if spans else None


def read_brat(ann: Path, text_path: Path | None) -> ReadResult:
    if text_path is None:
        return ReadResult(errors=[f"{ann}: no {ann.stem}.txt found for this .ann file"])
    if text_path.stem == ann.stem and (shared := corpus_text(ann)) is not None:
        text_path = shared  # brat's copy beside the .ann, and the corpus's own text/NAME.txt
    try:
        data, raw, encoding = load_text(text_path)
    except InputError as exc:
        return ReadResult(errors=[f"{text_path}: {exc}"])
    skipped: list[str] = []
    try:
        ann_bytes = read_limited(ann)
        ann_text = decode_bytes(ann_bytes)[0] if ann_bytes.strip() else ""  # empty: no quotes
        attributions = brat_attributions(raw, ann_text.removeprefix("\ufeff"), ann, skipped)
    except DecodeError as exc:
        return ReadResult(errors=[f"{ann}: {exc}"])
    except InputError as exc:
        line = f":{exc.line}" if exc.line else ""
        return ReadResult(errors=[f"{ann}{line}: {exc} (document not imported)"])
    draft = article_draft(text_path, data, raw, encoding, clean=False)
    draft.import_report["annotations"] = {"format": "brat", "path": str(ann)}
    annotator = annotator_of(ann, text_path)
    draft.external_id = ann.stem[: -len(annotator) - 1] if annotator else text_path.stem
    if annotator:  # PolNeAR's layout: NAME_ANNOTATOR.ann, one file per annotator
        attributions = [dataclasses.replace(a, annotator=annotator) for a in attributions]
    documents = [Prepared(draft, attributions, annotated=True)]
    return ReadResult(documents=documents, warnings=skipped)


def annotator_of(ann: Path, text_path: Path) -> str | None:
    """`ANNOTATOR` of `NAME_ANNOTATOR.ann` paired with `NAME.txt`, or beside its own copy of
    the text with `../text/NAME.txt` present (one .ann per annotator, as in PolNeAR)."""
    name = text_path.stem
    if name == ann.stem:
        found = corpus_text(ann)
        if found is None:
            return None
        name = found.stem
    prefix = name + "_"
    if ann.stem.startswith(prefix) and len(ann.stem) > len(prefix):
        return ann.stem[len(prefix) :]
    return None
