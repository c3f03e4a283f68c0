"""Unicode line separators (U+2028, U+2029, U+0085) inside texts and fields survive the native
round trip: JSON writes them unescaped, so readers must split records at "\\n" only."""

from __future__ import annotations

from pathlib import Path

from annotator.exporting.base import ExportOptions
from annotator.exporting.selection import Status
from annotator.exporting.service import export_dataset
from annotator.importing.base import file_lines
from annotator.importing.pipeline import import_paths
from annotator.model import Span
from annotator.services.attributions import list_attributions, new_attribution
from annotator.services.documents import (
    DocumentDraft,
    add_document,
    get_document_text,
    list_document_ids,
)
from annotator.services.projects import find_project, get_or_create_annotator, get_or_create_project
from annotator.storage.engine import Database

TEXT = "First paragraph\u2028still the same one.\n\nShe said \u201cno\u0085way\u201d and left\u2029then."


def test_file_lines_split_at_newline_only() -> None:
    assert file_lines('{"a": "x\u2028y"}\r\n{"b": "\u0085"}\n') == [
        '{"a": "x\u2028y"}',
        '{"b": "\u0085"}',
        "",
    ]


def test_native_round_trip_keeps_line_separators(db: Database, tmp_path: Path) -> None:
    project = get_or_create_project(db, "Seps")
    ann = get_or_create_annotator(db, "ana")
    with db.session() as s:
        doc = add_document(s, project.id, DocumentDraft(text=TEXT, title="T\u2028itle"))[0].id
    start = TEXT.index("no")
    new_attribution(
        db, doc, ann.id, [Span(start, start + 6)], proposition="p\u2028q", note="n\u0085m"
    )
    out = tmp_path / "out"
    export_dataset(db, ExportOptions("native", out, project.id, status=Status.ALL))
    copy = Database.open(tmp_path / "copy.sqlite3")
    try:
        report = import_paths(copy, [out / "documents.jsonl"], project="Copy", annotator="ana")
        assert report.errors == [] and report.documents_added == 1
        copied = find_project(copy, "Copy")
        assert copied is not None
        (doc_id,) = list_document_ids(copy, copied.id)
        assert get_document_text(copy, doc_id) == TEXT
        (rec,) = list_attributions(copy, doc_id, all_annotators=True)
        assert (rec.proposition, rec.note) == ("p\u2028q", "n\u0085m")
        again = tmp_path / "again"
        export_dataset(copy, ExportOptions("native", again, copied.id, status=Status.ALL))
        assert (again / "documents.jsonl").read_bytes() == (out / "documents.jsonl").read_bytes()
    finally:
        copy.dispose()
