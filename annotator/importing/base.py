"""Shared shapes of the import pipeline: what readers produce and the store consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.native import ParsedAttribution
from annotator.services.documents import DocumentDraft

# Larger files are refused with a clear message (tests patch this to something small).
MAX_FILE_BYTES = 100 * 1024 * 1024
# Raw bytes above this size are not copied into the database; the path + hash are kept instead.
MAX_RAW_BYTES_KEPT = 20 * 1024 * 1024


class InputError(ValueError):
    """Bad input in one file (or one line of it): reported, and the batch goes on."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(slots=True)
class Prepared:
    """One document ready to store, with its attributions in stored-text offsets."""

    draft: DocumentDraft
    attributions: list[ParsedAttribution] = field(default_factory=list)
    line: int | None = None  # where in the file it came from (jsonl/csv rows)
    annotated: bool = False  # carries annotations: stored on its own, never batch-inserted
    # Match speakers fuzzily and learn mention spellings as aliases. Off for native files, which
    # name their actors exactly and must round-trip without gaining aliases.
    match_mentions: bool = True


@dataclass(slots=True)
class ReadResult:
    """What a reader found in one input unit (a file or a text + annotation pair)."""

    documents: list[Prepared] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # records passed over without failing anything: "FILE:LINE: what was skipped and why"
    warnings: list[str] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)  # native registry lines
    targets: list[dict[str, Any]] = field(default_factory=list)


def where(path: Path | str, line: int | None = None) -> str:
    return f"{path}:{line}" if line is not None else str(path)


def read_limited(path: Path) -> bytes:
    """The file's bytes, refusing anything over MAX_FILE_BYTES before reading it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB import limit"
        )
    return path.read_bytes()


def raw_fields(path: Path, data: bytes) -> dict[str, Any]:
    """Provenance kept with a document: raw bytes (when not huge), their hash and path."""
    return {
        "raw_bytes": data if len(data) <= MAX_RAW_BYTES_KEPT else None,
        "raw_sha256": hashlib.sha256(data).hexdigest(),
        "raw_path": str(path),
    }


def file_lines(text: str) -> list[str]:
    """The lines of a JSONL or .ann file: split at "\\n" only (a CRLF's "\\r" dropped).

    str.splitlines() also splits at U+2028, U+2029, U+0085 and other separators, which JSON
    strings and annotated text may hold unescaped: a record would be cut in two."""
    return [line.removesuffix("\r") for line in text.split("\n")]
