"""Bundle dialogs driven like a user: keys into the widgets, buttons clicked, database checked."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.ui.bundle_dialog import BundleExportDialog, BundleImportDialog
from annotator.ui.theme import apply_theme
from tests.conftest import screenshot_dir  # noqa: E402
from tests.domain.bundle_support import canonical, make_world, sql_dump

SHOTS = screenshot_dir()


def _type_path(qtbot, dialog, path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.path.setFocus()
    dialog.path.selectAll()
    qtbot.keyClick(dialog.path, Qt.Key.Key_Delete)
    qtbot.keyClicks(dialog.path, str(path))


def _run(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    assert dialog.task is None and dialog.report.isVisible()


def _attributions(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(schema.Attribution)) or 0)


@pytest.fixture
def themed() -> None:
    app = QApplication.instance()
    apply_theme(app, False)  # type: ignore[arg-type]


def test_export_then_import_through_the_dialogs(
    qtbot, db: Database, tmp_path: Path, themed
) -> None:  # type: ignore[no-untyped-def]
    world = make_world(db)
    export = BundleExportDialog(db, world.project_id)
    qtbot.addWidget(export)
    export.show()
    assert export.project.currentText() == "P"
    bundle = tmp_path / "ana-work.zip"
    _type_path(qtbot, export, bundle)
    export.grab().save(str(SHOTS / "bundle_export.png"))
    _run(qtbot, export)
    assert export.outcome.error == ""
    assert zipfile.is_zipfile(bundle)
    text = export.report.toPlainText()
    assert "Wrote a work bundle" in text and "attributions" in text
    export.grab().save(str(SHOTS / "bundle_export_report.png"))

    other = Database.open(tmp_path / "lead.sqlite3")
    dialog = BundleImportDialog(other)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.action.isEnabled()  # nothing to import yet
    _type_path(qtbot, dialog, bundle)
    assert dialog.action.isEnabled()
    _run(qtbot, dialog)
    assert _attributions(other) == 2
    assert canonical(other) == canonical(db)
    report = dialog.report.toPlainText()
    assert f"Bundle {bundle.name}: merged" in report
    assert "attributions" in report
    dialog.grab().save(str(SHOTS / "bundle_import_report.png"))

    before = sql_dump(other)
    _run(qtbot, dialog)  # the same bundle again: a no-op, and the report says so
    assert "already here — nothing changed" in dialog.report.toPlainText()
    assert sql_dump(other) == before
    other.dispose()


def test_assignment_choice_with_keyboard(qtbot, db: Database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    world = make_world(db)
    dialog = BundleExportDialog(db, world.project_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.assignment.setFocus()
    qtbot.keyClick(dialog.assignment, Qt.Key.Key_Space)
    assert dialog.assignment.isChecked()
    assert not dialog.annotator.isEnabled() and not dialog.since_on.isEnabled()
    assert "assignment" in Path(dialog.path.text()).name
    bundle = tmp_path / "assignment.zip"
    _type_path(qtbot, dialog, bundle)
    _run(qtbot, dialog)
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["kind"] == "assignment"
    assert manifest["counts"]["attributions.jsonl"] == 0
    assert manifest["counts"]["documents.jsonl"] == 3


def test_bad_bundle_is_refused_in_the_report(qtbot, db: Database, tmp_path: Path, themed) -> None:  # type: ignore[no-untyped-def]
    make_world(db)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 this is not a whole zip file")
    before = sql_dump(db)
    dialog = BundleImportDialog(db, None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    _type_path(qtbot, dialog, broken)
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Enter triggers the default button
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    assert dialog.outcome.error.startswith("broken.zip: not a bundle")
    assert "Refused — nothing was changed." in dialog.report.toPlainText()
    assert sql_dump(db) == before
    dialog.grab().save(str(SHOTS / "bundle_import_refused.png"))


def test_since_filter_is_read_in_utc(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    world = make_world(db)
    dialog = BundleExportDialog(db, world.project_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.since.isEnabled()
    dialog.since_on.setFocus()
    qtbot.keyClick(dialog.since_on, Qt.Key.Key_Space)
    assert dialog.since.isEnabled()
    dialog.since.setDateTime(QDateTime(QDate(2026, 3, 1), QTime(10, 0), QTimeZone.utc()))
    options = dialog.options()
    assert options.since == datetime(2026, 3, 1, 10, 0)
    assert options.project == "P" and not options.assignment
