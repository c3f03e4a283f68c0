"""Helpers shared by CLI commands."""

from __future__ import annotations

import argparse
import getpass
import sys

from annotator.storage.engine import Database
from annotator.storage.migrate import DatabaseTooNewError


def open_db(args: argparse.Namespace) -> Database:
    try:
        return Database.open(args.db)
    except DatabaseTooNewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def default_annotator_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "analyst"
