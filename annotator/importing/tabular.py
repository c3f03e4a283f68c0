"""One document per row: .jsonl/.ndjson (plain rows or native lines) and .csv."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from annotator.importing.base import (
    InputError,
    Prepared,
    ReadResult,
    file_lines,
    raw_fields,
    read_limited,
)
from annotator.importing.encoding import DecodeError, decode_bytes
from annotator.importing.native_import import (
    is_native_document,
    is_registry_line,
    native_document,
    valid_uuid,
)
from annotator.importing.plaintext import first_line_title
from annotator.native import FORMAT as NATIVE_FORMAT
from annotator.services.documents import DocumentDraft
from annotator.text import normalize_text

FORMAT_PREFIX = NATIVE_FORMAT.split("/")[0] + "/"  # "annotator-native/"

# Recognized columns; everything else goes to the document's metadata.
COLUMNS = {
    "title": "title",
    "url": "url",
    "date": "published",
    "published": "published",
    "source": "source",
    "language": "language",
    "lang": "language",
    "author": "author",
    "place": "place",
}


def row_document(row: Mapping[str, Any], provenance: dict[str, Any], fmt: str) -> Prepared:
    value = row.get("text")
    if value is None:
        raise InputError("no 'text' field")
    if not isinstance(value, str):
        raise InputError(f"'text' must be a string, not {type(value).__name__}")
    if not value.strip():
        raise InputError("'text' is empty")
    text = normalize_text(value).strip("\n")
    fields = {dst: str(row[src]) for src, dst in COLUMNS.items() if row.get(src) not in (None, "")}
    meta = {k: v for k, v in row.items() if k != "text" and k not in COLUMNS}
    doc_id = valid_uuid(row.get("id"))
    if doc_id is None:
        meta.pop("id", None)
        if row.get("id") not in (None, ""):
            meta["source_id"] = row["id"]  # not a UUID: kept as the source's own id
    fields.setdefault("title", first_line_title(text))
    draft = DocumentDraft(
        text=text, id=doc_id, metadata=meta, import_report={"format": fmt}, **fields, **provenance
    )
    return Prepared(draft)


def _provenance(path: Path, data: bytes, line: int | None) -> dict[str, Any]:
    # Only the file's path + hash per row (plus the line): the file may hold thousands of rows.
    fields = raw_fields(path, data)
    fields["raw_bytes"] = None
    if line is not None:
        fields["raw_path"] = f"{path}:{line}"
    return fields


def _decode(path: Path) -> tuple[bytes, str]:
    data = read_limited(path)
    try:
        text, _enc = decode_bytes(data)
    except DecodeError as exc:
        raise InputError(str(exc)) from exc
    return data, text.removeprefix("\ufeff")


def read_jsonl(path: Path) -> ReadResult:
    result = ReadResult()
    try:
        data, text = _decode(path)
    except InputError as exc:
        result.errors.append(f"{path}: {exc}")
        return result
    for number, line in enumerate(file_lines(text), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            result.errors.append(f"{path}:{number}: malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            result.errors.append(f"{path}:{number}: expected a JSON object per line")
            continue
        fmt = obj.get("format")
        if isinstance(fmt, str) and fmt.startswith(FORMAT_PREFIX) and fmt != NATIVE_FORMAT:
            # A newer app's line read as a plain row would lose its attributions silently.
            result.errors.append(
                f"{path}:{number}: written in {fmt}, which this version of Annotator cannot read"
                f" (it reads {NATIVE_FORMAT}); upgrade Annotator to import it"
            )
            continue
        try:
            if is_registry_line(obj):
                bucket = result.actors if obj["record"] == "actor" else result.targets
                bucket.append({**obj, "_line": number})
                continue
            provenance = _provenance(path, data, number)
            item = (
                native_document(obj, provenance)
                if is_native_document(obj)
                else row_document(obj, provenance, "jsonl")
            )
        except InputError as exc:
            result.errors.append(f"{path}:{number}: {exc}")
            continue
        item.line = number
        result.documents.append(item)
    if not result.documents and not result.errors and not (result.actors or result.targets):
        result.errors.append(f"{path}: file has no records")
    return result


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    csv.field_size_limit(sys.maxsize)
    sample = text[:4096]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter, space = sniffed.delimiter, bool(sniffed.skipinitialspace)
    except csv.Error:
        delimiter, space = ",", False
    # The delimiter and "space after it" are sniffed; quoting stays standard (the sniffer turns
    # doubled quotes off when the sample has none). strict: a stray or unclosed quote is an
    # error, not rows silently merged into one.
    reader = csv.DictReader(
        io.StringIO(text, newline=""),
        dialect=csv.excel,
        delimiter=delimiter,
        skipinitialspace=space,
        strict=True,
    )
    if reader.fieldnames is None or "text" not in [f.strip() for f in reader.fieldnames]:
        raise InputError("missing required column 'text'", line=1)
    reader.fieldnames = [f.strip() for f in reader.fieldnames]
    line = reader.line_num + 1
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            # The rest of the file cannot be split into rows reliably: stop here.
            raise InputError(
                f"malformed CSV from this row on ({exc}); later rows were not read", line=line
            ) from exc
        if None in row:  # more cells than columns: the row is cut wrong somewhere
            raise InputError(
                f"row has {len(reader.fieldnames) + len(row[None])} cells but the header"
                f" names {len(reader.fieldnames)} columns; later rows were not read",
                line=line,
            )
        yield line, dict(row)
        line = reader.line_num + 1


def read_csv(path: Path) -> ReadResult:
    result = ReadResult()
    try:
        data, text = _decode(path)
        for number, row in _csv_rows(text):
            try:
                item = row_document(row, _provenance(path, data, number), "csv")
            except InputError as exc:
                result.errors.append(f"{path}:{number}: {exc}")
                continue
            item.line = number
            result.documents.append(item)
    except InputError as exc:
        result.errors.append(f"{path}{':' + str(exc.line) if exc.line else ''}: {exc}")
    except csv.Error as exc:
        result.errors.append(f"{path}: malformed CSV: {exc}")
    if not result.documents and not result.errors:
        result.errors.append(f"{path}: file has no rows")
    return result


def read_table(path: Path) -> ReadResult:
    return read_csv(path) if path.suffix.lower() == ".csv" else read_jsonl(path)
