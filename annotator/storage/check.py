"""Database health checks behind `annotator db check`: a pure function returning faults.

Reads only (any write-shaped statement is rolled back), never migrates, and never raises on a
damaged file: every problem, including "cannot read the file at all", comes back as a `Fault`.
Raw SQL on purpose: a malformed JSON value must be reported, not crash the ORM while loading it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from annotator.record_schema import TABLE_FIELDS, Clock, checker
from annotator.storage.engine import Database
from annotator.text import sha256_text

# (table, key column, JSON columns) checked for parseable JSON.
JSON_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("documents", "id", ("metadata", "import_report")),
    ("attributions", "id", ("content_spans", "source_ids")),
    ("attribution_history", "id", ("snapshot",)),
)
MAX_FAULTS_PER_CHECK = 200  # a badly broken DB would otherwise print millions of lines


@dataclass(frozen=True, slots=True)
class Fault:
    check: str  # which check found it, e.g. "integrity", "spans"
    where: str  # table/row or "" for database-wide faults
    problem: str
    # The check could not run (read-only file, another program writing): nothing is known to
    # be wrong, and nothing is known to be right either.
    unchecked: bool = False

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"[{self.check}]{where} {self.problem}"


def _not_run(name: str, exc: BaseException) -> Fault:
    """A check that failed to run: a fault when the file is damaged, else 'not checked'."""
    text = _one_line(exc)
    low = text.lower()
    if any(s in low for s in ("locked", "busy")):
        return Fault(name, "", "not checked: another program is writing to the database"
                     " (try again when it has finished)", unchecked=True)  # fmt: skip
    if any(s in low for s in ("readonly", "read-only", "unable to open")):
        return Fault(name, "", f"not checked: the file cannot be written here ({text})",
                     unchecked=True)  # fmt: skip
    return Fault(name, "", f"check could not run: {text}")


def check_database(db: Database) -> list[Fault]:
    """Run every check; an empty list means the database is sound."""
    faults: list[Fault] = []
    try:
        with db.engine.connect() as conn:
            for name, fn in _CHECK_FUNCS.items():
                try:
                    found = list(_limited(fn(conn), name))
                except (SQLAlchemyError, DBAPIError) as exc:
                    found = [_not_run(name, exc)]
                    conn.rollback()
                faults.extend(found)
            conn.rollback()
    except (SQLAlchemyError, DBAPIError) as exc:
        fault = _not_run("open", exc)
        if not fault.unchecked:
            fault = Fault("open", "", f"cannot read the database: {_one_line(exc)}")
        faults.append(fault)
    return faults


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return " ".join(str(orig or exc).split())


def _limited(faults: Iterator[Fault], name: str) -> Iterator[Fault]:
    for n, fault in enumerate(faults):
        if n == MAX_FAULTS_PER_CHECK:
            yield Fault(name, "", f"more than {MAX_FAULTS_PER_CHECK} faults; stopped listing")
            return
        yield fault


def _integrity(conn: Connection) -> Iterator[Fault]:
    for (message,) in conn.exec_driver_sql("PRAGMA integrity_check"):
        # SQLite packs several problems into one row, one per line; report one per line.
        for line in str(message).splitlines():
            if line.strip() and line != "ok" and not line.startswith("*** in database"):
                yield Fault("integrity", "", line.strip())


def _foreign_keys(conn: Connection) -> Iterator[Fault]:
    for table, rowid, parent, _fkid in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        yield Fault("foreign_keys", f"{table} rowid {rowid}", f"refers to a missing {parent} row")


def _revision(conn: Connection) -> Iterator[Fault]:
    from annotator.storage.migrate import head_revision

    head = head_revision()
    if not _has_table(conn, "alembic_version"):
        yield Fault("revision", "", f"no schema version recorded (expected {head})")
        return
    revisions = [r for (r,) in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    if revisions != [head]:
        found = ", ".join(revisions) or "none"
        yield Fault("revision", "", f"schema revision {found}, this version expects {head}")


def _fts(conn: Connection) -> Iterator[Fault]:
    if not _has_table(conn, "documents_fts"):
        yield Fault("fts", "documents_fts", "full-text index is missing")
        return
    path = _file_of(conn)
    if path is None:
        return
    # rank=1 also compares the index with the documents table (external-content FTS5). The
    # check is written as an INSERT: it needs a connection that may write (rolled back).
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=2, isolation_level=None)) as fts:
            fts.execute("BEGIN")
            try:
                fts.execute(
                    "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)"
                )
            finally:
                fts.execute("ROLLBACK")
    except sqlite3.Error as exc:
        fault = _not_run("fts", exc)
        if fault.unchecked:
            yield Fault("fts", "documents_fts", fault.problem, unchecked=True)
        else:
            yield Fault("fts", "documents_fts", f"full-text index does not match: {_one_line(exc)}")


def _file_of(conn: Connection) -> str | None:
    """The database file behind the connection (read-only URI parameters dropped)."""
    name = conn.engine.url.database
    if not name or name == ":memory:":
        return None
    if name.startswith("file:"):
        from urllib.parse import unquote

        return unquote(name[5:].split("?", 1)[0])
    return name


def _documents(conn: Connection) -> Iterator[Fault]:
    # The text as bytes: a damaged byte must be reported as such, not stop the check.
    rows = conn.exec_driver_sql("SELECT id, CAST(text AS BLOB), text_sha256, length FROM documents")
    for doc_id, raw, digest, length in rows:
        where = f"document {doc_id}"
        if not isinstance(raw, bytes):
            yield Fault("documents", where, "text is missing or not text")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Fault("documents", where, f"text is damaged (not UTF-8 at byte {exc.start})")
            continue
        if sha256_text(text) != digest:
            yield Fault("documents", where, "text does not match its stored SHA-256")
        if not unicodedata.is_normalized("NFC", text):
            yield Fault("documents", where, "text is not NFC-normalized")
        if length != len(text):
            yield Fault("documents", where, f"length column {length} != text length {len(text)}")


# Fields with checks of their own: document texts (documents) and spans (spans, which also
# knows each document's length).
_CHECKED_ELSEWHERE = frozenset(
    {"text", "content_spans", "cue_start", "cue_end", "mention_start", "mention_end"}
)


def _records(conn: Connection) -> Iterator[Fault]:
    """Every row against the native schema (annotator.record_schema), the one bundles and
    imports use: a value stored here is one a bundle made from it can carry."""
    Clock.refresh()
    for table, fields in TABLE_FIELDS.items():
        if not _has_table(conn, table):
            continue
        names = [f for f in fields if f not in _CHECKED_ELSEWHERE]
        kinds = {n: fields[n] for n in names}
        check = checker(kinds)
        json_cols = [n for n in names if kinds[n] in ("json", "spans", "ids")]
        ts_cols = [n for n in names if kinds[n].rstrip("?") == "ts"]
        cols = ", ".join(f'"{n}"' for n in names)
        for row in conn.exec_driver_sql(f'SELECT {cols} FROM "{table}"'):
            rec = dict(zip(names, row, strict=True))
            try:
                for n in json_cols:
                    if isinstance(rec[n], str):
                        rec[n] = json.loads(rec[n])
            except (ValueError, RecursionError):
                continue  # reported by the JSON check
            try:
                for n in ts_cols:
                    value = rec[n]
                    if isinstance(value, str) and " " in value:
                        rec[n] = value.replace(" ", "T", 1) + "Z"  # SQLAlchemy's storage form
                check(rec)
            except (ValueError, RecursionError) as exc:
                yield Fault("records", f"{table} {rec.get('id')}", _one_line(exc))


def _json(conn: Connection) -> Iterator[Fault]:
    for table, key, columns in JSON_COLUMNS:
        if not _has_table(conn, table):
            continue
        cols = ", ".join(f'"{c}"' for c in columns)
        for row in conn.exec_driver_sql(f'SELECT "{key}", {cols} FROM "{table}"'):
            for column, value in zip(columns, row[1:], strict=True):
                if value is None:
                    continue
                try:
                    json.loads(value)
                except (TypeError, ValueError) as exc:
                    yield Fault("json", f"{table} {row[0]}", f"{column} is not valid JSON ({exc})")


def _spans(conn: Connection) -> Iterator[Fault]:
    lengths: dict[str, int] = {
        doc_id: n
        for doc_id, n in conn.exec_driver_sql("SELECT id, length(text) FROM documents")
        if n is not None
    }
    rows = conn.exec_driver_sql(
        "SELECT id, document_id, content_spans, cue_start, cue_end, mention_start, mention_end"
        " FROM attributions WHERE deleted_at IS NULL"
    )
    for attr_id, doc_id, content_json, cs, ce, ms, me in rows:
        where = f"attribution {attr_id}"
        size = lengths.get(doc_id)
        if size is None:
            yield Fault("spans", where, f"its document {doc_id} does not exist")
            continue
        try:
            content = json.loads(content_json) if content_json is not None else None
        except (TypeError, ValueError):
            continue  # reported by the JSON check
        if not isinstance(content, list) or not content:
            yield Fault("spans", where, "has no content span")
            continue
        for i, seg in enumerate(content):
            problem = _span_problem(seg, size)
            if problem:
                yield Fault("spans", where, f"content[{i}] {problem}")
        for role, start, end in (("cue", cs, ce), ("mention", ms, me)):
            if start is None and end is None:
                continue
            problem = _span_problem([start, end], size)
            if problem:
                yield Fault("spans", where, f"{role} {problem}")


def _span_problem(seg: Any, size: int) -> str:
    if (
        not isinstance(seg, list)
        or len(seg) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in seg)
    ):
        return f"is not a [start, end] pair of integers: {seg!r}"
    start, end = seg
    if not 0 <= start < end:
        return f"[{start}, {end}) is empty or reversed"
    if end > size:
        return f"[{start}, {end}) is outside the text (length {size})"
    return ""


def _has_table(conn: Connection, name: str) -> bool:
    row = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).first()
    return row is not None


_CHECK_FUNCS: dict[str, Callable[[Connection], Iterator[Fault]]] = {
    "integrity": _integrity,
    "foreign_keys": _foreign_keys,
    "revision": _revision,
    "fts": _fts,
    "documents": _documents,
    "json": _json,
    "spans": _spans,
    "records": _records,
}
