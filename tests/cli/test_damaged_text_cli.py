"""The CLI on a database with a damaged document row (text changed, SHA-256 kept):
`export` writes the rest and says `refused:` (exit 0); `bundle export` writes nothing (exit 1)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.storage.engine import Database
from tests.domain.bundle_support import make_world


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "damaged.sqlite3"
    db = Database.open(path)
    world = make_world(db)
    db.dispose()
    doc_id = world.doc_ids[0]
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE documents SET text = 'X' || text WHERE id = ?", (doc_id,))
    conn.close()
    return path, doc_id


def test_export_writes_the_rest_and_reports_the_damaged_document(
    damaged: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, doc_id = damaged
    out = tmp_path / "out"
    argv = ["--db", str(path), "export", "--format", "native", "--status", "all"]
    code = main([*argv, "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 0
    refused = [line for line in err.splitlines() if line.startswith("refused:")]
    assert len(refused) == 1 and doc_id in refused[0] and "'doc 0'" in refused[0]
    lines = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    assert [d["title"] for d in lines] == ["doc 1", "doc 2"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["all"]["documents"] == 2
    assert manifest["counts"]["all"]["attributions"] == 0  # both were on the damaged document


def test_bundle_export_fails_naming_the_document_and_writes_nothing(
    damaged: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, doc_id = damaged
    out = tmp_path / "bundles" / "b.zip"
    code = main(["--db", str(path), "bundle", "export", "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("error: document 'doc 0'") and doc_id in err
    assert "annotator db check" in err
    assert list(out.parent.iterdir()) == []
