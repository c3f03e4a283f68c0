"""Atomic file output: every file is written to a temporary name beside its target, fsynced, and
only renamed into place when the whole export succeeded (`AtomicFiles.commit`). A failed or
cancelled export therefore leaves no half-written file behind, and never clobbers a previous
good export with a partial one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class AtomicFiles:
    """Temporary files for one export, renamed into place together by `commit()`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._pending: list[tuple[Path, Path]] = []  # (temporary, final)
        self._unsynced: set[Path] = set()  # written by libraries, not fsynced yet
        self._made_dirs: list[Path] = []  # created for this export: removed again by discard()

    def _temp_for(self, relpath: str) -> tuple[Path, Path]:
        final = self.root / relpath
        if not final.parent.is_dir():
            missing = [d for d in (final.parent, *final.parent.parents) if not d.exists()]
            final.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs += missing
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        os.close(fd)
        self._pending.append((Path(tmp), final))
        return Path(tmp), final

    @contextlib.contextmanager
    def open_text(self, relpath: str, newline: str | None = "\n") -> Iterator[IO[str]]:
        """A text file (UTF-8, LF unless `newline` says otherwise), buffered for fast streaming."""
        tmp, _ = self._temp_for(relpath)
        with open(tmp, "w", encoding="utf-8", newline=newline, buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())

    @contextlib.contextmanager
    def open_binary(self, relpath: str) -> Iterator[IO[bytes]]:
        tmp, _ = self._temp_for(relpath)
        with open(tmp, "wb", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())

    def temp_path(self, relpath: str) -> Path:
        """A temporary path for libraries that write files themselves (Parquet, DocBin)."""
        tmp, _ = self._temp_for(relpath)
        self._unsynced.add(tmp)
        return tmp

    def write_bytes(self, relpath: str, data: bytes) -> None:
        with self.open_binary(relpath) as fh:
            fh.write(data)

    def write_text(self, relpath: str, data: str) -> None:
        with self.open_text(relpath) as fh:
            fh.write(data)

    def pending(self) -> list[tuple[Path, Path]]:
        """(temporary, final) for every file written so far and not yet committed."""
        return list(self._pending)

    @property
    def final_paths(self) -> list[Path]:
        return [final for _, final in self._pending]

    def commit(self) -> list[Path]:
        """Rename every temporary file into place (os.replace is atomic per file), then fsync dirs."""
        dirs: set[Path] = set()
        for tmp, final in self._pending:
            if tmp in self._unsynced:
                _fsync_path(tmp)
            os.replace(tmp, final)
            dirs.add(final.parent)
        for d in sorted(dirs):
            _fsync_dir(d)
        done = self.final_paths
        self._pending = []
        self._unsynced.clear()
        return done

    def discard(self) -> None:
        for tmp, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self._pending = []
        for folder in sorted(self._made_dirs, key=lambda d: len(d.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty: something else wrote there
                folder.rmdir()
        self._made_dirs = []


def _fsync_path(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """One file, atomically (used for the manifest and the card)."""
    files = AtomicFiles(path.parent)
    files.write_bytes(path.name, data)
    files.commit()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
