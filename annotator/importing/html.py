"""HTML pages -> article text + metadata with trafilatura (runs in worker processes).

The page is decoded here, not by trafilatura, so the encoding is explicit and reported: a BOM,
then the charset the page declares (meta charset / http-equiv / XML declaration) if the bytes
really decode with it, then UTF-8, then charset-normalizer's guess.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from annotator.importing.base import InputError, Prepared, ReadResult, raw_fields, read_limited
from annotator.importing.encoding import DecodeError, decode_bytes
from annotator.importing.plaintext import parse_article
from annotator.services.documents import DocumentDraft
from annotator.text import normalize_text

_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_LANG = re.compile(rb"""<html[^>]*\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)""", re.I)
_META_KEYS = ("sitename", "hostname", "description", "categories", "tags", "image", "pagetype")


def declared_charsets(data: bytes) -> list[str]:
    names = []
    for m in _DECLARED.finditer(data[:32768]):
        name = (m.group(1) or m.group(2)).decode("ascii", "replace")
        try:
            names.append(codecs.lookup(name).name)
        except LookupError:
            continue
    return list(dict.fromkeys(names))


def decode_html(data: bytes) -> tuple[str, str]:
    """(markup, encoding). A declared charset wins only if the bytes decode cleanly with it."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    declared = declared_charsets(data)
    for name in declared:
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    try:
        return decode_bytes(data)
    except DecodeError:
        if declared:
            return data.decode(declared[0], errors="replace"), declared[0] + " (with errors)"
        raise


def _paragraphs(text: str) -> str:
    # trafilatura puts one block per line; blank lines between them read better and give the
    # paragraph structure the residue rules and the annotation view rely on.
    lines = [ln.strip() for ln in text.split("\n")]
    return "\n\n".join(ln for ln in lines if ln)


def extract(data: bytes, path: Path) -> DocumentDraft:
    import trafilatura

    if not data.strip():
        raise InputError("file is empty")
    try:
        markup, encoding = decode_html(data)
    except DecodeError as exc:
        raise InputError(str(exc)) from exc
    doc = trafilatura.bare_extraction(
        markup, with_metadata=True, include_comments=False, include_tables=True, fast=True
    )
    found: dict[str, Any] = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc or {})
    body = _paragraphs(found.get("text") or "")
    if not body.strip():
        raise InputError("no article text found in the page")
    article = parse_article(normalize_text(body))
    lang = found.get("language") or ""
    if not lang:
        m = _LANG.search(data[:32768])
        lang = m.group(1).decode("ascii").replace("_", "-") if m else ""
    meta = {k: found[k] for k in _META_KEYS if found.get(k)}
    return DocumentDraft(
        text=article.text,
        title=str(found.get("title") or article.title or path.stem),
        source=str(found.get("sitename") or found.get("hostname") or article.source or ""),
        url=str(found.get("url") or ""),
        published=str(found.get("date") or article.published or ""),
        place=article.place,
        author=str(found.get("author") or ""),
        language=lang,
        metadata=meta,
        import_report={
            "format": "html",
            "encoding": encoding,
            "declared": declared_charsets(data),
            "extractor": f"trafilatura {trafilatura.__version__}",
            **article.report,
        },
        **raw_fields(path, data),
    )


def read_html(path: Path) -> ReadResult:
    try:
        draft = extract(read_limited(path), path)
    except InputError as exc:
        return ReadResult(errors=[f"{path}: {exc}"])
    return ReadResult(documents=[Prepared(draft)])
