"""Turn the user's paths into import units: single files, or text + annotation pairs."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

TEXT_EXT = {".txt", ".md", ".markdown"}
HTML_EXT = {".html", ".htm", ".xhtml"}
TABLE_EXT = {".jsonl", ".ndjson", ".csv"}
CITRON_EXT = {".json"}
QUOTES_SUFFIX = ".quotes.jsonl"
# Companion files of exports and corpora, skipped when met inside a folder (not when named).
SKIP_IN_FOLDERS = {
    "readme.md",
    "readme.txt",
    "readme",
    "manifest.json",
    "annotation.conf",
    "license",
    "license.txt",
    "index.tsv",
    "visual.conf",
    "tools.conf",
}


@dataclass(frozen=True, slots=True)
class Unit:
    """kind: text | html | table | citron | brat | quotes | unsupported | missing."""

    kind: str
    path: Path  # the file reported on (the annotation file for pairs)
    text_path: Path | None = None  # the article text of a pair


def _walk(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower() not in SKIP_IN_FOLDERS:
                yield Path(root) / name


def _brat_text(ann: Path) -> Path | None:
    """`name.ann` pairs with `name.txt` beside it, or PolNeAR's `../text/name.txt` for
    `attributions/name_XXXX.ann` (one .ann per annotator)."""
    beside = ann.with_suffix(".txt")
    if beside.is_file():
        return beside
    stem = ann.stem.rsplit("_", 1)[0]
    for candidate in (ann.parent.parent / "text" / f"{stem}.txt", ann.parent / f"{stem}.txt"):
        if candidate.is_file():
            return candidate
    return None


def corpus_text(ann: Path) -> Path | None:
    """`../text/NAME.txt` for `attributions/NAME_ANNOTATOR.ann` (PolNeAR's layout, and our
    brat-corpus export): the longest NAME with such a text, since names hold `_` too."""
    folder = ann.parent.parent / "text"
    stem = ann.stem
    for cut in range(len(stem) - 1, 0, -1):
        if stem[cut] == "_" and (folder / f"{stem[:cut]}.txt").is_file():
            return folder / f"{stem[:cut]}.txt"
    return None


def discover(paths: Sequence[str | os.PathLike[str]]) -> list[Unit]:
    """Expand folders (recursively, sorted, hidden files skipped) and pair annotation files
    with their texts. Files named explicitly with an unknown type are reported; inside folders
    they are skipped silently."""
    files: list[tuple[Path, bool]] = []
    units: list[Unit] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend((f, False) for f in _walk(path))
        elif path.is_file():
            files.append((path, True))
        else:
            units.append(Unit("missing", path))
    seen: set[Path] = set()
    paired_texts: set[Path] = set()
    plain: list[tuple[Path, bool]] = []
    for f, explicit in files:
        key = Path(os.path.abspath(f))  # no syscalls: resolve() costs ~0.5 ms a file
        if key in seen:
            continue
        seen.add(key)
        name = f.name.lower()
        if name.endswith(QUOTES_SUFFIX):
            text = f.with_name(f.name[: -len(QUOTES_SUFFIX)] + ".txt")
            units.append(Unit("quotes", f, text if text.is_file() else None))
            if text.is_file():
                paired_texts.add(Path(os.path.abspath(text)))
        elif f.suffix.lower() == ".ann":
            text = _brat_text(f)
            units.append(Unit("brat", f, text))
            for paired in (text, corpus_text(f)):  # the corpus's text/ copy is no article
                if paired is not None:
                    paired_texts.add(Path(os.path.abspath(paired)))
        else:
            plain.append((f, explicit))
    for f, explicit in plain:
        ext = f.suffix.lower()
        if ext in TEXT_EXT:
            if Path(os.path.abspath(f)) not in paired_texts:
                units.append(Unit("text", f))
        elif ext in HTML_EXT:
            units.append(Unit("html", f))
        elif ext in TABLE_EXT:
            units.append(Unit("table", f))
        elif ext in CITRON_EXT:
            units.append(Unit("citron", f))
        elif explicit:
            units.append(Unit("unsupported", f))
    return sorted(units, key=lambda u: (str(u.path.parent), u.path.name))
