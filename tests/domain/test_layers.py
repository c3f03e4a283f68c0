"""The domain, storage and service layers never import Qt (DESIGN.md section 4).

Every .py under annotator/ outside annotator/ui/ is parsed with `ast`, so an import hidden in a
function body or behind `if TYPE_CHECKING` is found too, not only the ones executed at import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "annotator"
UI = PACKAGE / "ui"
QT_ROOTS = {"PySide6", "PySide2", "shiboken6", "shiboken2", "PyQt5", "PyQt6", "qtpy", "pytestqt"}


def qt_imports(source: str, filename: str = "<string>") -> list[tuple[int, str]]:
    """(line, module) for every import of a Qt binding in `source`."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", ""))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        found.extend((node.lineno, n) for n in names if n.split(".")[0] in QT_ROOTS)
    return found


def _non_ui_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if UI not in p.parents)


def test_there_is_code_to_check() -> None:
    files = _non_ui_files()
    names = {p.relative_to(PACKAGE).as_posix() for p in files}
    assert {"model.py", "storage/schema.py", "services/documents.py", "cli/__init__.py"} <= names


@pytest.mark.parametrize("path", _non_ui_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_qt_outside_ui(path: Path) -> None:
    hits = qt_imports(path.read_text(encoding="utf-8"), str(path))
    assert hits == [], f"{path.relative_to(PACKAGE)} imports Qt: {hits}"


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "from PySide6.QtCore import QObject",
        "import shiboken6 as sb",
        "def f():\n    from PyQt6 import QtWidgets\n",
        "if TYPE_CHECKING:\n    import PySide6.QtGui\n",
        "import importlib\nimportlib.import_module('PySide6.QtWidgets')",
        "import os, PyQt5.QtCore",
    ],
)
def test_detector_finds_qt(source: str) -> None:
    assert qt_imports(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import json",
        "from annotator.ui_helpers import x",
        "from .PySide6 import y",
        "s = 'PySide6'",
    ],
)
def test_detector_ignores_non_qt(source: str) -> None:
    assert qt_imports(source) == []


# Non-UI modules that may reach into annotator.ui: only the launcher of the desktop app.
UI_LAUNCHERS = {"cli/__init__.py"}


@pytest.mark.parametrize("path", _non_ui_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_ui_package_only_imported_by_the_launcher(path: Path) -> None:
    rel = path.relative_to(PACKAGE).as_posix()
    if rel in UI_LAUNCHERS:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            hits += [a.name for a in node.names if a.name.startswith("annotator.ui")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "annotator.ui" or node.module.startswith("annotator.ui."):
                hits.append(node.module)
            elif node.module == "annotator":
                hits += [f"annotator.{a.name}" for a in node.names if a.name == "ui"]
    assert hits == [], f"{rel} imports the Qt layer: {hits}"


def test_importing_the_core_loads_no_qt() -> None:
    """At run time too: import the storage, services, CLI and importers in a fresh interpreter
    (transitive imports included) and check no Qt binding got loaded."""
    import subprocess
    import sys

    modules = [
        "annotator.cli",
        "annotator.storage.engine",
        "annotator.storage.check",
        "annotator.services.documents",
        "annotator.services.registries",
        "annotator.sample",
        "annotator.native",
        "annotator.matching",
    ]
    code = (
        "import sys\n"
        f"for m in {modules!r}: __import__(m)\n"
        "from annotator.cli import build_parser\n"
        "build_parser()\n"  # imports every command module
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(QT_ROOTS)!r}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]", out.stdout
