"""One schema for native records: the type and range of every field of every table.

Bundles check each line against it, the native import checks the fields it shares with it, and
`db check` checks every stored row against it, so a value one of them accepts the others accept
too (a bundle import never stores what `db check` then calls a fault).

A field's kind is one of KINDS (a trailing "?" also allows null). Timestamps are ISO-8601 UTC,
from 1970 up to now plus CLOCK_SKEW: a record stamped in the far future would win every later
merge. Checking is fast on the common path (code generated once per table, see `checker`);
anything unusual goes to `check_fields`, which names the first problem.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any

from annotator.model import (
    ActorType,
    Confidence,
    Kind,
    Origin,
    Polarity,
    ReviewState,
    WorkStatus,
    utcnow,
)

MAX_ID = 64
MAX_SHORT = 200
MAX_NAME = 1_000
MAX_TEXT = 1 << 20  # notes, propositions, descriptions, guidelines: characters
MAX_DOC_TEXT = 128 << 20  # a document's text (the import limit is 100 MiB of bytes)
MAX_B64 = 40 << 20  # base64 of the raw bytes kept (20 MiB at most)
MAX_OFFSET = 2**31 - 1
MAX_SPANS = 1_000
MAX_LIST = 100_000
MAX_JSON_DEPTH = 32
MAX_JSON_INT = 2**63 - 1
EARLIEST = datetime(1970, 1, 1)
CLOCK_SKEW = timedelta(days=1)

ENUMS: dict[str, frozenset[str]] = {
    name: frozenset(m.value for m in cls)
    for name, cls in (
        ("kind", Kind),
        ("polarity", Polarity),
        ("confidence", Confidence),
        ("origin", Origin),
        ("review_state", ReviewState),
        ("actor_type", ActorType),
        ("work_status", WorkStatus),
    )
}
STR_LIMITS = {"id": MAX_ID, "short": MAX_SHORT, "name": MAX_NAME, "text": MAX_TEXT}
STR_LIMITS |= {"doc": MAX_DOC_TEXT, "sha": 64, "b64": MAX_B64}
KINDS = frozenset({*STR_LIMITS, *ENUMS, "int", "ts", "spans", "ids", "json", "list"})

PROJECT_FIELDS = {
    "id": "id",
    "name": "name",
    "description": "text",
    "guidelines": "text",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
ANNOTATOR_FIELDS = {"id": "id", "name": "name", "created_at": "ts", "updated_at": "ts"}
DOCUMENT_FIELDS = {
    "id": "id",
    "project_id": "id",
    "title": "text",
    "text": "doc",
    "text_sha256": "sha",
    "source": "text",
    "url": "text",
    "published": "short",
    "place": "text",
    "author": "text",
    "language": "short",
    "metadata": "json",
    "raw_path": "text",
    "raw_sha256": "sha",
    "raw_bytes": "b64?",
    "import_report": "json",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
ACTOR_FIELDS = {
    "id": "id",
    "project_id": "id",
    "name": "name",
    "type": "actor_type",
    "role": "text",
    "affiliation": "text",
    "wikidata_id": "short",
    "merged_into_id": "id?",
    "alias_records": "list",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
TARGET_FIELDS = {
    "id": "id",
    "project_id": "id",
    "name": "name",
    "description": "text",
    "merged_into_id": "id?",
    "alias_records": "list",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
ALIAS_FIELDS = {
    "id": "id",
    "alias": "name",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
ATTRIBUTION_FIELDS = {
    "id": "id",
    "document_id": "id",
    "annotator_id": "id?",
    "content_spans": "spans",
    "cue_start": "int?",
    "cue_end": "int?",
    "mention_start": "int?",
    "mention_end": "int?",
    "speaker_id": "id?",
    "via_id": "id?",
    "kind": "kind",
    "target_id": "id?",
    "polarity": "polarity?",
    "proposition": "text",
    "note": "text",
    "confidence": "confidence?",
    "origin": "origin",
    "review_state": "review_state",
    "reviewer_id": "id?",
    "review_comment": "text",
    "source_ids": "ids",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
REVIEW_EVENT_FIELDS = {
    "record": "short",
    "id": "id",
    "attribution_id": "id",
    "reviewer_id": "id?",
    "action": "short",
    "comment": "text",
    "created_at": "ts",
    "updated_at": "ts",
}
WORK_FIELDS = {
    "record": "short",
    "id": "id",
    "document_id": "id",
    "annotator_id": "id",
    "status": "work_status",
    "created_at": "ts",
    "updated_at": "ts",
}
HISTORY_FIELDS = {
    "id": "id",
    "attribution_id": "id",
    "snapshot": "json",
    "reason": "short",
    "created_at": "ts",
    "updated_at": "ts",
}
# Stored tables (db check): the same fields as the bundle lines, less what is not a column.
TABLE_FIELDS: dict[str, dict[str, str]] = {
    "projects": PROJECT_FIELDS,
    "annotators": ANNOTATOR_FIELDS,
    "documents": {k: v for k, v in DOCUMENT_FIELDS.items() if k != "raw_bytes"},
    "actors": {k: v for k, v in ACTOR_FIELDS.items() if k != "alias_records"},
    "targets": {k: v for k, v in TARGET_FIELDS.items() if k != "alias_records"},
    "actor_aliases": {**ALIAS_FIELDS, "actor_id": "id"},
    "target_aliases": {**ALIAS_FIELDS, "target_id": "id"},
    "attributions": ATTRIBUTION_FIELDS,
    "review_events": {k: v for k, v in REVIEW_EVENT_FIELDS.items() if k != "record"},
    "document_work": {k: v for k, v in WORK_FIELDS.items() if k != "record"},
    "attribution_history": HISTORY_FIELDS,
}


class Clock:
    """The latest timestamp accepted: now plus the skew, read once per bundle or check (a
    long import must not start refusing records stamped during it)."""

    latest: datetime = utcnow() + CLOCK_SKEW

    @classmethod
    def refresh(cls) -> None:
        cls.latest = utcnow() + CLOCK_SKEW


# -- one value --------------------------------------------------------------------------------
def parse_timestamp(value: str, name: str) -> datetime:
    """ISO-8601 (a trailing Z or an offset: UTC; none: UTC) within EARLIEST..now+skew."""
    text = value[:-1] if value.endswith("Z") else value
    try:
        ts = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"field {name!r}: {_short(value)!r} is not a timestamp") from None
    if ts.tzinfo is not None:
        from datetime import UTC

        ts = ts.astimezone(UTC).replace(tzinfo=None)
    _ts_range(ts, name)
    return ts


def _ts_range(ts: datetime, name: str) -> None:
    if ts < EARLIEST:
        raise ValueError(f"field {name!r}: {ts.isoformat()} is before 1970")
    if ts > Clock.latest:
        raise ValueError(
            f"field {name!r}: {ts.isoformat()}Z is in the future (clocks may differ by at most"
            f" {CLOCK_SKEW.days} day)"
        )


def _short(value: Any, limit: int = 40) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    return value


def _is_id(value: Any) -> bool:
    return (
        type(value) is str
        and 0 < len(value) <= MAX_ID
        and value.isprintable()
        and (" " not in value)
    )


def spans_ok(value: Any) -> bool:
    if type(value) is not list or not 0 < len(value) <= MAX_SPANS:
        return False
    for p in value:
        if not (
            type(p) is list and len(p) == 2 and type(p[0]) is int and type(p[1]) is int
            and 0 <= p[0] < p[1] <= MAX_OFFSET
        ):  # fmt: skip
            return False
    return True


def json_problem(value: Any, depth: int = 0) -> str | None:
    """Why a JSON value is out of range (too deep, an integer too large), else None."""
    if depth > MAX_JSON_DEPTH:
        return f"is nested more than {MAX_JSON_DEPTH} levels deep"
    if type(value) is dict:
        for item in value.values():
            problem = json_problem(item, depth + 1)
            if problem:
                return problem
    elif type(value) is list:
        for item in value:
            problem = json_problem(item, depth + 1)
            if problem:
                return problem
    elif type(value) is int and not -MAX_JSON_INT - 1 <= value <= MAX_JSON_INT:
        return "holds an integer too large to store"
    elif type(value) is float and value != value:  # NaN is not JSON
        return "holds NaN"
    return None


def check_value(kind: str, value: Any, name: str) -> Any:
    """Check one value of `kind` ("?" allows None); return it converted (timestamps to naive
    UTC datetimes, base64 to bytes). Raises ValueError naming the field."""
    if kind.endswith("?"):
        if value is None:
            return None
        kind = kind[:-1]
    if kind == "ts":
        if type(value) is datetime:
            _ts_range(value, name)
            return value
        if type(value) is not str:
            raise _wrong_type(name, value)
        return parse_timestamp(value, name)
    if kind == "int":
        if type(value) is not int:
            raise _wrong_type(name, value)
        if not 0 <= value <= MAX_OFFSET:
            raise ValueError(f"field {name!r}: {_short(str(value))} is out of range")
        return value
    if kind in ENUMS:
        if not isinstance(value, str) or value not in ENUMS[kind]:
            raise ValueError(f"field {name!r}: {_short(value)!r} is not allowed")
        return value
    if kind == "spans":
        if not spans_ok(value):
            raise ValueError(_spans_problem(value, name))
        return value
    if kind == "ids":
        if type(value) is not list or len(value) > MAX_LIST or not all(map(_is_id, value)):
            raise ValueError(f"field {name!r} must be a list of ids")
        return value
    if kind == "json":
        if type(value) is not dict:
            raise _wrong_type(name, value)
        problem = json_problem(value)
        if problem:
            raise ValueError(f"field {name!r} {problem}")
        return value
    if kind == "list":
        if type(value) is not list:
            raise _wrong_type(name, value)
        if len(value) > MAX_LIST:
            raise ValueError(f"field {name!r} holds more than {MAX_LIST} entries")
        return value
    # strings
    if type(value) is not str:
        raise _wrong_type(name, value)
    limit = STR_LIMITS[kind]
    if len(value) > limit:
        raise ValueError(f"field {name!r} is too long ({len(value)} characters; limit {limit})")
    if kind == "id" and not _is_id(value):
        if not value:
            raise ValueError(f"field {name!r} is empty")
        raise ValueError(f"field {name!r}: {_short(value)!r} is not an id")
    if kind == "sha" and value and (len(value) != 64 or not _is_hex(value)):
        raise ValueError(f"field {name!r} is not a SHA-256 in hex")
    if kind == "b64":
        try:
            return base64.b64decode(value, validate=True)
        except (ValueError, binascii.Error):
            raise ValueError(f"field {name!r} is not base64") from None
    return value


def _is_hex(value: str) -> bool:
    try:
        int(value, 16)
    except ValueError:
        return False
    return True


def _wrong_type(name: str, value: Any) -> ValueError:
    return ValueError(f"field {name!r} has the wrong type ({type(value).__name__})")


def _spans_problem(value: Any, name: str) -> str:
    if type(value) is not list:
        return f"field {name!r} must be [[start, end], ...]"
    if not value:
        return "an attribution needs at least one content span"
    if len(value) > MAX_SPANS:
        return f"field {name!r} holds more than {MAX_SPANS} spans"
    for p in value:
        if type(p) is not list or len(p) != 2 or not all(type(v) is int for v in p):
            return f"field {name!r} must be [[start, end], ...] of integers"
        if p[0] < 0 or p[1] > MAX_OFFSET:
            return f"content span [{_short(str(p[0]))}, {_short(str(p[1]))}) is out of range"
        if p[0] >= p[1]:
            return f"content span [{p[0]}, {p[1]}) is empty or reversed"
    return f"field {name!r} is invalid"


# -- one record -------------------------------------------------------------------------------
def check_fields(obj: Any, fields: dict[str, str]) -> dict[str, Any]:
    """Check a parsed JSON object against `fields`; return the fields converted. Raises
    ValueError describing the first problem. Keys not in `fields` are ignored (newer apps
    may add some)."""
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        try:
            value = obj[name]
        except KeyError:
            raise ValueError(f"missing field {name!r}") from None
        if value is None and not kind.endswith("?"):
            raise ValueError(f"field {name!r} is null")
        out[name] = check_value(kind, value, name)
    return out


Checker = Callable[[Any], dict[str, Any]]
_CHECKERS: dict[int, Checker] = {}


def checker(fields: dict[str, str]) -> Checker:
    """A fast check_fields(obj, fields) for one field table (the hot path of bundle imports).

    Straight-line code generated once per table: every type and range test in one expression,
    then the conversions. Anything unusual goes to check_fields, so the result and the first
    problem reported are exactly check_fields' own.
    """
    fn = _CHECKERS.get(id(fields))
    if fn is not None:
        return fn
    names = list(fields)
    tests, converts, ranges, out = [], [], [], []
    for i, (name, kind) in enumerate(fields.items()):
        v = f"v{i}"
        optional = kind.endswith("?")
        base = kind.rstrip("?")
        value = v
        if base in STR_LIMITS and base not in ("b64",):
            test = f"type({v}) is str and len({v}) <= {STR_LIMITS[base]}"
            if base == "id":
                test += f" and {v} and _isid({v})"
            elif base == "sha":
                test += f" and (not {v} or len({v}) == 64)"
        elif base == "b64":
            test = f"type({v}) is str and len({v}) <= {MAX_B64}"
            value = (
                f"_b64({v}, {name!r})"
                if not optional
                else f"None if {v} is None else _b64({v}, {name!r})"
            )
        elif base == "int":
            test = f"type({v}) is int and 0 <= {v} <= {MAX_OFFSET}"
        elif base in ENUMS:
            test = f"type({v}) is str and {v} in _E_{base}"
        elif base == "ts":
            test = f'type({v}) is str and {v}.endswith("Z") and "+" not in {v}'
            conv = f"_iso({v}[:-1])" if not optional else f"None if {v} is None else _iso({v}[:-1])"
            converts.append(f"t{i} = {conv}")
            ranges.append(
                f"_EARLY <= t{i} <= _C.latest"
                if not optional
                else f"(t{i} is None or _EARLY <= t{i} <= _C.latest)"
            )
            value = f"t{i}"
        elif base == "spans":
            test = f"_spans({v})"
        elif base == "ids":
            test = f"type({v}) is list and (not {v} or _ids({v}))"
        elif base == "json":
            test = f"type({v}) is dict and (not {v} or _json({v}) is None)"
        elif base == "list":
            test = f"type({v}) is list and len({v}) <= {MAX_LIST}"
        else:  # pragma: no cover - a kind without a fast test
            raise ValueError(f"unknown field kind {kind!r}")
        if optional:
            test = f"({v} is None or {test})"
        tests.append(test)
        out.append(f"{name!r}: {value}")
    loads = ", ".join(f"v{i}" for i in range(len(names)))
    source = (
        "def check(obj):\n"
        "    if type(obj) is not dict:\n"
        "        return _slow(obj, _fields)\n"
        "    try:\n"
        f"        {loads}, = _get(obj)\n"
        "    except KeyError:\n"
        "        return _slow(obj, _fields)\n"
        f"    if not ({' and '.join(tests)}):\n"
        "        return _slow(obj, _fields)\n"
        "    try:\n"
        + "".join(f"        {c}\n" for c in converts)
        + "        return {"
        + ", ".join(out)
        + "}\n"
        "    except ValueError:\n"
        "        return _slow(obj, _fields)\n"
    )
    if ranges:
        source = source.replace(
            "        return {",
            f"        if not ({' and '.join(ranges)}):\n"
            "            return _slow(obj, _fields)\n"
            "        return {",
        )
    env: dict[str, Any] = {
        "_slow": check_fields,
        "_fields": fields,
        "_get": itemgetter(*names) if len(names) > 1 else lambda o: (o[names[0]],),
        "_iso": datetime.fromisoformat,
        "_b64": lambda v, name: check_value("b64", v, name),
        "_isid": _is_id,
        "_spans": spans_ok,
        "_ids": lambda v: len(v) <= MAX_LIST and all(map(_is_id, v)),
        "_json": json_problem,
        "_EARLY": EARLIEST,
        "_C": Clock,
        **{f"_E_{k}": v for k, v in ENUMS.items()},
    }
    exec(source, env)  # noqa: S102  # generated from the constant field tables above
    fn = _CHECKERS[id(fields)] = env["check"]
    return fn
