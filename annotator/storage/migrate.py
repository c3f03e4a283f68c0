"""Schema versioning with Alembic, applied at start-up.

A new database is created at head; an older one is backed up (SQLite backup API, timestamped file
beside it) and then upgraded; one stamped by a newer version of the app is refused.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from annotator.storage.opening import DatabaseRefused

if TYPE_CHECKING:
    from annotator.storage.engine import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseTooNewError(DatabaseRefused):
    """The database was written by a newer Annotator; opening it could corrupt it."""


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> None:
    with write_locked(db) as conn:
        _run_upgrade(conn, revision)


def _run_upgrade(conn: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


@contextmanager
def write_locked(db: Database) -> Iterator[Connection]:
    """One transaction holding SQLite's write lock from its start (BEGIN IMMEDIATE).

    Two app instances started at once on an old database then migrate it one after the other:
    the second waits (busy timeout), re-reads the revision and finds nothing left to do, instead
    of failing on a stale snapshot or running the same DDL twice.
    """
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            yield conn
        return
    from annotator.storage.engine import _set_sqlite_pragmas, begin_immediate

    engine = create_engine(db.url, poolclass=NullPool)
    event.listen(engine, "connect", _set_sqlite_pragmas)
    event.listen(engine, "begin", begin_immediate)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def backup(db: Database, dest: Path | None = None, *, label: str = "backup") -> Path:
    """Copy a live SQLite database with the backup API (consistent even while in use)."""
    src_path = db.path
    if src_path is None:
        raise ValueError("backups are only supported for SQLite file databases")
    if dest is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        dest = src_path.with_name(f"{src_path.stem}.{label}-{stamp}{src_path.suffix}")
        n = 1
        while dest.exists():
            dest = src_path.with_name(f"{src_path.stem}.{label}-{stamp}-{n}{src_path.suffix}")
            n += 1
    for side in ("-wal", "-journal"):
        # A replaced file's leftover log would be replayed into the copy and corrupt it.
        stale = dest.with_name(dest.name + side)
        if stale.is_file() and stale.stat().st_size > 0:
            raise OSError(
                f"{dest} is a database that is open or was not closed cleanly"
                f" ({stale.name} beside it); choose another file"
            )
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(dest.parent)
    # Copy to a side file and rename: a failed or killed backup never leaves a truncated file
    # that looks like a good backup (nor litter when the source cannot be read).
    partial = dest.with_name(f"{dest.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(src_path)
        try:
            out = sqlite3.connect(partial)
            try:
                src.backup(out)
            finally:
                out.close()
        finally:
            src.close()
        os.replace(partial, dest)
    except BaseException:
        for side in _PARTIAL_SIDES:  # the copy and SQLite's journal of it (a full disk)
            partial.with_name(partial.name + side).unlink(missing_ok=True)
        raise
    return dest


_PARTIAL_SIDES = ("", "-journal", "-wal", "-shm")


def remove_stale_partials(folder: Path) -> int:
    """Remove `NAME.PID.partial` copies left by a backup or upgrade that was killed (their
    process is gone). Returns how many."""
    from annotator.files import pid_alive

    removed = 0
    try:
        candidates = list(folder.glob("*.partial*"))
    except OSError:
        return 0
    for path in candidates:
        stem, dot, side = path.name.rpartition(".partial")
        if not dot or side not in _PARTIAL_SIDES:
            continue
        pid_text = stem.rsplit(".", 1)[-1]
        if pid_text.isdigit() and not pid_alive(int(pid_text)):
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def _where(db: Database) -> str:
    """The file path for SQLite files (what users recognise), else the URL without password."""
    return str(db.path) if db.path is not None else db.url.render_as_string(hide_password=True)


def ensure_current(db: Database) -> Path | None:
    """Bring the database to head. Returns the backup path when an upgrade was needed."""
    try:
        current = current_revision(db)
    except DBAPIError as exc:
        # e.g. "file is not a database": say so in one line instead of a traceback
        reason = " ".join(str(exc.orig or exc).split())
        raise DatabaseTooNewError(
            f"{_where(db)} cannot be opened as an Annotator"
            f" database ({reason}); the file was not changed."
        ) from exc
    head = head_revision()
    if db.path is not None:
        remove_stale_partials(db.path.parent)  # a killed backup or upgrade of an earlier run
    if current == head:
        return None
    with db.engine.connect() as conn:
        # Re-read in this connection's snapshot: another instance may have created the schema
        # since the first read, and its tables must not be judged against that stale revision.
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return None
        _refuse_foreign(db, conn, current, head)
    with write_locked(db) as conn:
        # Re-read under the lock: another instance may have just upgraded it.
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return None
        _refuse_foreign(db, conn, current, head)
        backup_path = None
        if current is not None and db.path is not None:
            backup_path = backup(db, label=f"pre-{head}")
        _run_upgrade(conn, "head")
    return backup_path


def _refuse_foreign(db: Database, conn: Connection, current: str | None, head: str) -> None:
    """Raise for a database this version must not touch: newer, or not Annotator's at all."""
    if current is None:
        if inspect(conn).get_table_names():
            raise DatabaseTooNewError(
                f"{_where(db)} holds tables but no schema version;"
                " it is not an Annotator database (or was damaged)."
            )
    elif current not in known_revisions():
        raise DatabaseTooNewError(
            f"This database ({_where(db)}) was written by a newer"
            f" version of Annotator (schema {current}; this version knows up to {head})."
            " Upgrade Annotator to open it; the file was not changed."
        )
