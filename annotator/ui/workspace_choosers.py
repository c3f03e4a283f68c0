"""The workspace's choosers: speaker and via over actors, stance target over targets.

Pre-fills from the mention, offers the most recent speaker for a pronoun, and turns the choice
into one undo command (creating the entry and recording the mention as an alias when needed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect
from PySide6.QtGui import QTextCursor

from annotator.guess import is_pronoun, recent_speaker
from annotator.matching import Candidate, Match, fold, rank
from annotator.model import AttributionRecord
from annotator.services import registries
from annotator.ui import commands
from annotator.ui.chooser import Choice, Chooser, Suggestion

if TYPE_CHECKING:
    from annotator.ui.workspace import Workspace

FIELD_TITLES = {
    "speaker_id": "Speaker",
    "via_id": "Via (relaying outlet)",
    "target_id": "Stance target",
}


class ChooserMixin:
    """Mixed into Workspace (kept apart to keep modules small)."""

    def chooser(self: Workspace) -> Chooser:
        if self._chooser is None:
            self._chooser = Chooser("Choose", self._search, self)
            self._chooser.chosen.connect(self._chosen)
            self._chooser.closed.connect(self.view.setFocus)
        return self._chooser

    def _search(self: Workspace, query: str) -> list[Match]:
        """Ranks the registry read once when the chooser opened (not once per keystroke)."""
        return rank(query, self._candidates, limit=8)

    def _load_candidates(self: Workspace, field: str) -> None:
        assert self.project_id is not None
        if field == "target_id":
            entries: list = registries.list_targets(self.db, self.project_id)
        else:
            entries = registries.list_actors(self.db, self.project_id)
        self._candidates = [
            Candidate(e.id, e.name, label) for e in entries for label in (e.name, *e.aliases)
        ]

    def choose(self: Workspace, field: str) -> None:
        rec = self.selected_record()
        if rec is None or self.project_id is None:
            return
        self._chooser_target = (field, rec.id)
        self._load_candidates(field)
        others = [q for q in self.records.summaries() if q.id != rec.id]
        prefill, suggestions = "", []
        anchor = rec.mention.start if rec.mention else rec.start
        if field == "speaker_id":
            mention = rec.mention.text(self.text) if rec.mention else ""
            if mention and not is_pronoun(mention):
                prefill = mention
            else:
                recent = recent_speaker(others, anchor)
                if recent and recent in self.names:
                    why = (
                        f"  — most recent speaker before “{mention}”"
                        if mention
                        else "  — most recent speaker"
                    )
                    suggestions.append(Suggestion(recent, self.names[recent], why))
        elif field == "via_id":
            before = [r for r in others if r.via_id and r.start < rec.start]
            if before:
                via = max(before, key=lambda r: r.start).via_id
                assert via is not None
                suggestions.append(
                    Suggestion(via, self.name_of(via), "  — via of the previous quote")
                )
        chooser = self.chooser()
        chooser.noun = "target" if field == "target_id" else "actor"
        chooser.setWindowTitle(FIELD_TITLES[field])
        chooser.open_with(prefill, suggestions, self._span_rect(rec))

    def _span_rect(self: Workspace, rec: AttributionRecord) -> QRect:
        """Where the attribution's first and last lines are, in workspace coordinates."""
        view = self.view
        rects = []
        for cp in (rec.start, rec.end):
            cursor = QTextCursor(view.document())
            cursor.setPosition(view.offsets.to_utf16(cp))
            rects.append(view.cursorRect(cursor))
        top_left = view.viewport().mapTo(self, rects[0].topLeft())
        bottom = view.viewport().mapTo(self, rects[1].bottomLeft()).y()
        return QRect(top_left.x(), top_left.y(), 1, max(1, bottom - top_left.y()))

    def _chosen(self: Workspace, choice: Choice) -> None:
        if self._chooser_target is None or self.project_id is None:
            return
        field, attribution_id = self._chooser_target
        rec = self.records.get(attribution_id)
        if rec is None or not choice.name:
            return
        alias = None
        if field == "speaker_id" and rec.mention is not None:
            mention = " ".join(rec.mention.text(self.text).split())
            if not is_pronoun(mention) and fold(mention) != fold(choice.name):
                alias = mention
        if choice.entry_id is not None and getattr(rec, field) == choice.entry_id and alias is None:
            return
        self.undo_stack.push(
            commands.ChooseEntry(
                self, rec, field, self.project_id, choice.entry_id, choice.name, alias
            )
        )
        self.view.setFocus()
