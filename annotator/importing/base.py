"""Shared shapes of the import pipeline: what readers produce and the store consumes."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.native import ParsedAttribution
from annotator.services.documents import DocumentDraft

# Larger files are refused with a clear message (tests patch this to something small).
MAX_FILE_BYTES = 100 * 1024 * 1024  # 100 MiB
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
    actors: list[dict[str, Any]] = field(default_factory=list)  # native registry lines
    targets: list[dict[str, Any]] = field(default_factory=list)


def where(path: Path | str, line: int | None = None) -> str:
    return f"{path}:{line}" if line is not None else str(path)


def read_limited(path: Path) -> bytes:
    """The file's bytes, refusing anything over MAX_FILE_BYTES. Only regular files are read
    (a FIFO would block forever, a device never ends), and the limit applies to the bytes
    actually read, whatever `stat` says (files that grow, /proc files that claim size 0)."""
    limit = MAX_FILE_BYTES
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)  # non-blocking: opening a FIFO with no writer must not hang
    with os.fdopen(fd, "rb", buffering=0) as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"is not a regular file ({_file_kind(info.st_mode)}); not read")
        if info.st_size > limit:
            raise InputError(too_large(info.st_size, limit))
        chunks: list[bytes] = []
        total = 0
        while True:
            block = fh.read(min(1 << 20, limit + 1 - total))
            if not block:
                break
            chunks.append(block)
            total += len(block)
            if total > limit:
                raise InputError(too_large(max(total, info.st_size), limit, grew=True))
    return b"".join(chunks)


def too_large(size: int, limit: int, grew: bool = False) -> str:
    more = " or more" if grew else ""
    return f"file is {human_size(size)}{more}, over the {human_size(limit)} import limit"


def human_size(n: int) -> str:
    """Binary units, as the limits are set: 100 MiB is 100 * 1024 * 1024 bytes."""
    if n >= 1 << 20:
        return f"{n / (1 << 20):.0f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KiB"
    return f"{n} bytes"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a plain file"


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
