"""Atomic export folders: everything is written into a fresh hidden folder beside the target
(`.NAME.export-PID-XXXX`), fsynced, and swapped in with one rename when the whole export
succeeded (`AtomicFiles.commit`). Until that rename the previous export stays whole; after it
the new one is whole. A crash at any point leaves one or the other, never a mix: the leftover
hidden folder is removed by the next export into the same place. A failed export (disk full)
never leaves an empty or partial output folder behind.

Replacing an earlier export (a folder with our manifest.json): its files that this export does
not write again (other options, or something the user put there) are carried over into the new
folder (hard link, else copy) and reported, never deleted. A folder that is not an export (the
user's Desktop, say) is never swapped away: the files are renamed into it one by one, the
manifest last, so a folder without a manifest is recognisably an export that did not finish.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from annotator.files import file_mode, folder_mode, fsync_dir, fsync_path, pid_alive

STAGING_TAG = ".export-"
STALE_AFTER_S = 24 * 3600  # a staging folder this old is stale even if its pid was reused
MANIFEST = "manifest.json"
MAX_CARRIED = 100_000  # an earlier export folder holding more than this is treated as the user's


class ExportFolderError(OSError):
    """The output folder cannot take an export (a file is in the way, an unreadable folder)."""


class AtomicFiles:
    """The files of one export, staged beside `root` and swapped in by `commit()`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.abspath(root))
        if self.root.is_symlink():
            self.root = self.root.resolve()  # swap the real folder, not the link to it
        if self.root.exists() and not self.root.is_dir():
            raise ExportFolderError(errno.ENOTDIR, "it is a file, not a folder")
        self._mode = _mode(self.root)
        self._pending: list[tuple[Path, Path]] = []  # (staged, final)
        self._written: set[Path] = set()  # staged files opened by libraries (fsync at commit)
        self._made_parents: list[Path] = []
        self.carried: list[str] = []  # files kept from the folder replaced (relative paths)
        self.staging: Path | None = None

    # -- writing ---------------------------------------------------------------------------------
    def _stage(self) -> Path:
        if self.staging is None:
            parent = self.root.parent
            if not parent.is_dir():
                missing = [d for d in (parent, *parent.parents) if not d.exists()]
                parent.mkdir(parents=True, exist_ok=True)
                self._made_parents = missing
            remove_stale_staging(self.root)
            token = secrets.token_hex(4)
            staging = parent / f".{self.root.name}{STAGING_TAG}{os.getpid()}-{token}"
            staging.mkdir(mode=0o700)
            self.staging = staging
        return self.staging

    def _path_for(self, relpath: str) -> tuple[Path, Path]:
        staged = self._stage() / relpath
        staged.parent.mkdir(parents=True, exist_ok=True)
        final = self.root / relpath
        self._pending.append((staged, final))
        return staged, final

    @contextlib.contextmanager
    def open_text(self, relpath: str, newline: str | None = "\n") -> Iterator[IO[str]]:
        """A text file (UTF-8, LF unless `newline` says otherwise), buffered for fast streaming."""
        staged, _ = self._path_for(relpath)
        with open(staged, "w", encoding="utf-8", newline=newline, buffering=1 << 20) as fh:
            yield fh

    @contextlib.contextmanager
    def open_binary(self, relpath: str) -> Iterator[IO[bytes]]:
        staged, _ = self._path_for(relpath)
        with open(staged, "wb", buffering=1 << 20) as fh:
            yield fh

    def temp_path(self, relpath: str) -> Path:
        """A path for libraries that write files themselves (Parquet, DocBin)."""
        staged, _ = self._path_for(relpath)
        return staged

    def write_bytes(self, relpath: str, data: bytes) -> None:
        with self.open_binary(relpath) as fh:
            fh.write(data)

    def write_text(self, relpath: str, data: str) -> None:
        with self.open_text(relpath) as fh:
            fh.write(data)

    def pending(self) -> list[tuple[Path, Path]]:
        """(staged, final) for every file written so far and not yet committed."""
        return list(self._pending)

    @property
    def final_paths(self) -> list[Path]:
        return [final for _, final in self._pending]

    # -- committing ------------------------------------------------------------------------------
    def commit(self) -> list[Path]:
        """Make the staged folder the output folder in one rename; returns the final paths."""
        staging = self._stage()
        written = {staged.relative_to(staging) for staged, _ in self._pending}
        if self._mode == "into":
            _finish_tree(staging, set())
            done = self._rename_each(staging)
            shutil.rmtree(staging, ignore_errors=True)
            self.staging = None
            return done
        if self._mode == "replace":
            self.carried = _carry_over(self.root, staging, written)
        _finish_tree(staging, {Path(p) for p in self.carried})
        done = self.final_paths
        old = _swap_in(staging, self.root)
        self.staging = None
        self._pending = []
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return done

    def _rename_each(self, staging: Path) -> list[Path]:
        """Into a folder that is not an export: file by file, the manifest last."""
        order = sorted(self._pending, key=lambda p: p[1].name == MANIFEST)
        folders: set[Path] = set()
        for staged, final in order:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
            folders.add(final.parent)
        for folder in sorted(folders):
            fsync_dir(folder)
        done = self.final_paths
        self._pending = []
        return done

    def discard(self) -> None:
        """Drop everything staged; the output folder (and what it held) is as before."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self._pending = []
        for folder in sorted(self._made_parents, key=lambda d: len(d.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty: something else wrote there
                folder.rmdir()
        self._made_parents = []


def _mode(root: Path) -> str:
    """ "new": nothing there (or an empty folder); "replace": an earlier export, swapped;
    "into": a folder of other files, written into file by file."""
    if not root.is_dir():
        return "new"
    try:
        entries = [e.name for e in os.scandir(root) if not _our_leftover(e.name)]
    except OSError as exc:
        raise ExportFolderError(exc.errno, f"cannot read it: {exc.strerror or exc}") from exc
    if not entries:
        return "new"
    if MANIFEST in entries and _is_our_manifest(root / MANIFEST) and _small_tree(root):
        return "replace"
    return "into"


def _small_tree(root: Path) -> bool:
    count = 0
    for _folder, dirs, files in os.walk(root):
        count += len(dirs) + len(files)
        if count > MAX_CARRIED:
            return False
    return True


def _is_our_manifest(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read(4 << 20))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "files" in data


def _our_leftover(name: str) -> bool:
    """Temporary files of an earlier version's per-file renames (`.NAME.xxxx.tmp`)."""
    return name.startswith(".") and name.endswith(".tmp")


