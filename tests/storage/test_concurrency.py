"""Two connections on one database file: the GUI reading and writing while an import, a second
app instance or a bundle merge writes. Units of work wait for each other; none fails."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import OperationalError

from annotator.storage import schema
from annotator.storage.engine import Database


def _project_count(db: Database) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(schema.Project)) or 0)


@pytest.fixture
def two(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "shared.sqlite3"
    first, second = Database.open(path), Database.open(path)
    yield first, second
    first.dispose()
    second.dispose()


def test_read_then_write_survives_a_concurrent_writer(two) -> None:  # type: ignore[no-untyped-def]
    """A unit of work that reads, then writes, while another connection writes in between.

    With a deferred BEGIN the first would fail at its write ("database is locked": SQLite cannot
    upgrade a stale read snapshot, and does not wait). It must instead hold the write lock from
    the start, and the other writer waits for it."""
    first, second = two
    has_read, other_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def other_writer() -> None:
        has_read.wait(10)
        try:
            with second.session() as s:
                s.execute(insert(schema.Project).values(name="written meanwhile"))
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            other_done.set()

    thread = threading.Thread(target=other_writer)
    thread.start()
    with first.session() as s:
        seen = s.scalar(select(func.count()).select_from(schema.Project))
        has_read.set()
        # The other writer is blocked on our lock, so it cannot finish while we hold it.
        assert not other_done.wait(0.3)
        s.execute(insert(schema.Project).values(name=f"after seeing {seen}"))
    thread.join(15)
    assert errors == []
    with first.reader() as s:
        names = set(s.scalars(select(schema.Project.name)))
    assert names == {"after seeing 0", "written meanwhile"}


def test_a_reader_never_waits_for_a_writer(two) -> None:  # type: ignore[no-untyped-def]
    first, second = two
    with first.session() as s:
        s.execute(insert(schema.Project).values(name="committed"))
    holding, release = threading.Event(), threading.Event()

    def long_writer() -> None:
        with second.session() as s:
            s.execute(insert(schema.Project).values(name="uncommitted"))
            holding.set()
            release.wait(15)

    thread = threading.Thread(target=long_writer)
    thread.start()
    try:
        assert holding.wait(10)
        # Would block (then fail after the busy timeout) if readers took the write lock.
        assert _project_count(first) == 1
    finally:
        release.set()
        thread.join(15)
    assert _project_count(first) == 2


def test_a_reader_refuses_to_write_and_leaves_the_connection_writable(db: Database) -> None:
    with pytest.raises(OperationalError, match="readonly"), db.reader() as s:
        s.execute(insert(schema.Project).values(name="sneaky"))
    assert _project_count(db) == 0
    with db.session() as s:  # the pooled connection is writable again
        s.execute(insert(schema.Project).values(name="fine"))
    assert _project_count(db) == 1


def test_a_nested_write_session_fails_at_once_instead_of_deadlocking(db: Database) -> None:
    with db.session() as s:
        s.execute(insert(schema.Project).values(name="outer"))
        with pytest.raises(RuntimeError, match="inside another"), db.session():
            pass
        with db.reader() as r:  # reading meanwhile is fine (it sees the last commit)
            assert r.scalar(select(func.count()).select_from(schema.Project)) == 0
    assert _project_count(db) == 1
    with db.session() as s:  # the guard is released
        s.execute(insert(schema.Project).values(name="next"))
    assert _project_count(db) == 2
