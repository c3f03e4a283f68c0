"""F1 / ?: every keyboard shortcut of the window, the workspace's included, on one page."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

Section = tuple[str, list[tuple[str, str]]]


def cheatsheet_html(sections: list[Section], dark: bool = False) -> str:
    key_bg, key_border, muted = ("#2c3137", "#46505a", "#9a978f") if dark else (
        "#f3f1ec", "#cbc6bb", "#7a766e")  # fmt: skip
    parts = [
        "<style>"
        f"h3 {{ margin: 14px 0 6px 0; font-size: 13px; color: {muted}; letter-spacing: 1px; }}"
        "td { padding: 3px 10px 3px 0; vertical-align: top; }"
        f".k {{ background: {key_bg}; border: 1px solid {key_border}; border-radius: 3px;"
        " padding: 1px 6px; font-family: monospace; white-space: nowrap; }"
        "</style>"
    ]
    # Two columns of sections so the whole sheet fits on one screen without scrolling.
    half = (len(sections) + 1) // 2
    columns = [sections[:half], sections[half:]]
    parts.append("<table width='100%'><tr>")
    for column in columns:
        parts.append("<td width='50%' style='padding-right: 24px'>")
        for title, rows in column:
            parts.append(f"<h3>{html.escape(title.upper())}</h3><table>")
            for keys, what in rows:
                chips = " ".join(
                    f"<span class='k'>{html.escape(k.strip())}</span>" for k in keys.split(" / ")
                )
                parts.append(f"<tr><td>{chips}</td><td>{html.escape(what)}</td></tr>")
            parts.append("</table>")
        parts.append("</td>")
    parts.append("</tr></table>")
    return "".join(parts)


class CheatSheet(QDialog):
    def __init__(
        self, sections: list[Section], dark: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(860, 600)
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
