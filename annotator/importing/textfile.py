"""Readers for .txt/.md articles (cleaned) and text + .quotes.jsonl pairs (taken as given)."""

from __future__ import annotations

from pathlib import Path

from annotator.importing.base import (
    InputError,
    Prepared,
    ReadResult,
    raw_fields,
    read_limited,
    where,
)
from annotator.importing.encoding import DecodeError, decode_bytes
from annotator.importing.plaintext import parse_article
from annotator.services.documents import DocumentDraft
from annotator.text import normalize_text


def load_text(path: Path) -> tuple[bytes, str, str]:
    """(raw bytes, decoded text with BOM and line endings as in the file, encoding)."""
    data = read_limited(path)
    try:
        decoded, encoding = decode_bytes(data)
    except DecodeError as exc:
        raise InputError(str(exc)) from exc
    return data, decoded, encoding


def article_draft(
    path: Path, data: bytes, decoded: str, encoding: str, *, clean: bool
) -> DocumentDraft:
    text = normalize_text(decoded)
    if not text.strip():
        raise InputError("file has no text")
    article = parse_article(text, markdown=path.suffix.lower() in {".md", ".markdown"}, clean=clean)
    report = {
        "format": "markdown" if path.suffix.lower() != ".txt" else "text",
        "encoding": encoding,
        **article.report,
    }
    return DocumentDraft(
        text=article.text,
        title=article.title or path.stem,
        source=article.source,
        published=article.published,
        place=article.place,
        import_report=report,
        **raw_fields(path, data),
    )


def read_text(path: Path) -> ReadResult:
    try:
        data, decoded, encoding = load_text(path)
        draft = article_draft(path, data, decoded, encoding, clean=True)
    except InputError as exc:
        return ReadResult(errors=[f"{where(path, exc.line)}: {exc}"])
    return ReadResult(documents=[Prepared(draft)])
