"""Settings: stored in an INI under $ANNOTATOR_CONFIG_DIR, reloaded, applied through the dialog."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.services.projects import list_annotators
from annotator.ui import settings as settings_mod
from annotator.ui.settings import Settings, SettingsDialog
from annotator.ui.theme import is_dark
from tests.ui.shell_helpers import make_shell


def test_config_dir_from_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    assert settings_mod.settings_path() == tmp_path / "cfg" / "annotator.ini"
    s = Settings()
    s.annotator_name = "  Leyla  "
    s.sync()
    assert (tmp_path / "cfg" / "annotator.ini").is_file()
    assert Settings().annotator_name == "Leyla"


def test_tests_never_write_the_real_config() -> None:
    # tests/conftest.py points the config dir at a sandbox; the real one must stay untouched.
    assert "annotator-tests-" in os.environ["ANNOTATOR_CONFIG_DIR"]


def test_values_persist_and_reload(tmp_path: Path) -> None:
    path = tmp_path / "a.ini"
    s = Settings(path)
    assert (s.annotator_name, s.font_size, s.dark) == ("", settings_mod.DEFAULT_FONT_SIZE, False)
    s.annotator_name = "ana"
    s.font_size = 99  # clamped
    s.dark = True
    s.last_project = "Desk"
    s.set_last_document("p1", "d1")
    s.sync()
    text = path.read_text()
    assert "annotator=ana" in text and "theme=dark" in text
    again = Settings(path)
    assert again.annotator_name == "ana"
    assert again.font_size == settings_mod.MAX_FONT_SIZE
    assert again.dark is True
    assert again.last_project == "Desk"
    assert again.last_document("p1") == "d1" and again.last_document("p2") == ""
    path.write_text("[view]\nfont_size=garbage\n")
    assert Settings(path).font_size == settings_mod.DEFAULT_FONT_SIZE


def test_dialog_changes_name_font_theme_and_persists(qtbot, db, tmp_path: Path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        dialog.name_edit.selectAll()
        qtbot.keyClicks(dialog.name_edit, "reviewer2")
        dialog.font_spin.setValue(16)
        dialog.theme_combo.setCurrentIndex(1)
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)  # default button: OK

    QTimer.singleShot(50, fill)
    w.open_settings()
    reloaded = Settings(tmp_path / "settings.ini")
    assert (reloaded.annotator_name, reloaded.font_size, reloaded.dark) == ("reviewer2", 16, True)
    assert w.annotator.name == "reviewer2"
    assert "reviewer2" in {a.name for a in list_annotators(db)}
    assert w.workspace.view.font().pointSize() == 16
    assert is_dark(QApplication.instance())
    assert "Annotator: reviewer2" in w.who_label.text()
    # The new annotator has no attributions on the first document: the list says so.
    assert w.doc_panel.model.rows[0].attributions == 0
    w.set_dark(False)
    assert not is_dark(QApplication.instance())


def test_empty_name_is_refused(qtbot, tmp_path: Path) -> None:
    s = Settings(tmp_path / "b.ini")
    s.annotator_name = "ana"
    dialog = SettingsDialog(s)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.clear()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0


def test_font_shortcuts_change_and_store_size(qtbot, db, tmp_path: Path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    before = shell.settings.font_size
    shell.window.workspace.view.setFocus()
    qtbot.keyClick(
        shell.window.workspace.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier
    )
    assert Settings(tmp_path / "settings.ini").font_size == before - 1
    assert shell.window.workspace.view.font().pointSize() == before - 1


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_themes_are_readable_but_not_glaring() -> None:
    from annotator.ui import theme

    for colors in (theme.LIGHT, theme.DARK):
        ratio = _contrast(colors["text"], colors["base"])
        # WCAG AAA for body text (>= 7), yet short of pure black on white (21) for long sessions.
        assert 7 <= ratio <= 16, ratio
        assert _contrast(colors["highlighted_text"], colors["highlight"]) >= 4.5
        assert colors["base"] not in ("#ffffff", "#000000")
    assert theme.stylesheet(False) and theme.stylesheet(True)
    assert theme.stylesheet(False) != theme.stylesheet(True)
