"""The export dialog driven like a user: keys on the widgets, Export clicked, files on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.exporting.selection import Selection, Status, preview_counts
from annotator.storage.engine import Database
from annotator.ui.export_dialog import ExportDialog
from tests.conftest import screenshot_dir  # noqa: E402
from tests.domain.test_export_fixtures import Loaded, load_synthetic

SHOTS = screenshot_dir()


@pytest.fixture
def project(db: Database) -> Loaded:
    return load_synthetic(db)


def _choose(qtbot, combo, label: str) -> None:  # type: ignore[no-untyped-def]
    """Select an item with the keyboard, the way a user does."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == label:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{label!r} not in combo")


def test_export_runs_in_background_and_writes_files(qtbot, project: Loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(project.db, project.project_id)
    qtbot.addWidget(dialog)
    dialog.show()
    expected = preview_counts(project.db, Selection(project.project_id, Status.AUTO))
    assert (
        dialog.preview.text()
        == f"{expected.documents} documents · {expected.attributions} attributions"
    )

    _choose(qtbot, dialog.format, "Quotes table (CSV)")
    assert "spreadsheets" in dialog.format_hint.text()
    _choose(qtbot, dialog.status, "Accepted")
    accepted = preview_counts(project.db, Selection(project.project_id, Status.ACCEPTED))
    assert dialog.preview.text().endswith(f"{accepted.attributions} attributions")
    dialog.ratios[0].selectAll()
    qtbot.keyClicks(dialog.ratios[0], "60")
    dialog.ratios[1].selectAll()
    qtbot.keyClicks(dialog.ratios[1], "20")
    dialog.ratios[2].selectAll()
    qtbot.keyClicks(dialog.ratios[2], "20")
    assert dialog.out.text() == "~/annotator-exports/synthetic-quotes-csv"  # follows the format
    dialog.grab().save(str(SHOTS / "export_dialog.png"))
    dialog.out.selectAll()
    out = tmp_path / "export-out"
    qtbot.keyClicks(dialog.out, str(out))

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30_000)
    assert sorted(p.name for p in out.iterdir()) == [
        "README.md",
        "dev.csv",
        "manifest.json",
        "test.csv",
        "train.csv",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["options"]["status"] == "accepted"
    assert manifest["options"]["split"] == pytest.approx([0.6, 0.2, 0.2])
    total = sum(c["attributions"] for c in manifest["counts"].values())
    assert total == accepted.attributions
    assert dialog.report.isVisible()
    assert f"Wrote 5 files to {out}" in dialog.report.toPlainText()
    assert "Every span verified" in dialog.report.toPlainText()
    assert dialog.close_button.text() == "Close" and dialog.export_button.isEnabled()
    dialog.resize(dialog.width(), dialog.height() + 120)
    dialog.grab().save(str(SHOTS / "export_dialog_report.png"))


def test_unchecking_split_disables_ratios_and_exports_one_file(
    qtbot, project: Loaded, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(project.db, project.project_id)
    qtbot.addWidget(dialog)
    dialog.show()
    _choose(qtbot, dialog.format, "BRAT standoff")
    dialog.split.setFocus()
    qtbot.keyClick(dialog.split, Qt.Key.Key_Space)
    assert not dialog.split.isChecked() and not dialog.seed.isEnabled()
    dialog.out.selectAll()
    qtbot.keyClicks(dialog.out, str(tmp_path / "b"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30_000)
    assert (tmp_path / "b" / "annotation.conf").exists()
    assert len(list((tmp_path / "b").glob("*.ann"))) == dialog.result.counts["all"]["documents"]


def test_nothing_selected_disables_export(qtbot, project: Loaded) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportDialog(project.db, project.project_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _choose(qtbot, dialog.annotator, "lead")
    _choose(qtbot, dialog.status, "Draft")
    assert dialog.preview.text() == "0 documents · 0 attributions"
    assert not dialog.export_button.isEnabled()


def _bulk_project(db: Database, docs: int) -> str:
    """A project big enough that an export is still running when Cancel is clicked."""
    import uuid

    from annotator.services.projects import annotator_row, project_row
    from annotator.text import sha256_text

    with db.session() as s:
        project = project_row(s, "Big")
        assert project is not None
        ann = annotator_row(s, "ana").id
        conn = s.connection().connection.dbapi_connection
        assert conn is not None
        for d in range(docs):
            text = f"Article {d}. " + "The minister said the talks would resume. " * 60
            doc_id = str(uuid.uuid4())
            conn.execute(
                "INSERT INTO documents (id, project_id, title, text, text_sha256, length, source,"
                " url, published, place, author, language, metadata, raw_path, raw_sha256,"
                " import_report, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '', '', '',"
                " '', '', 'en', '{}', '', '', '{}', '2026-01-01', '2026-01-01')",
                (doc_id, project.id, f"A{d}", text, sha256_text(text), len(text)),
            )
            conn.executemany(
                "INSERT INTO attributions (id, document_id, annotator_id, content_spans, kind,"
                " polarity, proposition, note, origin, review_state, review_comment, source_ids,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, 'indirect', 'support', '', '',"
                " 'manual', 'accepted', '', '[]', '2026-01-01', '2026-01-01')",
                [
                    (str(uuid.uuid4()), doc_id, ann, f"[[{20 + 43 * q}, {60 + 43 * q}]]")
                    for q in range(5)
                ],
            )
        return project.id


def test_cancel_stops_the_export_and_writes_nothing(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project_id = _bulk_project(db, 3000)
    dialog = ExportDialog(db, project_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.preview.text() == "3,000 documents · 15,000 attributions"
    dialog.out.selectAll()
    out = tmp_path / "cancelled"
    qtbot.keyClicks(dialog.out, str(out))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.close_button.text() == "Cancel" and not dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=60_000)
    assert dialog.result.cancelled
    assert dialog.report.toPlainText() == "Export cancelled: nothing was written."
    assert not out.exists() or list(out.iterdir()) == []
    assert dialog.isVisible()  # Cancel stopped the export, it did not close the dialog
