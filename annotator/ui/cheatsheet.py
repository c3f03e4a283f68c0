"""F1 / ?: every keyboard shortcut of the window, the workspace's included, on one page."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

Section = tuple[str, list[tuple[str, str]]]


def cheatsheet_html(sections: list[Section], dark: bool = False) -> str:
    key_bg, key_fg, muted = ("#343a41", "#e6e2da", "#9a978f") if dark else (
        "#e9e5dc", "#2e2d2a", "#7a766e")  # fmt: skip
    parts = [
        "<style>"
        f"h3 {{ margin: 14px 0 6px 0; font-size: 13px; color: {muted}; letter-spacing: 1px; }}"
        "td { padding: 3px 10px 3px 0; vertical-align: top; }"
        f".k {{ background: {key_bg}; color: {key_fg}; font-family: monospace;"
        " font-weight: 600; white-space: nowrap; }"
        "</style>"
    ]
    # Two columns, balanced by row count (in order), so the sheet fits one screen unscrolled.
    total = sum(len(rows) + 2 for _t, rows in sections)
    columns: list[list[Section]] = [[], []]
    filled = 0
    for section in sections:
        size = len(section[1]) + 2
        left = not columns[1] and (not columns[0] or filled + size <= total / 2)
        columns[0 if left else 1].append(section)
        filled += size if left else 0
    parts.append("<table width='100%'><tr>")
    for column in columns:
        # One table per column, so keys line up across its sections.
        parts.append("<td width='50%' style='padding-right: 28px'><table width='100%'>")
        for title, rows in column:
            parts.append(f"<tr><td colspan='2'><h3>{html.escape(title.upper())}</h3></td></tr>")
            for keys, what in rows:
                chips = " ".join(
                    f"<span class='k'>&nbsp;{html.escape(k.strip())}&nbsp;</span>"
                    for k in re.split(r" / |, ", keys)
                )
                parts.append(f"<tr><td width='42%'>{chips}</td><td>{html.escape(what)}</td></tr>")
        parts.append("</table></td>")
    parts.append("</tr></table>")
    return "".join(parts)


class CheatSheet(QDialog):
    def __init__(
        self, sections: list[Section], dark: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(900, 600)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHtml(cheatsheet_html(sections, dark))
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

    def shortcut_keys(self) -> list[str]:
        """Plain text of the sheet (tests check every shortcut is listed)."""
        return self.browser.toPlainText().splitlines()