def _carry_over(root: Path, staging: Path, written: set[Path]) -> list[str]:
    """Hard-link (else copy) into `staging` every file of `root` this export does not write."""
    carried: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root)
        for name in [*files, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))]:
            rel = rel_folder / name
            if rel in written or _our_leftover(name):
                continue
            src = Path(folder) / name
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            mode = os.lstat(src).st_mode
            if stat.S_ISLNK(mode):
                os.symlink(os.readlink(src), dest)
            elif stat.S_ISREG(mode):
                try:
                    os.link(src, dest)
                except OSError:
                    shutil.copy2(src, dest)
            else:
                continue  # a FIFO or socket is nobody's export file: not carried
            carried.append(rel.as_posix())
    return sorted(carried)


def _finish_tree(staging: Path, carried: set[Path]) -> None:
    """fsync every file written and every folder, and give them the modes plain open() and
    mkdir() would (the carried-over files are the user's: left as they are)."""
    fmode, dmode = file_mode(), folder_mode()
    for folder, _dirs, files in os.walk(staging, topdown=False):
        for name in files:
            path = Path(folder) / name
            if path.is_symlink() or path.relative_to(staging) in carried:
                continue
            os.chmod(path, fmode)
            fsync_path(path)
        os.chmod(folder, dmode)
        fsync_dir(Path(folder))


def _swap_in(staging: Path, root: Path) -> Path | None:
    """Rename `staging` to `root`. Returns where the replaced folder went (to be removed)."""
    try:
        os.rename(staging, root)  # no folder there, or an empty one: one plain rename
        fsync_dir(root.parent)
        return None
    except OSError as exc:
        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
            raise
    if _exchange(staging, root):  # one atomic syscall: the old export now sits at `staging`
        fsync_dir(root.parent)
        return staging
    # No atomic exchange here: two renames, the old folder moved aside first.
    aside = root.parent / f".{root.name}{STAGING_TAG}{os.getpid()}-old-{secrets.token_hex(4)}"
    os.rename(root, aside)
    os.rename(staging, root)
    fsync_dir(root.parent)
    return aside


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths atomically. False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # e.g. a file system without exchange support
    raise OSError(err, os.strerror(err), str(b))


def remove_stale_staging(root: Path) -> int:
    """Remove hidden staging folders beside `root` left by killed exports. Returns how many."""
    parent = root.parent
    prefix = f".{root.name}{STAGING_TAG}"
    removed = 0
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
            continue
        pid_text = entry.name[len(prefix) :].split("-", 1)[0]
        try:
            pid = int(pid_text)
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except (ValueError, OSError):
            continue
        if pid != os.getpid() and (not pid_alive(pid) or age > STALE_AFTER_S):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
    return removed


def write_atomic(path: Path, data: bytes) -> None:
    """One file, atomically: a temporary name beside it, fsynced, then renamed into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
