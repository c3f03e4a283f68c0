"""Colours of the review views for the light and the dark theme (chosen from the palette)."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

# Okabe-Ito hues: distinguishable with the common colour-vision deficiencies; lighter on dark.
LIGHT_ANNOTATORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
DARK_ANNOTATORS = ("#56B4E9", "#F0A35E", "#4CC9A0", "#E39BC6", "#F2C14E", "#9FD3F5")

LIGHT = {
    "diff": "#FFD98A",  # a field in which the versions differ
    "gold_bg": "#EEF6EE",
    "missing_bg": "#FBEDEA",
    "label": "#707070",
    "muted": "#8a8a8a",
    "good": "#2E7D32",
    "warn": "#A65E00",
    "bad": "#C62828",
    "band": "#0072B216",  # the current quote's row (#RRGGBBAA)
    "frame": "#0072B2",
}
DARK = {
    "diff": "#6E5200",
    "gold_bg": "#1E3327",
    "missing_bg": "#3D2724",
    "label": "#9AA0A6",
    "muted": "#8d9399",
    "good": "#81C784",
    "warn": "#FFB74D",
    "bad": "#EF9A9A",
    "band": "#78B4FF22",
    "frame": "#56B4E9",
}


def is_dark() -> bool:
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def colors() -> dict[str, str]:
    return DARK if is_dark() else LIGHT


def annotator_color(position: int) -> str:
    hues = DARK_ANNOTATORS if is_dark() else LIGHT_ANNOTATORS
    return hues[position % len(hues)]


def rgba(value: str) -> tuple[int, int, int, int]:
    """'#RRGGBB' or '#RRGGBBAA' -> (r, g, b, a)."""
    v = value.lstrip("#")
    alpha = int(v[6:8], 16) if len(v) == 8 else 255
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16), alpha
