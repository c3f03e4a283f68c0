"""Engine and session factory: SQLite in WAL mode, foreign keys on, synchronous=FULL.

One `Database` per process; one session per unit of work via `db.session()`, which commits on
success and rolls back on any exception, so an edit is either wholly stored or not at all.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.storage.timestamps import register_sqlite_adapters

APP_NAME = "annotator"
DB_ENV_VAR = "ANNOTATOR_DB"
BUSY_TIMEOUT_MS = 10_000
# After the busy timeout, a writer says it is waiting (and for whom) and goes on waiting up to
# this long in all before giving up with a message naming the lock holder.
LOCK_WAIT_MAX_S = 120.0


def _print_notice(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Told once per wait that a write waits for another program's lock (the CLI prints it).
lock_notice = _print_notice

# Raw SQL binds datetimes too: explicit adapters, never sqlite3's deprecated defaults.
register_sqlite_adapters()


class DatabaseLocationError(ValueError):
    """`--db` / $ANNOTATOR_DB names no usable place: an unknown URL or driver, an unmakeable folder."""


def default_db_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "annotator.sqlite3"


def resolve_db_url(db: str | os.PathLike[str] | None = None, *, create_folder: bool = True) -> URL:
    """`--db` wins, then $ANNOTATOR_DB (a path or a SQLAlchemy URL), then the user data dir.
    The file's folder is created unless `create_folder` is false (only looking at a file)."""
    value = os.fspath(db) if db is not None else os.environ.get(DB_ENV_VAR) or None
    if value is not None and not value.strip():
        raise DatabaseLocationError('the database location is empty (--db "")')
    if value is None:
        path = default_db_path()
    elif "://" in value:
        try:
            return make_url(value)
        except ArgumentError as exc:
            raise DatabaseLocationError(f"cannot use the database URL {value}: {exc}") from exc
    else:
        path = Path(value).expanduser()
    try:
        if create_folder:
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseLocationError(
            f"cannot create the folder for the database {path}: {exc.strerror or exc}"
        ) from exc
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # pysqlite's implicit transactions would defeat BEGIN IMMEDIATE; SQLAlchemy issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


# Execution option naming a session's kind, read by `_begin`.
SESSION_KIND = "annotator_session"


def _begin(conn) -> None:  # type: ignore[no-untyped-def]
    kind = conn.get_execution_options().get(SESSION_KIND)
    if kind == "write":
        # A unit of work that may write takes the write lock up front. A deferred transaction
        # that reads and then writes fails at once ("database is locked", no busy wait) when
        # another connection wrote meanwhile: SQLite cannot upgrade a stale read snapshot.
        conn.exec_driver_sql("PRAGMA query_only=0")  # the pooled connection may come from a reader
        begin_immediate(conn)
    else:
        # Deferred BEGIN: in WAL mode readers never wait for a writer (the GUI reads while an
        # import writes). A reader session is also query_only, so a write there fails loudly.
        conn.exec_driver_sql(f"PRAGMA query_only={1 if kind == 'read' else 0}")
        conn.exec_driver_sql("BEGIN")


def _is_locked(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "database is locked" in text or "database is busy" in text


def begin_immediate(conn) -> None:  # type: ignore[no-untyped-def]
    """BEGIN IMMEDIATE, waiting for another program's write lock: after the busy timeout, say
    once who holds it, then keep waiting up to LOCK_WAIT_MAX_S before giving up in one line."""
    started = time.monotonic()
    told = False
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if not _is_locked(exc):
                raise
            from annotator.storage.opening import DatabaseRefused, busy_message

            where = conn.engine.url.database or "the database"
            waited = time.monotonic() - started
            if waited + BUSY_TIMEOUT_MS / 1000 > LOCK_WAIT_MAX_S:
                raise DatabaseRefused(busy_message(where, waited)) from exc
            if not told:
                told = True
                who = busy_message(where).split(" is busy: ", 1)[-1].split(";")[0]
                lock_notice(f"waiting for {where}: {who}; retrying (Ctrl+C to stop)")


def make_engine(url: URL) -> Engine:
    is_sqlite = url.get_backend_name() == "sqlite"
    try:
        engine = create_engine(url, future=True)
    except (ArgumentError, ImportError) as exc:  # unknown dialect, driver not installed
        where = url.render_as_string(hide_password=True)
        raise DatabaseLocationError(f"cannot use the database URL {where}: {exc}") from exc
    if is_sqlite:
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin)
    return engine


