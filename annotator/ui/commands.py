"""Undo commands: every edit in the workspace is one of these, and each calls a service.

The service commits before the command reports back, so "Saved" in the status bar means stored.
Commands carry their document id: undoing an edit made on another document switches back to it
(the undo stack belongs to the main window and survives document switches). A command whose
first run fails marks itself obsolete, so QUndoStack drops it instead of recording a no-op.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError

from annotator.model import AttributionRecord, Span
from annotator.services import attributions as att_service
from annotator.services import registries
from annotator.storage.engine import Database


class Host(Protocol):
    """What commands need from the workspace."""

    db: Database

    def on_stored(self, record: AttributionRecord, message: str) -> None: ...
    def on_removed(self, document_id: str, attribution_id: str, message: str) -> None: ...
    def on_failed(self, message: str) -> None: ...
    def on_registry_changed(self) -> None: ...


# What a service can raise for a refused or impossible edit: the record is gone (KeyError), a
# span is bad (ValueError), or the database refused (locked by another writer, disk full...).
# The transaction was rolled back, so nothing half-written remains; the user is told.
_FAILURES = (KeyError, ValueError, SQLAlchemyError, OSError)


class _Command(QUndoCommand):
    def __init__(self, host: Host, document_id: str, text: str) -> None:
        super().__init__(text)
        self.host = host
        self.document_id = document_id
        self._ran = False

    def redo(self) -> None:
        try:
            self._redo()
        except _FAILURES as exc:
            if not self._ran:
                self.setObsolete(True)
            self.host.on_failed(f"Not saved: {self.text()} ({exc})")
            return
        self._ran = True

    def undo(self) -> None:
        try:
            self._undo()
        except _FAILURES as exc:
            self.host.on_failed(f"Undo failed: {self.text()} ({exc})")

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class CreateAttribution(_Command):
    def __init__(
        self,
        host: Host,
        document_id: str,
        annotator_id: str | None,
        content: list[Span],
        **fields: Any,
    ) -> None:
        super().__init__(host, document_id, "create attribution")
        self.annotator_id = annotator_id
        self.content = content
        self.fields = fields
        self.attribution_id: str | None = None

    def _redo(self) -> None:
        if self.attribution_id is None:
            rec = att_service.new_attribution(
                self.host.db, self.document_id, self.annotator_id, self.content, **self.fields
            )
            self.attribution_id = rec.id
        else:  # redo after undo: bring back the same record, not a copy
            rec = att_service.restore_attribution(self.host.db, self.attribution_id)
        self.host.on_stored(rec, "Saved: attribution created")

    def _undo(self) -> None:
        assert self.attribution_id is not None
        att_service.delete_attribution(self.host.db, self.attribution_id)
        self.host.on_removed(self.document_id, self.attribution_id, "Undone: attribution created")


class DeleteAttribution(_Command):
    def __init__(self, host: Host, record: AttributionRecord) -> None:
        super().__init__(host, record.document_id, "delete attribution")
        self.attribution_id = record.id

    def _redo(self) -> None:
        att_service.delete_attribution(self.host.db, self.attribution_id)
        self.host.on_removed(self.document_id, self.attribution_id, "Saved: attribution deleted")

    def _undo(self) -> None:
        rec = att_service.restore_attribution(self.host.db, self.attribution_id)
        self.host.on_stored(rec, "Undone: attribution restored")


class UpdateAttribution(_Command):
    """Change fields; undo writes back the values they had."""

    def __init__(self, host: Host, record: AttributionRecord, label: str, **changes: Any) -> None:
        super().__init__(host, record.document_id, label)
        self.attribution_id = record.id
        self.changes = changes
        self.before = {key: getattr(record, key) for key in changes}

    def _redo(self) -> None:
        rec = att_service.update_attribution(self.host.db, self.attribution_id, **self.changes)
        self.host.on_stored(rec, f"Saved: {self.text()}")

    def _undo(self) -> None:
        rec = att_service.update_attribution(self.host.db, self.attribution_id, **self.before)
        self.host.on_stored(rec, f"Undone: {self.text()}")


class ChooseEntry(UpdateAttribution):
    """Set speaker / via (actors) or target: create the entry first if new, grow its aliases.

    The registry growth (a new actor, an alias) is kept on undo: it is knowledge about names,
    may already be used elsewhere, and re-doing reuses the same entry rather than a duplicate.
    """

    def __init__(
        self,
        host: Host,
        record: AttributionRecord,
        field: str,
        project_id: str,
        entry_id: str | None,
        new_name: str,
        alias: str | None,
    ) -> None:
        label = {"speaker_id": "set speaker", "via_id": "set via", "target_id": "set target"}[field]
        super().__init__(host, record, label, **{field: entry_id})
        self.field = field
        self.project_id = project_id
        self.new_name = new_name
        self.alias = alias
        self.alias_added = False

    def _redo(self) -> None:
        actors = self.field != "target_id"
        if self.changes[self.field] is None:
            aliases = (self.alias,) if self.alias else ()
            if actors:
                entry = registries.create_actor(
                    self.host.db, self.project_id, self.new_name, aliases=aliases
                )
            else:
                entry = registries.create_target(
                    self.host.db, self.project_id, self.new_name, aliases=aliases
                )
            self.changes[self.field] = entry.id
            self.alias_added = bool(aliases) and self.alias in entry.aliases
            self.host.on_registry_changed()
        elif self.alias and not self._ran:
            add = registries.add_actor_alias if actors else registries.add_target_alias
            self.alias_added = add(self.host.db, self.changes[self.field], self.alias)
            if self.alias_added:
                self.host.on_registry_changed()
        super()._redo()
