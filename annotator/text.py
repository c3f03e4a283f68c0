"""Text normalization applied once at import, with offset mapping for annotated input.

Stored text is NFC, without BOM, with `\n` line endings. Annotated formats carry offsets into the
*original* text, so `normalize_with_map` also returns, for every original code-point boundary, the
matching boundary in the normalized text.
"""

from __future__ import annotations

import hashlib
import unicodedata


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_text(raw: str) -> str:
    """BOM stripped, CRLF/CR -> LF, NFC."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", raw)


def _line_endings_with_map(raw: str) -> tuple[str, list[int]]:
    """Strip a leading BOM and turn CRLF/CR into LF; boundary map as in `normalize_with_map`."""
    n = len(raw)
    boundary = [0] * (n + 1)
    out: list[str] = []
    i = 0
    if raw.startswith("\ufeff"):
        i = 1  # boundary[0] = boundary[1] = 0
    while i < n:
        c = raw[i]
        boundary[i] = len(out)
        if c == "\r":
            out.append("\n")
            if i + 1 < n and raw[i + 1] == "\n":
                boundary[i + 1] = len(out) - 1  # inside CRLF: floor to its start
                i += 1
        else:
            out.append(c)
        i += 1
    boundary[n] = len(out)
    return "".join(out), boundary


def _starts_segment(segment: str, c: str) -> bool:
    """Can NFC treat `c` as the start of an independent piece after `segment`?

    True when `c` is a starter that neither composes with what precedes it (Hangul LV + T, Indic
    two-part vowels) nor decomposes into something beginning with a combining mark."""
    if ord(c) < 0x300:  # nothing below U+0300 is ever the second half of a composition
        return True
    if unicodedata.combining(c):
        return False
    nfd = unicodedata.normalize("NFD", c)
    if unicodedata.combining(nfd[0]):
        return False
    if not segment:
        return True
    joined = unicodedata.normalize("NFC", segment + c)
    return joined == unicodedata.normalize("NFC", segment) + unicodedata.normalize("NFC", c)


def normalize_with_maps(raw: str) -> tuple[str, list[int], list[int]]:
    """Normalize like `normalize_text`, with floor and ceiling offset maps.

    Returns (text, floor, ceil): for 0 <= i <= len(raw), floor[i] / ceil[i] is the offset in
    `text` of original offset i. They differ only for an offset inside a piece that NFC merges or
    reorders (a base letter + combining mark, Hangul jamo, CRLF): floor gives the piece's start,
    ceil its end, so a span [s, e) maps to [floor[s], ceil[e]) and still covers its characters.
    At every other offset i, text[floor[i]:] == normalize_text(raw[i:]) (piecewise exact).
    """
    if not raw.startswith("\ufeff") and "\r" not in raw and unicodedata.is_normalized("NFC", raw):
        identity = list(range(len(raw) + 1))
        return raw, identity, identity
    stage, first = _line_endings_with_map(raw)
    n = len(stage)
    floor2 = [0] * (n + 1)
    ceil2 = [0] * (n + 1)
    pieces: list[str] = []
    out_len = 0
    i = 0
    while i < n:
        j = i + 1
        while j < n and not _starts_segment(stage[i:j], stage[j]):
            j += 1
        piece = unicodedata.normalize("NFC", stage[i:j])
        for k in range(i + 1, j):
            floor2[k] = out_len
            ceil2[k] = out_len + len(piece)
        floor2[i] = ceil2[i] = out_len
        pieces.append(piece)
        out_len += len(piece)
        i = j
    floor2[n] = ceil2[n] = out_len
    text = "".join(pieces)
    # CRLF interiors floor to the LF's start and ceil past it; compose both stages.
    floor = [floor2[b] for b in first]
    ceil = [ceil2[b] for b in first]
    for k in range(1, len(raw)):
        if raw[k] == "\n" and raw[k - 1] == "\r":
            ceil[k] = ceil2[first[k] + 1]
    return text, floor, ceil


def normalize_with_map(raw: str) -> tuple[str, list[int]]:
    """Normalize like `normalize_text` and map offsets.

    Returns (text, boundary) where boundary[i] is the offset in `text` of original offset i, for
    0 <= i <= len(raw). An offset inside a piece NFC merges (a base + combining mark, CRLF) maps
    to the piece's start; use `normalize_with_maps` to also get the piece's end for span ends.
    """
    text, floor, _ceil = normalize_with_maps(raw)
    return text, floor


def map_span(boundary: list[int], start: int, end: int) -> tuple[int, int]:
    """Map an original [start, end) to normalized offsets."""
    return boundary[start], boundary[end]


def map_span_exact(floor: list[int], ceil: list[int], start: int, end: int) -> tuple[int, int]:
    """Map [start, end) with the maps of `normalize_with_maps`: the result covers every
    character the original span touched (a half-covered merged piece is taken whole)."""
    return floor[start], ceil[end]
