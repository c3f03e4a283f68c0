"""Schema versioning with Alembic, applied at start-up.

A new database is created at head; an older one is backed up (SQLite backup API, timestamped file
beside it) and then upgraded; one stamped by a newer version of the app is refused.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from annotator.storage.engine import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseTooNewError(RuntimeError):
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
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


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
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Copy to a side file and rename: a failed or killed backup never leaves a truncated file
    # that looks like a good backup (nor litter when the source cannot be read).
    partial = dest.with_name(dest.name + ".partial")
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
        partial.unlink(missing_ok=True)
        raise
    return dest


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
    if current == head:
        return None
    if current is None:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if tables:
            raise DatabaseTooNewError(
                f"{_where(db)} holds tables but no schema version;"
                " it is not an Annotator database (or was damaged)."
            )
        upgrade(db)
        return None
    if current not in known_revisions():
        raise DatabaseTooNewError(
            f"This database ({_where(db)}) was written by a newer"
            f" version of Annotator (schema {current}; this version knows up to {head})."
            " Upgrade Annotator to open it; the file was not changed."
        )
    backup_path = backup(db, label=f"pre-{head}") if db.path is not None else None
    upgrade(db)
    return backup_path
