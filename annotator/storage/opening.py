"""Looking at a database file before the app's connection touches it, and saying in one line
what is wrong with it.

The app's connections switch a file to WAL mode and create a schema in an empty one; a file that
must not be changed (someone else's SQLite file, a read-only copy, a damaged file, an empty file
a reading command was pointed at) is refused here first, through a plain read-only connection.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
QUICK_CHECK_ROWS = 5  # the first few problems are enough to refuse and to report


class DatabaseRefused(RuntimeError):
    """The database cannot be used for this command; the message is one line for the user and
    says the file was not changed and what to do."""


@dataclass(slots=True)
class FileState:
    path: Path
    size: int = 0
    sqlite: bool = True
    wal: bool = False  # the header says WAL mode (ours always are)
    tables: list[str] = field(default_factory=list)
    revision: str | None = None
    writable: bool = True  # the file and its folder (WAL needs -wal and -shm beside it)

    @property
    def empty(self) -> bool:
        """A 0-byte file, or an SQLite file with no table: nothing to read yet."""
        return self.size == 0 or not self.tables

    @property
    def foreign(self) -> bool:
        """Tables but no schema version: not an Annotator database."""
        return bool(self.tables) and "alembic_version" not in self.tables


def writable(path: Path) -> bool:
    folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


def readonly_uri(path: Path) -> str:
    """A read-only SQLite URI. In a folder where SQLite cannot create the -shm side file of a
    WAL database, `immutable` is the only way to read it (nobody can write there either)."""
    uri = f"file:{_quote(path)}?mode=ro"
    shm = path.with_name(path.name + "-shm")
    if not os.access(path.parent, os.W_OK) and not shm.exists():
        uri += "&immutable=1"
    return uri


def _quote(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path), safe="/")


def connect_readonly(path: Path, timeout: float = 10.0) -> sqlite3.Connection:
    return sqlite3.connect(readonly_uri(path), uri=True, timeout=timeout)


def inspect_file(path: Path) -> FileState:
    """What the file is, read without changing it. Raises DatabaseRefused when it cannot be
    read at all (not SQLite, damaged header, no permission)."""
    state = FileState(path)
    try:
        state.size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise DatabaseRefused(f"{path}: cannot read the database file: {exc.strerror}") from exc
    state.writable = writable(path)
    if state.size == 0:
        return state
    if not header.startswith(SQLITE_MAGIC):
        state.sqlite = False
        raise DatabaseRefused(
            f"{path} is not an SQLite database (its first bytes say otherwise);"
            " the file was not changed."
        )
    state.wal = len(header) > 19 and header[18] == 2 and header[19] == 2
    try:
        with contextlib.closing(connect_readonly(path)) as conn:
            state.tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            if "alembic_version" in state.tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                state.revision = row[0] if row else None
    except sqlite3.Error as exc:
        raise DatabaseRefused(damaged_message(path, exc)) from exc
    return state


def quick_check(path: Path) -> list[str]:
    """SQLite's quick_check (page structure, no index cross-check): problems, [] when sound."""
    try:
        with contextlib.closing(connect_readonly(path)) as conn:
            rows = conn.execute(f"PRAGMA quick_check({QUICK_CHECK_ROWS})").fetchall()
    except sqlite3.Error as exc:
        return [_one_line(exc)]
    problems = [
        line.strip()
        for (msg,) in rows
        for line in str(msg).splitlines()
        if line.strip() and line != "ok" and not line.startswith("*** in database")
    ]
    return problems or _fts_problems(path)


def _fts_problems(path: Path) -> list[str]:
    """The full-text index's own structure check (its pages are blobs quick_check cannot
    judge): tens of milliseconds for ten thousand articles. It is written as an INSERT, so it
    runs in a transaction that is rolled back; skipped while another program writes."""
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=0.5, isolation_level=None)) as conn:
            if not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'documents_fts'"
            ).fetchone():
                return []
            conn.execute("BEGIN")
            try:
                conn.execute(
                    "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 0)"
                )
            finally:
                conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return []
        return [f"full-text index: {_one_line(exc)}"]
    except sqlite3.DatabaseError as exc:
        return [f"full-text index: {_one_line(exc)}"]
    return []


def damaged_message(path: Path | str, detail: object) -> str:
    return (
        f"{path} is damaged ({_one_line(detail)}); nothing was changed. Run `annotator db check`"
        " to see the faults, and restore a backup (a file named *.backup-* or *.pre-* beside it,"
        " or one made with `annotator db backup`)."
    )


def readonly_message(path: Path | str) -> str:
    return (
        f"{path} is read-only (the file or its folder cannot be written); nothing was changed."
        " Copy it to a writable folder, or fix its permissions, and try again."
    )


def _one_line(detail: object) -> str:
    orig = getattr(detail, "orig", None)
    return " ".join(str(orig or detail).split())


def holders(path: Path) -> list[str]:
    """Other processes that have the database (or its -wal) open: "pid 123 (annotator import
    ...)". Linux /proc only; [] where that cannot be seen."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    names = {str(path), f"{path}-wal", f"{path}-journal"}
    found: list[str] = []
    me = os.getpid()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            fds = list((entry / "fd").iterdir())
            if not any(os.readlink(fd) in names for fd in fds):
                continue
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append(f"pid {entry.name} ({_short(cmd.strip()) or '?'})")
    return found


def _short(cmd: str, limit: int = 60) -> str:
    cmd = " ".join(cmd.split())  # one line, whatever the command line held
    return cmd if len(cmd) <= limit else cmd[: limit - 1] + "…"


def busy_message(path: Path | str, waited_s: float | None = None) -> str:
    who = holders(Path(path)) if not str(path).startswith(("postgresql", "mysql")) else []
    held = f" by {', '.join(who)}" if who else " by another program"
    waited = f" for {waited_s:.0f} s" if waited_s else ""
    return (
        f"{path} is busy: its write lock is held{held}{waited}; nothing was changed."
        " Try again when that program has finished (or close it)."
    )


def explain(exc: BaseException, where: Path | str) -> str | None:
    """One line for a database-related failure, with the way out; None when it is not one."""
    if isinstance(exc, DatabaseRefused):
        return str(exc)
    text = _one_line(exc)
    low = text.lower()
    if (
        "database is locked" in low
        or "database is busy" in low
        or "database table is locked" in low
    ):
        return busy_message(where)
    if "readonly" in low or "read-only" in low:
        return readonly_message(where)
    if "database or disk is full" in low or "no space left" in low:
        return f"{where}: the disk is full; nothing was changed. Free some space and try again."
    if "unable to open database file" in low:
        return (
            f"cannot open {where} (its folder is missing, not readable, or read-only);"
            " nothing was changed."
        )
    if any(
        s in low
        for s in (
            "malformed",
            "not a database",
            "disk i/o error",
            "couldn't parse",
            "invalid isoformat",
            "could not decode",
            "database corrupt",
        )
    ):
        return damaged_message(where, text)
    orig = getattr(exc, "orig", None) or exc
    if type(orig) is sqlite3.DatabaseError:  # the base class: a file SQLite cannot make sense of
        return damaged_message(where, text)
    return None
