"""Databases and settings the real-window tests start from, written before the app starts."""

from __future__ import annotations

from pathlib import Path

from annotator.storage.engine import Database
from tests.domain.test_review import Setup, make_setup, two_analysts


def settings(home: Path, *, annotator: str, project: str) -> None:
    """The settings file of someone who has used the app before (no first-run dialog)."""
    from annotator.ui.settings import Settings

    s = Settings(home / "config" / "annotator.ini")
    s.annotator_name = annotator
    s.last_project = project
    s.sync()


def review_project(home: Path, db_path: Path) -> tuple[Setup, dict[str, str]]:
    """Project "P": one article, two analysts' submitted work (they differ on quote 1, agree on
    quote 2, only ann1 marked quote 3); the lead "lead" opens the app."""
    db = Database.open(db_path)
    try:
        x = make_setup(db)
        ids = two_analysts(db, x)
    finally:
        db.dispose()
    settings(home, annotator="lead", project="P")
    return x, ids
