"""Light and dark themes: the Fusion style, a calm palette, and a stylesheet from resources/styles.

The palette carries the colors every widget inherits (so the workspace's own widgets follow the
theme without knowing about it); the stylesheet adds spacing and borders. Missing stylesheet
files (a stripped install) only lose the finishing touches, never the colors.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

STYLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "styles"

# role -> color; warm paper tones (light) and slate with off-white text (dark), both low-glare.
LIGHT = {
    "window": "#f4f2ed",
    "base": "#fbfaf7",
    "alternate": "#f5f3ee",
    "text": "#2e2d2a",
    "button": "#f1eee8",
    "mid": "#d9d5cc",
    "highlight": "#cfdff0",
    "highlighted_text": "#1c2a3a",
    "placeholder": "#8f8b83",
    "link": "#2f62a0",
    "tooltip": "#fffdf6",
}
DARK = {
    "window": "#1f2226",
    "base": "#25292e",
    "alternate": "#292d33",
    "text": "#d7d4cc",
    "button": "#2c3137",
    "mid": "#3a4048",
    "highlight": "#34506e",
    "highlighted_text": "#eef2f6",
    "placeholder": "#7d7a74",
    "link": "#8ab4e0",
    "tooltip": "#2c3137",
}


def palette(dark: bool) -> QPalette:
    c = {k: QColor(v) for k, v in (DARK if dark else LIGHT).items()}
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, c["window"])
    p.setColor(role.WindowText, c["text"])
    p.setColor(role.Base, c["base"])
    p.setColor(role.AlternateBase, c["alternate"])
    p.setColor(role.Text, c["text"])
    p.setColor(role.Button, c["button"])
    p.setColor(role.ButtonText, c["text"])
    p.setColor(role.Mid, c["mid"])
    p.setColor(role.Highlight, c["highlight"])
    p.setColor(role.HighlightedText, c["highlighted_text"])
    p.setColor(role.PlaceholderText, c["placeholder"])
    p.setColor(role.Link, c["link"])
    p.setColor(role.ToolTipBase, c["tooltip"])
    p.setColor(role.ToolTipText, c["text"])
    disabled = QColor(c["placeholder"])
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    return p


def stylesheet(dark: bool) -> str:
    name = "dark.qss" if dark else "light.qss"
    try:  # the installed resources folder (annotator.resources), else the checkout's
        from annotator.resources import ResourcesNotFoundError, resource_path

        path = resource_path("styles", name)
    except (ImportError, ResourcesNotFoundError):
        path = STYLES_DIR / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def apply_theme(app: QApplication, dark: bool) -> None:
    app.setStyle("Fusion")
    app.setPalette(palette(dark))
    app.setStyleSheet(stylesheet(dark))
    app.setProperty("annotator_dark", dark)


def is_dark(app: QApplication) -> bool:
    return bool(app.property("annotator_dark"))
