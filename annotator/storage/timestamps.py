"""Timestamps as SQLite stores them, without the sqlite3 default adapters.

Python 3.12 deprecated sqlite3's default `datetime`/`date` adapters (a later Python drops them).
The ORM's `DateTime` type formats values itself; raw SQL (`text()` binds, sqlite3 cursors) relied
on the default adapter. Registering explicit adapters here, in the same format SQLAlchemy's SQLite
dialect writes, makes both paths store identical strings on every Python version.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime


def to_db_datetime(value: datetime) -> str:
    """A datetime as the database stores it: naive UTC, microseconds always present."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    # Not strftime: glibc's %Y does not zero-pad years before 1000.
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def to_db_date(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def register_sqlite_adapters() -> None:
    """Install the explicit adapters (idempotent; sqlite3 keeps one adapter per type)."""
    sqlite3.register_adapter(datetime, to_db_datetime)
    sqlite3.register_adapter(date, to_db_date)
