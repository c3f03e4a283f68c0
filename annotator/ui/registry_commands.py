"""Undo commands of the registries panel: field edits, aliases, merges. Each calls a service;
one the database refuses is reported through the panel's `message` signal and, on its first
run, dropped from the undo stack (nothing happened, so nothing to undo)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError

from annotator.model import ActorRecord, TargetRecord
from annotator.services import registries as reg
from annotator.services import registry_view

if TYPE_CHECKING:
    from annotator.ui.registry_panel import RegistryPanel

Entry = ActorRecord | TargetRecord


class _PanelCommand(QUndoCommand):
    """A registry edit through a service; a refused edit is reported, and dropped on first run."""

    def __init__(self, panel: RegistryPanel, text: str) -> None:
        super().__init__(text)
        self.panel = panel
        self._ran = False

    def redo(self) -> None:
        if not self._guard(self._redo) and not self._ran:
            self.setObsolete(True)
        self._ran = True

    def undo(self) -> None:
        self._guard(self._undo)

    def _guard(self, step: Callable[[], None]) -> bool:
        try:
            step()
        except (KeyError, ValueError, SQLAlchemyError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            self.panel.message.emit(f"Not saved: {self.text()} ({first})")
            return False
        return True

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class EditFieldCommand(_PanelCommand):
    def __init__(
        self, panel: RegistryPanel, actor: bool, entry_id: str, field: str, old: str, new: str
    ) -> None:
        super().__init__(panel, f"set {field.replace('_', ' ')} to “{new}”")
        self.actor, self.entry_id = actor, entry_id
        self.field, self.old, self.new = field, old, new

    def _set(self, value: str) -> None:
        update = reg.update_actor if self.actor else reg.update_target
        update(self.panel.db, self.entry_id, **{self.field: value})
        self.panel.after_edit(self.entry_id)

    def _redo(self) -> None:
        self._set(self.new)

    def _undo(self) -> None:
        self._set(self.old)


class AliasCommand(_PanelCommand):
    """Add (add=True) or remove an alias; the inverse on undo."""

    def __init__(
        self, panel: RegistryPanel, actor: bool, entry_id: str, alias: str, add: bool
    ) -> None:
        super().__init__(panel, f"{'add' if add else 'remove'} alias “{alias}”")
        self.actor, self.entry_id, self.alias, self.add = actor, entry_id, alias, add

    def _apply(self, add: bool) -> None:
        if add:
            adder = reg.add_actor_alias if self.actor else reg.add_target_alias
            adder(self.panel.db, self.entry_id, self.alias)
        else:
            reg.remove_alias(self.panel.db, self.entry_id, self.alias)
        self.panel.after_edit(self.entry_id)

    def _redo(self) -> None:
        self._apply(self.add)

    def _undo(self) -> None:
        self._apply(not self.add)


class MergeCommand(_PanelCommand):
    """Merge one entry into another; undo revives it and points its attributions back."""

    def __init__(self, panel: RegistryPanel, actor: bool, keep: Entry, gone: Entry) -> None:
        super().__init__(panel, f"merge “{gone.name}” into “{keep.name}”")
        self.actor, self.keep_id, self.gone_id = actor, keep.id, gone.id
        self.record: registry_view.MergeRecord | None = None
        self.moved = 0

    def _redo(self) -> None:
        self.record = registry_view.merge_entries(
            self.panel.db, self.keep_id, self.gone_id, actor=self.actor
        )
        self.moved = sum(len(ids) for ids in self.record.moved.values())
        self.panel.after_edit(self.keep_id)

    def _undo(self) -> None:
        if self.record is not None:
            registry_view.undo_merge(self.panel.db, self.record)
        self.panel.after_edit(self.gone_id)
