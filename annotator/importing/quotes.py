"""`NAME.txt` + `NAME.quotes.jsonl` (the corpus shape): an article with its attributions.

The pair is an annotated document: the text is taken as given (only normalized, no residue
cleanup) so the quote offsets, which count code points of NAME.txt, stay valid; they are mapped
onto the normalized text. One bad quote line rejects the document (stored whole or not at all).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from annotator.importing.annotated import SpanMapper, map_parsed
from annotator.importing.base import InputError, Prepared, ReadResult, file_lines, read_limited
from annotator.importing.encoding import DecodeError, decode_bytes
from annotator.importing.native_import import parse_against
from annotator.importing.textfile import article_draft, load_text
from annotator.model import Origin
from annotator.native import NativeFormatError


def read_quotes_pair(quotes: Path, text_path: Path | None) -> ReadResult:
    if text_path is None:
        stem = quotes.name[: -len(".quotes.jsonl")]
        return ReadResult(errors=[f"{quotes}: no {stem}.txt beside it to attach the quotes to"])
    try:
        data, raw, encoding = load_text(text_path)
    except InputError as exc:
        return ReadResult(errors=[f"{text_path}: {exc}"])
    try:
        qtext, _ = decode_bytes(read_limited(quotes))
    except (InputError, DecodeError) as exc:
        return ReadResult(errors=[f"{quotes}: {exc}"])
    mapper = SpanMapper(raw)
    errors: list[str] = []
    attributions = []
    for number, line in enumerate(file_lines(qtext.removeprefix("\ufeff")), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            att = parse_against(obj, raw)
            att = map_parsed(att, mapper)
        except json.JSONDecodeError as exc:
            errors.append(f"{quotes}:{number}: malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        except (NativeFormatError, InputError) as exc:
            errors.append(f"{quotes}:{number}: {exc}")
            continue
        # The corpus shape names no annotator or origin: they are the importer's.
        attributions.append(
            dataclasses.replace(
                att,
                annotator=att.annotator if "annotator" in obj else None,
                origin=att.origin if "origin" in obj else Origin.IMPORTED,
            )
        )
    if errors:
        errors.append(f"{quotes}: document not imported (its quotes must all be valid)")
        return ReadResult(errors=errors)
    draft = article_draft(text_path, data, raw, encoding, clean=False)
    draft.import_report["annotations"] = {"format": "quotes.jsonl", "path": str(quotes)}
    return ReadResult(documents=[Prepared(draft, attributions, annotated=True)])
