"""A document whose stored text no longer matches its SHA-256 (a damaged row).

Dataset export: the document is refused as a whole, like a refused attribution: one problem,
and nothing of it (line, attributions, counts) in any file or the manifest; the rest is written.
Bundle export: refused as a whole, naming the document, with no file left behind.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from annotator.exporting.base import ExportOptions
from annotator.exporting.selection import Status
from annotator.exporting.service import export_dataset
from annotator.storage.engine import Database
from annotator.team.bundle_export import export_bundle
from annotator.team.bundle_format import BundleError
from tests.domain import test_export_fixtures as fx
from tests.domain.bundle_support import make_world
from tests.domain.test_export_fixtures import Loaded, read_jsonl

synthetic = fx.synthetic  # fixture
DAMAGED = "Article 2"


def damage(db: Database, title: str) -> tuple[str, int]:
    """Change a document's text behind the app's back (its SHA-256 kept); returns its id and
    how many attributions it has."""
    with db.session() as s:
        doc_id = s.execute(sql("SELECT id FROM documents WHERE title = :t"), {"t": title}).scalar()
        n = s.execute(
            sql("SELECT count(*) FROM attributions WHERE document_id = :d"), {"d": doc_id}
        ).scalar()
        s.execute(sql("UPDATE documents SET text = 'X' || text WHERE id = :d"), {"d": doc_id})
    assert doc_id and n
    return str(doc_id), int(n or 0)


def export(loaded: Loaded, fmt: str, out: Path, **kw: object):
    kw.setdefault("status", Status.ALL)
    opts = ExportOptions(
        fmt,  # type: ignore[arg-type]
        out,
        loaded.project_id,
        project_name=loaded.project_name,
        **kw,  # type: ignore[arg-type]
    )
    return export_dataset(loaded.db, opts)


def _total(counts: dict, key: str) -> int:
    return sum(c[key] for c in counts.values())


@pytest.mark.parametrize("split", [None, (0.6, 0.2, 0.2)])
def test_native_leaves_the_damaged_document_out_of_files_counts_and_manifest(
    synthetic: Loaded, tmp_path: Path, split: tuple[float, ...] | None
) -> None:
    healthy = export(synthetic, "native", tmp_path / "before", split=split)
    doc_id, n_attr = damage(synthetic.db, DAMAGED)
    result = export(synthetic, "native", tmp_path / "out", split=split)

    # reported once, as a whole-document refusal
    assert len(result.problems) == 1
    (problem,) = result.problems
    assert problem.attribution_id is None and problem.document_id == doc_id
    assert DAMAGED in problem.message and doc_id in problem.message

    # nothing of it in any data file; every other document is written
    lines = [
        line
        for name in result.files
        if name.endswith(".jsonl") and name not in ("actors.jsonl", "targets.jsonl")
        for line in read_jsonl(tmp_path / "out" / name)
    ]
    assert doc_id not in {d["id"] for d in lines}
    assert len(lines) == _total(healthy.counts, "documents") - 1

    # counts (result and manifest) leave out the document and its attributions
    for counts in (result.counts, json.loads((tmp_path / "out" / "manifest.json").read_text())):
        counts = counts.get("counts", counts)
        assert _total(counts, "documents") == _total(healthy.counts, "documents") - 1
        assert _total(counts, "attributions") == _total(healthy.counts, "attributions") - n_attr
    assert sum(len(d["attributions"]) for d in lines) == _total(result.counts, "attributions")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["rejected"] == [
        {"document_id": doc_id, "attribution_id": None, "message": problem.message}
    ]
    assert "SHA-256" in problem.message and "db check" in problem.message


def test_split_export_reports_refused_attributions_of_a_document_left_with_none(
    synthetic: Loaded, tmp_path: Path
) -> None:
    """The second pass of a split export reads only documents that got a split: problems must
    come from the first pass, or a document whose every record is refused goes unreported."""
    with synthetic.db.session() as s:
        s.execute(
            sql(
                "UPDATE attributions SET content_spans = '[[5000000, 5000001]]' WHERE document_id"
                " = (SELECT id FROM documents WHERE title = :t)"
            ),
            {"t": DAMAGED},
        )
        n = s.execute(
            sql(
                "SELECT count(*) FROM attributions WHERE review_state = 'submitted' AND"
                " document_id = (SELECT id FROM documents WHERE title = :t)"
            ),
            {"t": DAMAGED},
        ).scalar()
    assert n
    result = export(synthetic, "native", tmp_path, status=Status.SUBMITTED, split=(0.5, 0.5, 0.0))
    assert len(result.problems) == n
    assert all("outside the text" in p.message for p in result.problems)


def test_native_export_of_a_damaged_project_reimports_cleanly(
    synthetic: Loaded, tmp_path: Path
) -> None:
    from annotator.importing.pipeline import import_paths

    damage(synthetic.db, DAMAGED)
    out = tmp_path / "out"
    result = export(synthetic, "native", out)
    other = Database.open(tmp_path / "other.sqlite3")
    files = [out / "actors.jsonl", out / "targets.jsonl", out / "documents.jsonl"]
    report = import_paths(other, files, project="Copy", annotator="someone-else")
    other.dispose()
    assert report.errors == []
    assert report.attributions_added == _total(result.counts, "attributions")


def test_quotes_csv_leaves_out_the_damaged_documents_attributions(
    synthetic: Loaded, tmp_path: Path
) -> None:
    healthy = export(synthetic, "quotes-csv", tmp_path / "before")
    doc_id, n_attr = damage(synthetic.db, DAMAGED)
    result = export(synthetic, "quotes-csv", tmp_path / "out")
    with (tmp_path / "out" / "quotes.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == _total(healthy.counts, "attributions") - n_attr
    assert doc_id not in {r["document_id"] for r in rows}
    assert _total(result.counts, "documents") == _total(healthy.counts, "documents") - 1


def test_bundle_export_refuses_a_damaged_text_and_leaves_no_file(
    db: Database, tmp_path: Path
) -> None:
    make_world(db)
    export_bundle(db, tmp_path / "ok.zip")  # healthy: fine
    doc_id, _ = damage(db, "doc 0")
    out = tmp_path / "out" / "b.zip"
    with pytest.raises(BundleError) as err:
        export_bundle(db, out)
    message = str(err.value)
    assert "'doc 0'" in message and doc_id in message
    assert "SHA-256" in message and "annotator db check" in message
    assert list((tmp_path / "out").iterdir()) == []  # neither the bundle nor its temporary file
