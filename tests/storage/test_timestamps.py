"""Timestamps bound through raw SQL are stored exactly as the ORM stores them, on every Python,
without sqlite3's deprecated default adapters."""

from __future__ import annotations

import sqlite3
import warnings
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from annotator.storage.engine import Database
from annotator.storage.schema import Project
from annotator.storage.timestamps import to_db_datetime


def test_raw_sql_and_orm_store_the_same_text(db: Database) -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5)  # no microseconds: the default adapter dropped them
    with db.session() as s:
        s.add(Project(id="p-orm", name="orm", created_at=moment, updated_at=moment))
        s.flush()
        s.execute(
            text(
                "INSERT INTO projects (id, name, description, guidelines, created_at, updated_at)"
                " VALUES ('p-raw', 'raw', '', '', :t, :t)"
            ),
            {"t": moment},
        )
    with db.reader() as s:
        stored = dict(s.execute(text("SELECT id, created_at FROM projects")).all())
        orm = s.get(Project, "p-raw")
        assert orm is not None and orm.created_at == moment
    assert stored["p-orm"] == stored["p-raw"] == "2026-01-02 03:04:05.000000"


def test_binding_datetimes_raises_no_deprecation_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        conn = sqlite3.connect(":memory:")
        value = conn.execute("SELECT ?, ?", (datetime(2026, 5, 6, 7, 8, 9, 10), date(2026, 5, 6)))
        assert value.fetchone() == ("2026-05-06 07:08:09.000010", "2026-05-06")
        conn.close()


@given(st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))])))
def test_aware_datetimes_are_stored_as_naive_utc(moment: datetime) -> None:
    naive_utc = moment.astimezone(UTC).replace(tzinfo=None)
    assert to_db_datetime(moment) == to_db_datetime(naive_utc)
    assert datetime.fromisoformat(to_db_datetime(moment)) == naive_utc
