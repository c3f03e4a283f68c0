"""Turn the user's paths into import units: single files, or text + annotation pairs."""

from __future__ import annotations

import os
import stat
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
    """kind: text | html | table | citron | brat | quotes | unsupported | missing | link |
    special | unreadable (the last three are reported, never read)."""

    kind: str
    path: Path  # the file reported on (the annotation file for pairs)
    text_path: Path | None = None  # the article text of a pair


def _walk(folder: Path, follow_links: bool, refused: list[Unit]) -> Iterable[Path]:
    """Files under `folder`, sorted, hidden ones skipped. Symbolic links are not followed
    unless `follow_links`, and never out of `folder` (a link to a password file must not end up
    in the database, nor in the bundles made from it). Special files (FIFOs, devices, sockets)
    are never read. What is skipped for safety, or cannot be listed, goes to `refused`."""
    root = folder.resolve()

    def on_error(exc: OSError) -> None:
        refused.append(Unit("unreadable", Path(exc.filename or folder)))

    for base, dirs, files in os.walk(folder, onerror=on_error, followlinks=follow_links):
        here = Path(base)
        if follow_links and here != folder and not _inside(here, root):
            dirs[:] = []
            refused.append(Unit("link", here))
            continue
        kept = []
        for d in sorted(d for d in dirs if not d.startswith(".")):
            sub = here / d
            if sub.is_symlink() and not follow_links:
                refused.append(Unit("link", sub))
            else:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith(".") or name.lower() in SKIP_IN_FOLDERS:
                continue
            path = here / name
            problem = _refuse(path, root, follow_links)
            if problem is not None:
                refused.append(Unit(problem, path))
            else:
                yield path


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _refuse(path: Path, root: Path | None, follow_links: bool) -> str | None:
    """ "link" or "special" when the file must not be read; None for a plain file."""
    try:
        info = path.lstat()
    except OSError:
        return None  # vanished: reported when read
    if stat.S_ISLNK(info.st_mode):
        if not follow_links or (root is not None and not _inside(path, root)):
            return "link"
        try:
            info = path.stat()
        except OSError:
            return "link"  # dangling
    if not stat.S_ISREG(info.st_mode):
        return "special"
    return None


def _safe_pair(text: Path | None, root: Path | None, follow_links: bool) -> Path | None:
    """An article text found beside an annotation file: only a plain file, and only through a
    link that stays inside the folder imported (when links are followed at all)."""
    if text is None or _refuse(text, root, follow_links) is not None:
        return None
    return text


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


def discover(paths: Sequence[str | os.PathLike[str]], follow_links: bool = False) -> list[Unit]:
    """Expand folders (recursively, sorted, hidden files skipped) and pair annotation files
    with their texts. Files named explicitly with an unknown type are reported; inside folders
    they are skipped silently. A file named explicitly is read even through a link (the user
    chose it), but never when it is a FIFO, device or socket."""
    files: list[tuple[Path, bool, Path | None]] = []  # (file, named explicitly, folder given)
    units: list[Unit] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            root = path.resolve()
            refused: list[Unit] = []
            files.extend((f, False, root) for f in _walk(path, follow_links, refused))
            units.extend(refused)
        elif path.is_file():
            files.append((path, True, None))
        elif path.exists() or path.is_symlink():
            units.append(Unit("special" if path.exists() else "missing", path))
        else:
            units.append(Unit("missing", path))
    seen: set[Path] = set()
    paired_texts: set[Path] = set()
    plain: list[tuple[Path, bool]] = []
    for f, explicit, root in files:
        key = Path(os.path.abspath(f))  # no syscalls: resolve() costs ~0.5 ms a file
        if key in seen:
            continue
        seen.add(key)
        name = f.name.lower()
        links = follow_links or explicit
        if name.endswith(QUOTES_SUFFIX):
            text = f.with_name(f.name[: -len(QUOTES_SUFFIX)] + ".txt")
            text = _safe_pair(text if text.is_file() else None, root, links)
            units.append(Unit("quotes", f, text))
            if text is not None:
                paired_texts.add(Path(os.path.abspath(text)))
        elif f.suffix.lower() == ".ann":
            text = _safe_pair(_brat_text(f), root, links)
            units.append(Unit("brat", f, text))
            if text is not None:
                paired_texts.add(Path(os.path.abspath(text)))
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
