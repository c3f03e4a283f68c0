"""Bytes -> text: BOM, UTF-8 first, then charset-normalizer; binary input is refused."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeError(ValueError):
    """The bytes are not text we can read (binary, empty, or undecodable)."""


# Control characters other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROLS = bytes(b for b in range(32) if not 9 <= b <= 13)
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROLS)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean a binary file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))  # C speed: keep only the controls
    return controls > max(8, len(head) // 100)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding name). The BOM, if any, stays in the text
    (as U+FEFF) so offsets of annotated formats still count it; normalization strips it."""
    if not data.strip():
        raise DecodeError("file is empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(name.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"undecodable {name} text: {exc.reason}") from exc
            return text, name
    if looks_binary(data):
        raise DecodeError("binary file, not text")
    # Valid UTF-8 is almost never an accident: take it without guessing (and fast).
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = [m for m in from_bytes(data) if m.encoding]
    if not matches:
        raise DecodeError("undecodable text: no character encoding fits")
    # Short texts leave several single-byte code pages equally plausible to charset-normalizer;
    # among the least chaotic, prefer the one whose decoding has the fewest odd symbols.
    least = min(m.chaos for m in matches)
    close = [m for m in matches if m.chaos <= least + 0.05]
    best = min(close, key=lambda m: (_oddness(str(m)), close.index(m)))
    return str(best), best.encoding


_PLAIN_PUNCT = set(" \t\n\r!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”„‘’«»–—…·€№")


def _oddness(text: str) -> int:
    """Characters that are neither letters, digits, nor ordinary punctuation (mojibake signs)."""
    return sum(1 for c in text if not (c.isalpha() or c.isdecimal() or c in _PLAIN_PUNCT))