def _file_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None
    return Path(url.database)


def _preflight(url: URL, path: Path, *, read_only: bool) -> URL:
    """Refuse a file the command must not change; the URL to open it with otherwise."""
    from annotator.storage.opening import (
        DatabaseRefused,
        damaged_message,
        inspect_file,
        quick_check,
        readonly_message,
        readonly_uri,
    )

    if path.is_dir():
        raise DatabaseRefused(f"{path} is a folder, not a database file")
    state = inspect_file(path)
    if state.foreign:
        raise DatabaseRefused(
            f"{path} holds tables but no schema version; it is not an Annotator database"
            " (or was damaged). The file was not changed."
        )
    if read_only:
        if state.empty:
            raise DatabaseRefused(
                f"{path} holds no Annotator data yet (an empty database); nothing to read."
            )
        if not state.writable:
            # Readers never write; where SQLite could not even make its side files, read as is.
            return URL.create("sqlite+pysqlite", database=readonly_uri(path), query={"uri": "true"})
        return url
    if not state.writable:
        raise DatabaseRefused(readonly_message(path))
    if state.size:
        problems = quick_check(path)
        if problems:
            raise DatabaseRefused(damaged_message(path, problems[0]))
    return url


class Database:
    """The application's database: engine, URL, and unit-of-work sessions."""

    def __init__(self, url: URL, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, future=True)
        self._writing = threading.local()  # per thread: inside a write session?

    @classmethod
    def open(
        cls,
        db: str | os.PathLike[str] | None = None,
        *,
        migrate: bool = True,
        read_only: bool = False,
    ) -> Database:
        """Open the database named by `db` / env / default: created (or upgraded) as needed.

        An SQLite file is looked at first through a plain read-only connection, so a file that
        must not be changed is refused (DatabaseRefused) before the app's pragmas touch it:
        not an Annotator database, damaged (quick check), read-only when writing. With
        `read_only` (commands that only read) an empty file is refused instead of given a
        schema, and a file in a read-only place is opened read-only."""
        url = resolve_db_url(db)
        path = _file_path(url)
        if migrate and path is not None and path.exists():  # migrate=False: a raw look (tools)
            url = _preflight(url, path, read_only=read_only)
        engine = make_engine(url)
        database = cls(url, engine)
        if migrate:
            from annotator.storage.migrate import ensure_current

            try:
                ensure_current(database)
            except BaseException:
                # Release the file (and SQLite's -wal/-shm side files) of a refused database.
                engine.dispose()
                raise
        return database

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def path(self) -> Path | None:
        if self.is_sqlite and self.url.database and self.url.database != ":memory:":
            name = self.url.database
            if name.startswith("file:"):  # a read-only URI: the path before its parameters
                from urllib.parse import unquote

                return Path(unquote(name[5:].split("?", 1)[0]))
            return Path(name)
        return None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work that may write: it holds SQLite's write lock from its first statement
        (other writers wait up to the busy timeout), commits on success, rolls back on error."""
        if getattr(self._writing, "active", False):
            # The inner BEGIN IMMEDIATE would wait for the outer one's lock: a certain deadlock
            # until the busy timeout. Fail at once, naming the mistake.
            raise RuntimeError("a write session was opened inside another on the same thread")
        self._writing.active = True
        try:
            with self._sessions() as session, session.begin():
                session.connection(execution_options={SESSION_KIND: "write"})
                yield session
        finally:
            self._writing.active = False

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only unit of work: one consistent snapshot that never waits for writers."""
        with self._sessions() as session, session.begin():
            session.connection(execution_options={SESSION_KIND: "read"})
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
