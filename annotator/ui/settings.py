"""User settings (annotator name, font size, theme, window layout) in an INI file, and their dialog.

The file lives in platformdirs' user config dir, or in $ANNOTATOR_CONFIG_DIR (tests set it), as
`annotator.ini` via QSettings(IniFormat): readable, diffable, easy to reset by deleting it.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_dir
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

CONFIG_ENV_VAR = "ANNOTATOR_CONFIG_DIR"
DEFAULT_FONT_SIZE = 12
MIN_FONT_SIZE, MAX_FONT_SIZE = 8, 32


def config_dir() -> Path:
    value = os.environ.get(CONFIG_ENV_VAR)
    return Path(value) if value else Path(user_config_dir("annotator", appauthor=False))


def settings_path() -> Path:
    return config_dir() / "annotator.ini"


class Settings:
    """Typed access to the settings file. Every setter writes through (QSettings syncs)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._q = QSettings(str(self.path), QSettings.Format.IniFormat)

    # -- who and how ------------------------------------------------------------------------
    @property
    def annotator_name(self) -> str:
        return str(self._q.value("user/annotator", "") or "")

    @annotator_name.setter
    def annotator_name(self, name: str) -> None:
        self._q.setValue("user/annotator", name.strip())

    @property
    def font_size(self) -> int:
        try:
            size = int(self._q.value("view/font_size", DEFAULT_FONT_SIZE))
        except (TypeError, ValueError):
            size = DEFAULT_FONT_SIZE
        return max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, size))

    @font_size.setter
    def font_size(self, size: int) -> None:
        self._q.setValue("view/font_size", max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, int(size))))

    @property
    def dark(self) -> bool:
        return str(self._q.value("view/theme", "light")) == "dark"

    @dark.setter
    def dark(self, dark: bool) -> None:
        self._q.setValue("view/theme", "dark" if dark else "light")

    # -- where the analyst was ----------------------------------------------------------------
    @property
    def last_project(self) -> str:
        return str(self._q.value("session/project", "") or "")

    @last_project.setter
    def last_project(self, name: str) -> None:
        self._q.setValue("session/project", name)

    def last_document(self, project_id: str) -> str:
        return str(self._q.value(f"session/document/{project_id}", "") or "")

    def set_last_document(self, project_id: str, document_id: str) -> None:
        self._q.setValue(f"session/document/{project_id}", document_id)

    @property
    def document_order(self) -> str:
        """The document list's order as "column:asc|desc" (services.doclist), "" for import order."""
        return str(self._q.value("session/document_order", "") or "")

    @document_order.setter
    def document_order(self, value: str) -> None:
        self._q.setValue("session/document_order", value)

    # -- window layout ------------------------------------------------------------------------
    def layout(self, key: str) -> QByteArray | None:
        value = self._q.value(f"layout/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_layout(self, key: str, value: QByteArray) -> None:
        self._q.setValue(f"layout/{key}", value)

    def flag(self, key: str) -> bool:
        return str(self._q.value(f"layout/{key}", "false")).lower() == "true"

    def set_flag(self, key: str, on: bool) -> None:
        self._q.setValue(f"layout/{key}", "true" if on else "false")

    def sync(self) -> None:
        self._q.sync()


class SettingsDialog(QDialog):
    """Annotator name, reading font size, theme. Applied by the caller on accept."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(420)
        self.name_edit = QLineEdit(settings.annotator_name)
        self.name_edit.setPlaceholderText("Your name, as recorded on every attribution")
        self.font_spin = QSpinBox()
        self.font_spin.setRange(MIN_FONT_SIZE, MAX_FONT_SIZE)
        self.font_spin.setSuffix(" pt")
        self.font_spin.setValue(settings.font_size)
        self.theme_combo = QComboBox()
        self.theme_combo.addItems(["Light", "Dark"])
        self.theme_combo.setCurrentIndex(1 if settings.dark else 0)
        form = QFormLayout()
        form.addRow("Annotator &name:", self.name_edit)
        form.addRow("Reading &font size:", self.font_spin)
        form.addRow("&Theme:", self.theme_combo)
        hint = QLabel(f"Stored in {settings.path}")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if not self.name_edit.text().strip():
            self.name_edit.setFocus()
            return
        self.accept()

    def values(self) -> tuple[str, int, bool]:
        """(annotator name, font size, dark)."""
        return (
            self.name_edit.text().strip(),
            self.font_spin.value(),
            self.theme_combo.currentIndex() == 1,
        )
