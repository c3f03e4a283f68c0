"""Locate the top-level resources/ folder (styles, icons, the sample project).

It sits beside the package in a checkout or an editable install; a wheel carries a copy as
annotator/_resources (see setup.py); a packager may instead put it under
`<prefix>/share/annotator/resources` or point $ANNOTATOR_RESOURCES at it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

RESOURCES_ENV_VAR = "ANNOTATOR_RESOURCES"
# A file every complete resources folder has: guards against picking up an unrelated folder.
MARKER = Path("sample") / "sample.jsonl"


class ResourcesNotFoundError(FileNotFoundError):
    """The resources folder is missing: the installation is incomplete."""


def candidate_dirs() -> list[Path]:
    out: list[Path] = []
    if env := os.environ.get(RESOURCES_ENV_VAR):
        out.append(Path(env).expanduser())
    package_dir = Path(__file__).resolve().parent
    out.append(package_dir.parent / "resources")  # checkout / editable install
    out.append(package_dir / "_resources")  # copied into the wheel by setup.py
    out.append(package_dir / "resources")  # where a packager may have put it before
    out.append(Path(sys.prefix) / "share" / "annotator" / "resources")  # data_files install
    return out


def resources_dir() -> Path:
    """The first candidate holding the marker file; raises with every place looked in."""
    candidates = candidate_dirs()
    for path in candidates:
        if (path / MARKER).is_file():
            return path
    looked = ", ".join(str(p) for p in candidates)
    raise ResourcesNotFoundError(
        f"Annotator's resources folder was not found (looked in: {looked});"
        f" set {RESOURCES_ENV_VAR} to its location or reinstall."
    )


def resource_path(*parts: str) -> Path:
    """A path inside resources/, e.g. resource_path("sample", "sample.jsonl")."""
    return resources_dir().joinpath(*parts)
