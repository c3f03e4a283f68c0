"""Helpers shared by CLI commands."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from annotator.storage.engine import DB_ENV_VAR, Database, DatabaseLocationError, resolve_db_url


def open_db(args: argparse.Namespace, *, must_exist: bool = False) -> Database:
    """Open (creating or upgrading) the database. With `must_exist`, a command that only reads
    refuses a --db / $ANNOTATOR_DB file that does not exist, instead of creating an empty one at
    a mistyped path and reporting on it, and never writes to the file (an empty file is not
    given a schema; a file in a read-only place is read as it is)."""
    if must_exist and (args.db is not None or os.environ.get(DB_ENV_VAR)):
        url = resolve_db_url(args.db, create_folder=False)
        path = url.database if url.get_backend_name() == "sqlite" else None
        if path and path != ":memory:" and not Path(path).is_file():
            raise DatabaseLocationError(f"no database at {path}")
    return Database.open(args.db, read_only=must_exist)  # DatabaseRefused: main says it, exit 2


def default_annotator_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "analyst"
