"""`annotator db check|backup|upgrade`: keep the database file healthy.

`check` and `backup` open the file without migrating it, so they are safe on a database written
by another version; `upgrade` is the explicit form of what start-up does (backup, then migrate).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import URL, create_engine
from sqlalchemy.exc import DBAPIError

from annotator.storage.check import check_database
from annotator.storage.engine import BUSY_TIMEOUT_MS, Database, make_engine, resolve_db_url
from annotator.storage.migrate import (
    DatabaseTooNewError,
    backup,
    current_revision,
    ensure_current,
    head_revision,
)
from annotator.storage.opening import readonly_uri


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="check, back up or upgrade the database")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    c = dbsub.add_parser("check", help="verify the file; exit status 1 on any fault")
    c.set_defaults(func=cmd_check)
    b = dbsub.add_parser("backup", help="copy the database safely, even while the app runs")
    b.add_argument("--out", metavar="PATH", type=Path, help="backup file (default: beside the DB)")
    b.add_argument("--force", action="store_true", help="replace an existing --out file")
    b.set_defaults(func=cmd_backup)
    u = dbsub.add_parser("upgrade", help="back up, then migrate to this version's schema")
    u.set_defaults(func=cmd_upgrade)


def _open_existing(args: argparse.Namespace) -> Database | None:
    """Open without migrating and without the app's connection pragmas (which would, e.g., switch
    a copied file to WAL mode): looking at a file must not change it. None (after a message) when
    the file does not exist."""
    url = resolve_db_url(args.db, create_folder=False)
    if url.get_backend_name() == "sqlite" and url.database and Path(url.database).is_file():
        # Read-only: works on a read-only file or folder, and cannot change anything.
        ro = URL.create(
            "sqlite+pysqlite", database=readonly_uri(Path(url.database)), query={"uri": "true"}
        )
        engine = create_engine(ro, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        url = ro
    elif url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    else:
        engine = make_engine(url)
    db = Database(url, engine)
    path = db.path
    problem = None
    if path is not None and path.is_dir():
        problem = f"{path} is a folder, not a database file"
    elif path is not None and not path.is_file():
        problem = f"no database at {path}"
    elif path is not None and not _looks_like_sqlite(path):
        problem = f"{path} is not an SQLite database (its first bytes say otherwise)"
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        db.dispose()
        return None
    return db


def _looks_like_sqlite(path: Path) -> bool:
    """An SQLite file starts with this header; an empty file is a database not yet written."""
    with path.open("rb") as fh:
        head = fh.read(16)
    return not head or head == b"SQLite format 3\x00"


def _label(db: Database) -> str:
    return str(db.path) if db.path is not None else db.url.render_as_string(hide_password=True)


def cmd_check(args: argparse.Namespace) -> int:
    db = _open_existing(args)
    if db is None:
        return 1
    try:
        faults = check_database(db)
    finally:
        db.dispose()
    for fault in faults:
        print(fault)
    real = [f for f in faults if not f.unchecked]
    if real:
        print(f"{_label(db)}: {len(real)} fault(s) found", file=sys.stderr)
        return 1
    if faults:
        print(
            f"{_label(db)}: could not check everything ({len(faults)} check(s) did not run);"
            " no fault found in the rest",
            file=sys.stderr,
        )
        return 2
    print(
        f"{_label(db)}: ok (integrity, foreign keys, schema, full-text index, texts, spans,"
        " every field's type and range)"
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    db = _open_existing(args)
    if db is None:
        return 1
    try:
        if db.path is None:
            print("error: backups are only supported for SQLite database files", file=sys.stderr)
            return 1
        out = args.out.expanduser() if args.out else None
        if out is not None and out.is_dir():  # a folder: a timestamped file inside it
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            out = out / f"{db.path.stem}.backup-{stamp}{db.path.suffix}"
        if out is not None and out.resolve() == db.path.resolve():
            print("error: --out must differ from the database itself", file=sys.stderr)
            return 1
        if out is not None and out.exists() and not args.force:
            # An earlier backup (or another database) is never replaced by accident.
            print(f"error: {out} already exists; pass --force to replace it", file=sys.stderr)
            return 1
        try:
            dest = backup(db, out)
        except (sqlite3.Error, OSError) as exc:
            print(f"error: cannot back up {db.path}: {exc}", file=sys.stderr)
            return 1
    finally:
        db.dispose()
    print(f"backed up {db.path} to {dest.resolve()}")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    url = resolve_db_url(args.db)
    db = Database(url, make_engine(url))
    head = head_revision()
    try:
        try:
            before = current_revision(db)
        except DBAPIError as exc:
            print(f"error: cannot read {_label(db)}: {exc.orig or exc}", file=sys.stderr)
            return 2
        if before == head:
            print(f"{_label(db)}: already at schema {head}; nothing to do")
            return 0
        try:
            backup_path = ensure_current(db)
        except DatabaseTooNewError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        after = current_revision(db)
    finally:
        db.dispose()
    if before is None:
        print(f"{_label(db)}: created at schema {after}")
    else:
        print(f"{_label(db)}: upgraded schema {before} -> {after}")
    if backup_path is not None:
        print(f"backup of the previous version: {backup_path}")
    return 0
