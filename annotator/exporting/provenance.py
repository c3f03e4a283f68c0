"""The link back to the source that every export format carries: for a document its id, the
source's own id (`external_id`: a BRAT file stem, a Citron document id) and the name of the file
it was imported from; for an attribution the source's own record id (a BRAT event `E12`)."""

from __future__ import annotations

from annotator.model import DocumentInfo

# Columns of the per-document sidecar of token formats (CoNLL) and of the quote rows' prefix.
DOCUMENT_COLUMNS = ("document_id", "document_external_id", "source_file", "language", "title")


def _cell(value: str) -> str:
    """One TSV cell: tabs and line breaks would end the field or the row."""
    return " ".join(value.split()) if any(c in value for c in "\t\n\r\x0b\x0c") else value


def document_cells(info: DocumentInfo) -> list[str]:
    return [
        _cell(v) for v in (info.id, info.external_id, info.source_file, info.language, info.title)
    ]


def document_link(info: DocumentInfo) -> dict[str, str]:
    """The document's source link as JSON fields (spaCy user_data, Citron, HF rows)."""
    return {"external_id": info.external_id, "source_file": info.source_file}
