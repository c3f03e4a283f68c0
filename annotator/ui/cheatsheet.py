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
    # Two columns of about equal height, so the sheet fits one screen unscrolled: the flat list
    # of headings and rows is cut in the middle; a section cut in two repeats its heading.
    flat: list[tuple[str, str, str]] = []  # (section, keys, what); keys "" marks a heading
    for title, rows in sections:
        flat.append((title, "", ""))
        flat.extend((title, keys, what) for keys, what in rows)
    # Rows weigh what they occupy: a heading has margins, a long description wraps.
    weights = [1.6 if not k else 1.0 + (len(w) > 34) + (len(k) > 20) for _t, k, w in flat]
    half, acc, cut = sum(weights) / 2, 0.0, len(flat)
    for i, weight in enumerate(weights):
        if acc + weight / 2 > half:
            cut = i
            break
        acc += weight
    if 0 < cut < len(flat) and not flat[cut - 1][1]:
        cut -= 1  # never leave a heading alone at the bottom of the left column
    right = flat[cut:]
    if right and right[0][1]:
        right.insert(0, (f"{right[0][0]} (continued)", "", ""))
    parts.append("<table width='100%'><tr>")
    for column in (flat[:cut], right):
        # One table per column, so keys line up across its sections.
        parts.append("<td width='50%' style='padding-right: 28px'><table width='100%'>")
        for title, keys, what in column:
            if not keys:
                parts.append(f"<tr><td colspan='2'><h3>{html.escape(title.upper())}</h3></td></tr>")
                continue
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
        self.resize(920, 640)
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
