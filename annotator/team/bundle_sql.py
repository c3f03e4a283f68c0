"""Bulk reads and writes of bundle imports on the SQLite driver, bypassing SQLAlchemy's per-row
processing (most of the cost of large imports). Values read and written are exactly what the
SQLAlchemy column types would return and store: DateTime as "YYYY-MM-DD HH:MM:SS.ffffff" text,
JSON as json.dumps text. Other databases take the portable (slower) SQLAlchemy path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, insert, select
from sqlalchemy.orm import Session

from annotator.team.bundle_format import loads_str
from annotator.team.bundle_merge import chunks

INSERT_CHUNK = 5000


def column_kinds(table: Any) -> tuple[list[str], list[str], list[str]]:
    """Column names, and those stored as SQLAlchemy DateTime text and as JSON text."""
    names = [c.name for c in table.columns]
    dts = [c.name for c in table.columns if isinstance(c.type, DateTime)]
    jsons = [c.name for c in table.columns if isinstance(c.type, JSON)]
    return names, dts, jsons


def _json_encoder() -> Callable[[Any], str]:
    """json.dumps with its default settings, minus the per-call set-up of the C encoder."""
    c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
    if c_make_encoder is None:
        return json.dumps
    enc = json.JSONEncoder()
    # No circular-reference bookkeeping: the values come from parsed JSON.
    make = c_make_encoder(
        None,
        enc.default,
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )

    def dumps(value: Any) -> str:
        if type(value) is list and not value:
            return "[]"
        if isinstance(value, str):
            return json.dumps(value)
        return "".join(make(value, 0))

    return dumps


dumps_json = _json_encoder()


def is_sqlite(s: Session) -> bool:
    return s.get_bind().dialect.name == "sqlite"


def load_raw(s: Session, table: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Rows with these ids, by id, decoded as the ORM types would decode them."""
    if not is_sqlite(s):
        rows = s.execute(select(*table.c).where(table.c.id.in_(list(ids))))
        return {r.id: dict(r._mapping) for r in rows}
    names, dts, jsons = column_kinds(table)
    quoted = ", ".join('"' + n + '"' for n in names)
    marks = ", ".join("?" for _ in ids)
    sql = f"SELECT {quoted} FROM {table.name} WHERE id IN ({marks})"
    dbapi = s.connection().connection.dbapi_connection
    assert dbapi is not None
    out: dict[str, dict[str, Any]] = {}
    fromiso = datetime.fromisoformat
    for raw in dbapi.execute(sql, tuple(ids)).fetchall():
        row = dict(zip(names, raw, strict=True))
        for n in dts:
            if row[n] is not None:
                row[n] = fromiso(row[n])
        for n in jsons:
            if row[n] is not None:
                row[n] = loads_str(row[n])
        out[row["id"]] = row
    return out


def bulk_insert(
    s: Session, table: Any, rows: list[dict[str, Any]], names: Sequence[str] | None = None
) -> None:
    """INSERT `rows` (dicts with every column in `names`, default all) with executemany."""
    if not is_sqlite(s):
        for part in chunks(rows, INSERT_CHUNK):
            batch = list(part) if names is None else [{n: r[n] for n in names} for r in part]
            s.execute(insert(table), batch)
        return
    all_names = column_kinds(table)[0]
    names = list(all_names if names is None else names)
    quoted = ", ".join('"' + n + '"' for n in names)
    marks = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({marks})"
    conn = s.connection()
    convert = _row_converter(table, names)
    for part in chunks(rows, INSERT_CHUNK):
        conn.exec_driver_sql(sql, list(map(convert, part)))


_CONVERTERS: dict[tuple[str, tuple[str, ...]], Callable[[dict[str, Any]], tuple[Any, ...]]] = {}


def _row_converter(table: Any, names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """row dict -> tuple of stored values, as straight-line code generated once per table
    (timestamps as SQLAlchemy's DateTime text, JSON via json.dumps; None stays NULL)."""
    key = (table.name, tuple(names))
    fn = _CONVERTERS.get(key)
    if fn is not None:
        return fn
    _names, dts, jsons = column_kinds(table)
    items = []
    for name in names:
        v = f"r[{name!r}]"
        if name in dts:
            v = f'(None if {v} is None else {v}.isoformat(" ", "microseconds"))'
        elif name in jsons:
            v = f"(None if {v} is None else _dumps({v}))"
        items.append(v)
    source = f"def convert(r):\n    return ({', '.join(items)},)\n"
    env: dict[str, Any] = {"_dumps": dumps_json}
    exec(source, env)  # noqa: S102  # generated from the table's own column names
    fn = _CONVERTERS[key] = env["convert"]
    return fn
