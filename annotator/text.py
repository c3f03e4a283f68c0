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


def normalize_with_map(raw: str) -> tuple[str, list[int]]:
    """Normalize like `normalize_text` and map offsets.

    Returns (text, boundary) where boundary[i] is the offset in `text` of original offset i, for
    0 <= i <= len(raw). Characters merged by NFC (a base + combining mark) map into one output
    character: a boundary inside a merged cluster maps to the cluster's start.
    """
    boundary: list[int] = [0] * (len(raw) + 1)
    pieces: list[str] = []
    out_len = 0
    i = 0
    n = len(raw)
    if raw.startswith("\ufeff"):
        boundary[1] = 0
        i = 1
    while i < n:
        # take one cluster: a starter plus following combining marks (NFC works per cluster)
        j = i + 1
        if raw[i] == "\r":
            if j < n and raw[j] == "\n":
                j += 1
            cluster = "\n"
        else:
            while j < n and unicodedata.combining(raw[j]):
                j += 1
            cluster = unicodedata.normalize("NFC", raw[i:j])
        for k in range(i, j):
            boundary[k] = out_len
        boundary[i] = out_len
        pieces.append(cluster)
        out_len += len(cluster)
        i = j
        boundary[i] = out_len
    text = "".join(pieces)
    if text != unicodedata.normalize("NFC", text):
        # Rare: NFC composition across clusters (e.g. Hangul jamo). Fall back to a coarse map.
        whole = unicodedata.normalize("NFC", text)
        scale = len(whole) / max(len(text), 1)
        return whole, [round(b * scale) for b in boundary]
    return text, boundary


def map_span(boundary: list[int], start: int, end: int) -> tuple[int, int]:
    """Map an original [start, end) to normalized offsets."""
    return boundary[start], boundary[end]
