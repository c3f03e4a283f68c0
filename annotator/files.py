"""Small file-system helpers shared by exports, bundles and backups (no Qt, no database).

Files that appear under a user's chosen name get the permissions a plain `open()` would give
them (0666 less the umask), not the 0600 of a temporary file; everything reaches the disk
(fsync of the file and of its folder) before it is renamed into place.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:  # elsewhere: set and restore at once (no file is created meanwhile here)
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new regular file gets from open(): 0666 less the umask."""
    return 0o666 & ~current_umask()


def folder_mode() -> int:
    """The mode a new folder gets from mkdir(): 0777 less the umask."""
    return 0o777 & ~current_umask()


def fsync_path(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def fsync_dir(path: Path) -> None:
    if os.name != "posix":  # folders cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (another user's process counts as running)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def printable_path(path: object) -> str:
    """A file name safe to print on one terminal line: control characters, line breaks,
    bidirectional overrides (which reorder what the reader sees) and undecodable bytes are
    shown as escapes (\\n, \\x1b, \\u202e, \\udcff)."""
    text = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    if text.isprintable() and _BIDI.isdisjoint(text):
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if ch in _BIDI or not ch.isprintable() else ch
        for ch in text
    )


# Explicit directional formatting characters (LRE..RLO, LRI..PDI, LRM/RLM/ALM).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
