"""Helpers for the main-window tests: a small project, settings in a temp INI, a shown window."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.model import Span
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage.engine import Database
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import Settings

ARTICLES = [
    ("Talks continue in Baku", "Turan", "Minister Ali Hemmati said the talks will continue."),
    ("Bridge opens", "IRNA", "The mayor said the bridge will open in May."),
    ("Gas pipeline deal", "Turan", "Officials said the pipeline deal was signed in Baku."),
    ("Harvest report", "Reuters", "Farmers said the harvest was the best in a decade."),
]


@dataclass
class Shell:
    window: MainWindow
    project_id: str
    annotator_id: str
    docs: list[str]
    settings: Settings


def make_project(db: Database, name: str = "Desk", articles=ARTICLES) -> list[str]:
    project = get_or_create_project(db, name)
    ids = []
    with db.session() as s:
        for title, source, text in articles:
            row, _ = add_document(
                s, project.id, DocumentDraft(text=text, title=title, source=source, language="en")
            )
            ids.append(row.id)
    return ids


def activate(qtbot, window) -> None:
    """Show-and-activate: window shortcuts (N, P, Ctrl+D) need the window to be active, which the
    offscreen platform grants only after an event-loop turn (qtbot.waitActive returns early)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)


def make_shell(qtbot, db: Database, tmp_path: Path, *, annotator: str = "ana") -> Shell:
    docs = make_project(db)
    project_id = get_or_create_project(db, "Desk").id
    ann = get_or_create_annotator(db, annotator)
    speaker = reg.create_actor(db, project_id, "Ali Hemmati")
    attr.new_attribution(db, docs[0], ann.id, [Span(29, 50)], speaker_id=speaker.id)
    settings = Settings(tmp_path / "settings.ini")
    settings.annotator_name = annotator
    settings.last_project = "Desk"
    window = MainWindow(db, settings, ann)
    qtbot.addWidget(window)
    window.show()
    activate(qtbot, window)
    return Shell(window, project_id, ann.id, docs, settings)
