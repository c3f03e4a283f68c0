"""Helpers for workspace tests and screenshots: a project with the Turan sample article."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from annotator import native
from annotator.model import AttributionRecord, Origin, new_id
from annotator.services import projects, registries
from annotator.services.attributions import insert_attribution
from annotator.services.documents import DocumentDraft, add_document
from annotator.storage.engine import Database
from annotator.text import normalize_text


@dataclass(frozen=True)
class Setup:
    project_id: str
    annotator_id: str
    document_id: str


def make_project(db: Database) -> tuple[str, str]:
    project = projects.get_or_create_project(db, "Test project")
    annotator = projects.get_or_create_annotator(db, "analyst")
    return project.id, annotator.id


def add_text(db: Database, project_id: str, text: str, title: str = "Article", **meta: str) -> str:
    with db.session() as s:
        row, _created = add_document(
            s, project_id, DocumentDraft(text=normalize_text(text), title=title, **meta)
        )
        return row.id


def open_workspace(qtbot, db: Database, text: str, title: str):  # type: ignore[no-untyped-def]
    """A shown Workspace on a new project holding `text`, the article view focused."""
    from PySide6.QtGui import QUndoStack

    from annotator.ui.workspace import Workspace

    project_id, annotator_id = make_project(db)
    doc = add_text(db, project_id, text, title=title)
    workspace = Workspace(db, QUndoStack())
    workspace.set_context(project_id, annotator_id)
    workspace.resize(1100, 700)
    qtbot.addWidget(workspace)
    workspace.show()
    qtbot.waitExposed(workspace)
    workspace.load_document(doc)
    workspace.view.setFocus()
    return workspace


def import_turan(db: Database, txt: Path, quotes: Path, *, with_attributions: bool = True) -> Setup:
    """The sample article and (optionally) its 14 hand-made attributions, as this annotator's."""
    project_id, annotator_id = make_project(db)
    text = normalize_text(txt.read_text(encoding="utf-8"))
    with db.session() as s:
        row, _ = add_document(
            s,
            project_id,
            DocumentDraft(
                text=text,
                title="Khalafov held meetings in Tehran",
                source="Turan",
                published="2023-10-05",
                place="Baku",
                url="https://www.turan.az/",
            ),
        )
        document_id = row.id
        for line in quotes.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            parsed = native.parse_attribution(json.loads(line), text)
            speaker = (
                registries.ensure_actor(s, project_id, parsed.speaker) if parsed.speaker else None
            )
            if speaker is not None and parsed.mention is not None:
                mention = parsed.mention.text(text)
                if mention[:1].isupper() and len(mention) > 3:
                    registries.add_alias_row(s, speaker, mention)
            via = registries.ensure_actor(s, project_id, parsed.via) if parsed.via else None
            target = (
                registries.ensure_target(s, project_id, parsed.target) if parsed.target else None
            )
            if not with_attributions:
                continue
            insert_attribution(
                s,
                AttributionRecord(
                    id=new_id(),
                    document_id=document_id,
                    annotator_id=annotator_id,
                    content=parsed.content,
                    cue=parsed.cue,
                    mention=parsed.mention,
                    speaker_id=speaker.id if speaker else None,
                    via_id=via.id if via else None,
                    kind=parsed.kind,
                    target_id=target.id if target else None,
                    polarity=parsed.polarity,
                    proposition=parsed.proposition,
                    origin=Origin.IMPORTED,
                ),
            )
    return Setup(project_id, annotator_id, document_id)
