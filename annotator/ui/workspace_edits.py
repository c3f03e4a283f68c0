"""The workspace's edits: each user edit becomes one undo command calling a service, and the
command reports back here (on_stored / on_removed) only after the database committed it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.attribution_checks import far_from_content, role_clash
from annotator.guess import guess_kind
from annotator.model import AttributionRecord, Kind, Polarity, Span, WorkStatus
from annotator.services import documents
from annotator.services.workspace_queries import QuoteSummary, document_summaries
from annotator.ui import commands

if TYPE_CHECKING:
    from annotator.ui.workspace import Workspace

KIND_CYCLE = (Kind.DIRECT, Kind.INDIRECT, Kind.MIXED)


class EditsMixin:
    """Mixed into Workspace (kept apart to keep modules small)."""

    def _selection_or_warn(self: Workspace) -> Span | None:
        span = self.view.selected_span()
        if span is None:
            self.status_message.emit("Select some words in the article first")
            return None
        return Span(*span)

    def _insisted(self: Workspace, key: tuple[object, ...], warning: str) -> bool:
        """A probable slip goes through when asked for twice in a row (same key, same words);
        the first time the analyst is warned and nothing is stored."""
        if self._insist == key:
            self._insist = None
            return True
        self._insist = key
        self.warning.emit(warning)
        return False

    def create_from_selection(self: Workspace) -> None:
        if self.document_id is None:
            return
        span = self._selection_or_warn()
        if span is None:
            return
        # what attribution_checks.identical_attribution says, from the table's sorted rows
        same = self.table_model.with_content(((span.start, span.end),))
        if same is not None and not self._insisted(
            ("create", span),
            "An identical attribution exists (now selected). Press Q again to add"
            " another one anyway.",
        ):
            self.select(same)  # the text selection stays, for a second Q
            return
        t = self.text
        kind = guess_kind(
            t[span.start : span.end], t[span.start - 1 : span.start], t[span.end : span.end + 1]
        )
        self.undo_stack.push(
            commands.CreateAttribution(self, self.document_id, self.annotator_id, [span], kind=kind)
        )
        self.view.clear_selection()
        self._mark_in_progress()

    def set_span(self: Workspace, role: str) -> None:
        rec = self.selected_record()
        span = self._selection_or_warn() if rec else None
        if rec is None or span is None:
            return
        key = "C" if role == "cue" else "M"
        name = "cue" if role == "cue" else "speaker mention"
        clash = role_clash(rec, role, span)
        if clash is not None and not self._insisted(
            (role, rec.id, span),
            f"These words are already the {clash} of this attribution. Press {key} again to"
            f" make them its {name} as well.",
        ):
            return
        if far_from_content(self.text, rec.content, span) and not self._insisted(
            (role, rec.id, span),
            f"This {name} is far from the quote it would belong to (a paragraph or more"
            f" away). Press {key} again to set it anyway.",
        ):
            return
        label = "set cue" if role == "cue" else "set speaker mention"
        self.undo_stack.push(commands.UpdateAttribution(self, rec, label, **{role: span}))
        self.view.clear_selection()

    def add_segment(self: Workspace) -> None:
        rec = self.selected_record()
        span = self._selection_or_warn() if rec else None
        if rec is None or span is None:
            return
        if any(span.overlaps(s) for s in rec.content):
            self.status_message.emit("That segment overlaps the attribution's content already")
            return
        content = tuple(sorted((*rec.content, span)))
        self.undo_stack.push(
            commands.UpdateAttribution(self, rec, "add content segment", content=content)
        )
        self.view.clear_selection()

    def set_polarity(self: Workspace, polarity: Polarity) -> None:
        rec = self.selected_record()
        if rec is not None and rec.polarity != polarity:
            self.undo_stack.push(
                commands.UpdateAttribution(self, rec, f"set polarity {polarity}", polarity=polarity)
            )

    def cycle_kind(self: Workspace) -> None:
        rec = self.selected_record()
        if rec is not None:
            kind = KIND_CYCLE[(KIND_CYCLE.index(rec.kind) + 1) % len(KIND_CYCLE)]
            self.undo_stack.push(
                commands.UpdateAttribution(self, rec, f"set kind {kind}", kind=kind)
            )

    def delete_selected(self: Workspace) -> None:
        rec = self.selected_record()
        if rec is not None:
            self.undo_stack.push(commands.DeleteAttribution(self, rec))

    def _inspector_edit(self: Workspace, attribution_id: str, field: str, value: object) -> None:
        rec = self.records.get(attribution_id)
        if rec is not None:
            label = f"set {field.replace('_', ' ')}"
            self.undo_stack.push(commands.UpdateAttribution(self, rec, label, **{field: value}))

    def _mark_in_progress(self: Workspace) -> None:
        if self._marked_in_progress or self.document_id is None or self.annotator_id is None:
            return
        self._marked_in_progress = True
        if (
            documents.get_work_status(self.db, self.document_id, self.annotator_id)
            == WorkStatus.NEW
        ):
            documents.set_work_status(
                self.db, self.document_id, self.annotator_id, WorkStatus.IN_PROGRESS
            )

    # command callbacks (called after the service committed)
    def on_stored(self: Workspace, record: AttributionRecord, message: str) -> None:
        self._insist = None
        if record.document_id != self.document_id:
            self.load_document(record.document_id)
            self.document_switched.emit(record.document_id)
            touched = True
        else:
            before = _registry_view(self.records.summary(record.id))
            summary = self.records.put(record)
            self.view.add_record(summary)
            self.table_model.upsert(summary)
            touched = before != _registry_view(summary)
        self.select(record.id)
        self.status_message.emit(message)
        self.attributions_changed.emit(record.document_id, len(self.records))
        if touched:
            self.registries_touched.emit()

    def on_removed(self: Workspace, document_id: str, attribution_id: str, message: str) -> None:
        self._insist = None
        if document_id != self.document_id:
            self.load_document(document_id)
            self.document_switched.emit(document_id)
            touched = True
        else:
            touched = _registry_view(self.records.summary(attribution_id)) is not None
            self.records.pop(attribution_id)
            self.view.remove_record(attribution_id)
            self.table_model.remove(attribution_id)
            if self.selected_id == attribution_id:
                self.select(None)
        self.status_message.emit(message)
        self.attributions_changed.emit(document_id, len(self.records))
        if touched:
            self.registries_touched.emit()

    def on_failed(self: Workspace, message: str) -> None:
        self.status_message.emit(message)

    def on_registry_changed(self: Workspace) -> None:
        """Names changed (a new actor or alias, a rename, a merge elsewhere): refresh names,
        and re-read the attributions, since a merge re-points them to the surviving entry."""
        self.registries_touched.emit()
        self._refresh_names()
        if self.document_id is None:
            return
        summaries = document_summaries(self.db, self.document_id, self.annotator_id)
        if summaries == self.table_model.summaries():
            self.table_model.refresh_names()
            self.view.margin.update()
            return
        self.records = self._store(summaries)
        self.view.reset_records(summaries)
        self.table_model.set_records(self.text, summaries)
        self.select(self.selected_id)


def _registry_view(q: QuoteSummary | None) -> tuple[object, ...] | None:
    """What the registries panel shows of an attribution: the entries it names (usage counts)
    and, for those, its quote (usage excerpts); None when it names none. An edit that leaves
    this unchanged (a new quote with no speaker yet, a polarity) need not refresh the panel."""
    if q is None or not (q.speaker_id or q.via_id or q.target_id):
        return None
    return (q.speaker_id, q.via_id, q.target_id, q.content)
