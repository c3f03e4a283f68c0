"""Editor for one gold record: spans as code-point ranges with a live preview, and the labels."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model import ActorRecord, AttributionRecord, Kind, Polarity, Span, TargetRecord

_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")


def format_spans(spans: tuple[Span, ...] | Span | None) -> str:
    if spans is None:
        return ""
    items = (spans,) if isinstance(spans, Span) else spans
    return "; ".join(f"{s.start}-{s.end}" for s in items)


def parse_spans(value: str, length: int) -> tuple[Span, ...]:
    """'12-40; 55-70' -> spans; ValueError with a one-line reason otherwise."""
    out = []
    for part in filter(None, (p.strip() for p in value.split(";"))):
        m = _RANGE.match(part)
        if not m:
            raise ValueError(f"“{part}” is not start-end")
        start, end = int(m.group(1)), int(m.group(2))
        if not 0 <= start < end <= length:
            raise ValueError(f"{start}-{end} is outside the text (0-{length})")
        out.append(Span(start, end))
    return tuple(sorted(out))


class GoldEditor(QDialog):
    """Shows `base` (the gold, or the version it will be built from); `changes()` after OK."""

    def __init__(
        self,
        base: AttributionRecord,
        text: str,
        actors: list[ActorRecord],
        targets: list[TargetRecord],
        selection: Span | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit gold attribution")
        self.base, self.text, self.selection = base, text, selection
        form = QFormLayout()
        self.content = QLineEdit(format_spans(base.content))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("color:#37474F; background:#F5F7F8; padding:6px;")
        self.cue = QLineEdit(format_spans(base.cue))
        self.mention = QLineEdit(format_spans(base.mention))
        self.speaker = self._combo([(a.name, a.id) for a in actors], base.speaker_id)
        self.via = self._combo([(a.name, a.id) for a in actors], base.via_id)
        self.target = self._combo([(t.name, t.id) for t in targets], base.target_id)
        self.kind = self._combo([(k.value, k) for k in Kind], base.kind, empty=False)
        self.polarity = self._combo([(p.value, p) for p in Polarity], base.polarity)
        self.proposition = QLineEdit(base.proposition)
        self.error = QLabel()
        self.error.setStyleSheet("color:#C62828;")
        use = QPushButton("Use text selection")
        use.setEnabled(selection is not None)
        use.clicked.connect(lambda: self.content.setText(format_spans(selection)))
        form.addRow("Content (start-end; …)", self.content)
        form.addRow("", use)
        form.addRow("", self.preview)
        form.addRow("Cue", self._with_preview(self.cue))
        form.addRow("Speaker mention", self._with_preview(self.mention))
        form.addRow("Speaker", self.speaker)
        form.addRow("Via", self.via)
        form.addRow("Kind", self.kind)
        form.addRow("Target", self.target)
        form.addRow("Polarity", self.polarity)
        form.addRow("Gist", self.proposition)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.content.textChanged.connect(self._preview)
        self._preview()
        self.resize(620, self.sizeHint().height())
        self._changes: dict[str, Any] = {}

    def _with_preview(self, edit: QLineEdit) -> QWidget:
        """A span field with the text it covers beside it."""
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        shown = QLabel()
        shown.setStyleSheet("color:#37474F;")
        shown.setMinimumWidth(200)

        def update() -> None:
            try:
                spans = parse_spans(edit.text(), len(self.text))
            except ValueError as exc:
                shown.setText(f"⚠ {exc}")
                return
            shown.setText(" … ".join(f"“{s.text(self.text)}”" for s in spans))

        edit.textChanged.connect(update)
        update()
        box.addWidget(edit, 1)
        box.addWidget(shown, 1)
        return row

    @staticmethod
    def _combo(items: list[tuple[str, Any]], current: Any, *, empty: bool = True) -> QComboBox:
        box = QComboBox()
        if empty:
            box.addItem("—", None)
        for label, value in items:
            box.addItem(label, value)
        found = box.findData(current)
        box.setCurrentIndex(max(found, 0))
        return box

    def _preview(self) -> None:
        try:
            spans = parse_spans(self.content.text(), len(self.text))
        except ValueError as exc:
            self.preview.setText(f"⚠ {exc}")
            return
        self.preview.setText(" … ".join(f"“{s.text(self.text)}”" for s in spans) or "⚠ empty")

    def _ok(self) -> None:
        try:
            self._changes = self._collect()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def _collect(self) -> dict[str, Any]:
        length = len(self.text)
        content = parse_spans(self.content.text(), length)
        if not content:
            raise ValueError("content needs at least one span")
        one = {"cue": self.cue, "mention": self.mention}
        values: dict[str, Any] = {"content": content}
        for name, edit in one.items():
            spans = parse_spans(edit.text(), length)
            if len(spans) > 1:
                raise ValueError(f"{name} is a single span")
            values[name] = spans[0] if spans else None
        values["speaker_id"] = self.speaker.currentData()
        values["via_id"] = self.via.currentData()
        values["target_id"] = self.target.currentData()
        values["kind"] = self.kind.currentData()
        values["polarity"] = self.polarity.currentData()
        values["proposition"] = self.proposition.text().strip()
        return {k: v for k, v in values.items() if getattr(self.base, k) != v}

    def changes(self) -> dict[str, Any]:
        """The fields the lead changed (empty when nothing changed)."""
        return dict(self._changes)
