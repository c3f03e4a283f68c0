"""Shared fixtures. Qt runs offscreen; every test gets its own database file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep settings and the default database of tests away from the user's real ones.
_SANDBOX = Path(tempfile.mkdtemp(prefix="annotator-tests-"))
os.environ.setdefault("ANNOTATOR_CONFIG_DIR", str(_SANDBOX / "config"))
os.environ.setdefault("XDG_DATA_HOME", str(_SANDBOX / "data"))
os.environ.setdefault("XDG_CONFIG_HOME", str(_SANDBOX / "xdg-config"))

from annotator.storage.engine import Database  # noqa: E402
from tests import input_guard  # noqa: E402

input_guard.install()  # qtbot's keys and clicks refuse hidden widgets

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TURAN_TXT = CORPUS / "turan-2023-10-05-khalafov-tehran.txt"
TURAN_QUOTES = CORPUS / "turan-2023-10-05-khalafov-tehran.quotes.jsonl"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database.open(tmp_path / "test.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return CORPUS


def screenshot_dir() -> Path:
    """Where GUI tests save their screenshots: docs/screenshots when ANNOTATOR_SCREENSHOTS=1
    (to refresh the docs on purpose), else a temp folder, so a test run never dirties the tree."""
    if os.environ.get("ANNOTATOR_SCREENSHOTS") == "1":
        path = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    else:
        path = _SANDBOX / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
