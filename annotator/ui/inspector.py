"""Inspector: every field of the selected attribution, editable, each edit an undo command."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model import AttributionRecord, Confidence, Kind, Polarity

EXCERPT_CHARS = 280
NONE_LABEL = "—"


class ElidedButton(QPushButton):
    """A button showing as much of its text as fits, the rest in its tooltip: a long target or
    speaker name never widens the inspector (it scrolled sideways, fields cut off)."""

    PADDING = 18  # the button's frame and margins around the text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(min(hint.width(), 160), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 48), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(0, self.width() - self.PADDING)
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        QPushButton.setText(self, shown)


def _combo(values: list[str], with_none: bool) -> QComboBox:
    combo = QComboBox()
    if with_none:
        combo.addItem(NONE_LABEL, None)
    for v in values:
        combo.addItem(v, v)
    return combo


class Inspector(QWidget):
    """Emits edits as (attribution id, field, value); the workspace turns them into commands."""

    edit_requested = Signal(str, str, object)
    choose_requested = Signal(str)  # "speaker_id", "via_id" or "target_id"
    leave_requested = Signal()  # Enter in a text field: back to the article

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: AttributionRecord | None = None
        self.heading = QLabel("No attribution selected")
        self.heading.setStyleSheet("font-weight: 600; font-size: 11pt;")
        self.excerpt = QLabel()
        self.excerpt.setWordWrap(True)
        self.excerpt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.speaker = ElidedButton()
        self.mention = QLabel()
        self.cue = QLabel()
        for label in (self.mention, self.cue):
            label.setWordWrap(True)  # a long mention wraps rather than widen the panel
        self.via = ElidedButton()
        self.target = ElidedButton()
        self.kind = _combo([k.value for k in Kind], with_none=False)
        self.polarity = _combo([p.value for p in Polarity], with_none=True)
        self.confidence = _combo([c.value for c in Confidence], with_none=True)
        self.proposition = QLineEdit()
        self.proposition.setPlaceholderText("One-line summary a reader would use")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note")
        self.provenance = QLabel()
        self.provenance.setStyleSheet("color: palette(mid);")
        for button, key, field in (
            (self.speaker, "S", "speaker_id"),
            (self.via, "V", "via_id"),
            (self.target, "T", "target_id"),
        ):
            button.setToolTip(f"Choose ({key})")
            button.clicked.connect(lambda _c=False, f=field: self._choose(f))
        self.kind.activated.connect(lambda _i: self._combo_edit("kind", self.kind, Kind))
        self.polarity.activated.connect(
            lambda _i: self._combo_edit("polarity", self.polarity, Polarity)
        )
        self.confidence.activated.connect(
            lambda _i: self._combo_edit("confidence", self.confidence, Confidence)
        )
        self.proposition.editingFinished.connect(
            lambda: self._text_edit("proposition", self.proposition)
        )
        self.note.editingFinished.connect(lambda: self._text_edit("note", self.note))
        for edit in (self.proposition, self.note):
            edit.returnPressed.connect(self.leave_requested.emit)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("Speaker (S)", self.speaker)
        form.addRow("Mention (M)", self.mention)
        form.addRow("Cue (C)", self.cue)
        form.addRow("Via (V)", self.via)
        form.addRow("Kind (D)", self.kind)
        form.addRow("Target (T)", self.target)
        form.addRow("Polarity (1–4)", self.polarity)
        form.addRow("Confidence", self.confidence)
        form.addRow("Proposition (E)", self.proposition)
        form.addRow("Note", self.note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.excerpt)
        layout.addLayout(form)
        layout.addWidget(self.provenance)
        layout.addStretch(1)
        self.show_record(None, "", lambda _i: "")

    def show_record(
        self,
        rec: AttributionRecord | None,
        text: str,
        names: Callable[[str | None], str],
        position: tuple[int, int] | None = None,
    ) -> None:
        self.record = rec
        widgets = (
            self.speaker, self.via, self.target, self.kind, self.polarity,
            self.confidence, self.proposition, self.note,
        )  # fmt: skip
        for w in widgets:
            w.setEnabled(rec is not None)
        if rec is None:
            self.heading.setText("No attribution selected")
            self.excerpt.setText("Select words in the article and press Q to add a quote.")
            for label in (self.mention, self.cue, self.provenance):
                label.setText("")
            for button in (self.speaker, self.via, self.target):
                button.setText(NONE_LABEL)
            # nothing selected shows no value, not the last attribution's, greyed
            self.kind.setCurrentIndex(-1)
            self._set_combo(self.polarity, None)
            self._set_combo(self.confidence, None)
            self.proposition.setText("")
            self.note.setText("")
            return
        where = f" {position[0] + 1} of {position[1]}" if position else ""
        self.heading.setText(f"Attribution{where}")
        excerpt = " ".join(rec.content_text(text).split())
        if len(excerpt) > EXCERPT_CHARS:
            excerpt = excerpt[:EXCERPT_CHARS] + "…"
        self.excerpt.setText(f"“{excerpt}”")
        self.speaker.setText(names(rec.speaker_id) or "choose…")
        self.via.setText(names(rec.via_id) or NONE_LABEL)
        self.target.setText(names(rec.target_id) or "choose…")
        self.mention.setText(rec.mention.text(text) if rec.mention else NONE_LABEL)
        self.cue.setText(rec.cue.text(text) if rec.cue else NONE_LABEL)
        self._set_combo(self.kind, str(rec.kind))
        self._set_combo(self.polarity, str(rec.polarity) if rec.polarity else None)
        self._set_combo(self.confidence, str(rec.confidence) if rec.confidence else None)
        self.proposition.setText(rec.proposition)
        self.note.setText(rec.note)
        for edit in (self.proposition, self.note):
            edit.setCursorPosition(0)  # show the start of a long line, not its end
        segments = f" · {len(rec.content)} segments" if len(rec.content) > 1 else ""
        self.provenance.setText(f"{rec.origin} · {rec.review_state}{segments}")

    @staticmethod
    def _set_combo(combo: QComboBox, value: str | None) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def _choose(self, field: str) -> None:
        if self.record is not None:
            self.choose_requested.emit(field)

    def _combo_edit(self, field: str, combo: QComboBox, enum: type) -> None:
        if self.record is None:
            return
        data = combo.currentData()
        value = enum(data) if data is not None else None
        if value != getattr(self.record, field):
            self.edit_requested.emit(self.record.id, field, value)

    def commit_pending(self) -> None:
        """Store what was typed in the text fields but not yet stored: editingFinished fires only
        when focus leaves, and a switch of attribution or document by a toolbar button, a menu
        or an undo does not move focus; the text would be dropped."""
        for field, edit in (("proposition", self.proposition), ("note", self.note)):
            if edit.isModified():
                self._text_edit(field, edit)

    def _text_edit(self, field: str, edit: QLineEdit) -> None:
        edit.setModified(False)  # handled: commit_pending must not send it again
        if self.record is None:
            return
        value = edit.text().strip()
        if value != getattr(self.record, field):
            self.edit_requested.emit(self.record.id, field, value)
