"""The bundle file format: one zip holding manifest.json and JSONL members (see docs/bundles.md).

Members, in the order they are written and applied (later ones refer to earlier ones):
    projects.jsonl, annotators.jsonl, documents.jsonl, actors.jsonl, targets.jsonl,
    attributions.jsonl, reviews.jsonl, attribution_history.jsonl
The manifest records the format version, the app version, what the bundle holds (counts, filters,
kind "full" or "assignment") and the SHA-256 and byte size of every member.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from operator import itemgetter
from typing import Any

from annotator.native import iso, parse_iso

FORMAT_NAME = "annotator-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEMBERS: tuple[str, ...] = (
    "projects.jsonl",
    "annotators.jsonl",
    "documents.jsonl",
    "actors.jsonl",
    "targets.jsonl",
    "attributions.jsonl",
    "reviews.jsonl",
    "attribution_history.jsonl",
)
KINDS = ("full", "assignment")

# Limits against hostile or damaged files: uncompressed bytes per member (zip bombs), manifest size,
# and compression ratio (real JSONL compresses far less than 200:1).
MAX_MEMBER_BYTES = 2 * 1024**3
MAX_MANIFEST_BYTES = 1024**2
MAX_COMPRESSION_RATIO = 200
MAX_MEMBERS = 64


class BundleError(ValueError):
    """The bundle cannot be used; the message names the file (and member:line) and the problem."""


class BundleCancelled(RuntimeError):
    """The user cancelled an export or import; nothing was written."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a bundle holds ~10^5 records alive, and the full
    collections their allocation triggers would re-scan them all again and again (a third of a
    re-import's time). Nothing here makes cycles worth collecting before the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_scan = json.JSONDecoder().scan_once  # what json.loads runs, without its per-call wrapping


def loads_str(text: str) -> Any:
    """json.loads(text), faster for many small values: the C scanner is called directly; any
    text it does not take whole (whitespace around, errors, a BOM) goes to json.loads itself."""
    try:
        obj, end = _scan(text, 0)
    except Exception:
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return obj


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _line_encoder() -> Callable[[dict[str, Any]], str]:
    """json.dumps(obj, ensure_ascii=False, separators=(",", ":")) for dicts, with the C encoder
    made once instead of per call (no circular-reference bookkeeping: rows have no cycles)."""
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return enc.encode
    c_encode = make(
        None, enc.default, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )
    return lambda obj: "".join(c_encode(obj, 0))


_LINE_ENCODER = _line_encoder()


def json_line(obj: dict[str, Any]) -> bytes:
    """One JSONL line: key order as given, UTF-8, no spaces, ending in LF."""
    return (_LINE_ENCODER(obj) + "\n").encode("utf-8")


def content_hash(obj: Any) -> str:
    """Order-independent hash of a JSON-able value: the deterministic tie-break of merges."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_json_value(value: Any) -> Any:
    """A column value as JSON: timestamps ISO-8601 UTC with Z, bytes base64."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


# Fields added after bundles of format 1 were first written: an older bundle lacks the key, which
# then reads as this value (a newer bundle's extra keys are ignored by older versions).
LATER_FIELDS: dict[str, Any] = {"external_id": ""}
REQUIRED_IDS = frozenset({"id", "project_id", "document_id", "attribution_id", "annotator_id"})
# Field kinds checked on import: "str", "str?", "int?", "ts", "ts?", "list", "dict", "b64?".
PROJECT_FIELDS = {
    "id": "str",
    "name": "str",
    "description": "str",
    "guidelines": "str",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
ANNOTATOR_FIELDS = {"id": "str", "name": "str", "created_at": "ts", "updated_at": "ts"}
DOCUMENT_FIELDS = {
    "id": "str",
    "project_id": "str",
    "title": "str",
    "text": "str",
    "text_sha256": "str",
    "source": "str",
    "url": "str",
    "published": "str",
    "place": "str",
    "author": "str",
    "language": "str",
    "external_id": "str",
    "metadata": "dict",
    "raw_path": "str",
    "raw_sha256": "str",
    "raw_bytes": "b64?",
    "import_report": "dict",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
ACTOR_FIELDS = {
    "id": "str",
    "project_id": "str",
    "name": "str",
    "type": "str",
    "role": "str",
    "affiliation": "str",
    "wikidata_id": "str",
    "merged_into_id": "str?",
    "alias_records": "list",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
TARGET_FIELDS = {
    "id": "str",
    "project_id": "str",
    "name": "str",
    "description": "str",
    "merged_into_id": "str?",
    "alias_records": "list",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
ALIAS_FIELDS = {
    "id": "str",
    "alias": "str",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
ATTRIBUTION_FIELDS = {
    "id": "str",
    "document_id": "str",
    "annotator_id": "str?",
    "content_spans": "list",
    "cue_start": "int?",
    "cue_end": "int?",
    "mention_start": "int?",
    "mention_end": "int?",
    "speaker_id": "str?",
    "via_id": "str?",
    "kind": "str",
    "target_id": "str?",
    "polarity": "str?",
    "proposition": "str",
    "note": "str",
    "confidence": "str?",
    "origin": "str",
    "review_state": "str",
    "reviewer_id": "str?",
    "review_comment": "str",
    "source_ids": "list",
    "external_id": "str",
    "created_at": "ts",
    "updated_at": "ts",
    "deleted_at": "ts?",
}
REVIEW_EVENT_FIELDS = {
    "record": "str",
    "id": "str",
    "attribution_id": "str",
    "reviewer_id": "str?",
    "action": "str",
    "comment": "str",
    "created_at": "ts",
    "updated_at": "ts",
}
WORK_FIELDS = {
    "record": "str",
    "id": "str",
    "document_id": "str",
    "annotator_id": "str",
    "status": "str",
    "created_at": "ts",
    "updated_at": "ts",
}
HISTORY_FIELDS = {
    "id": "str",
    "attribution_id": "str",
    "snapshot": "dict",
    "reason": "str",
    "created_at": "ts",
    "updated_at": "ts",
}
MEMBER_FIELDS: dict[str, dict[str, str]] = {
    "projects.jsonl": PROJECT_FIELDS,
    "annotators.jsonl": ANNOTATOR_FIELDS,
    "documents.jsonl": DOCUMENT_FIELDS,
    "actors.jsonl": ACTOR_FIELDS,
    "targets.jsonl": TARGET_FIELDS,
    "attributions.jsonl": ATTRIBUTION_FIELDS,
    "attribution_history.jsonl": HISTORY_FIELDS,
}
REVIEW_RECORDS = {"review_event": REVIEW_EVENT_FIELDS, "document_work": WORK_FIELDS}


def _timestamp(value: str, name: str) -> datetime:
    if value.endswith("Z") and "+" not in value:  # what exports write: parse in C, fast path
        try:
            return datetime.fromisoformat(value[:-1])
        except ValueError:
            pass  # let parse_iso word the error
    try:
        ts = parse_iso(value)
    except ValueError as exc:
        raise ValueError(f"field {name!r}: {exc}") from exc
    if ts is None:
        raise ValueError(f"field {name!r} is empty")
    return ts


def _base64(value: str, name: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise ValueError(f"field {name!r} is not base64") from exc


_TYPES = {"str": str, "int": int, "list": list, "dict": dict, "ts": str, "b64": str}
_CONVERT = {"ts": _timestamp, "b64": _base64}
Spec = list[tuple[str, type, bool, Any, bool]]
_SPECS: dict[int, Spec] = {}


def _compile(fields: dict[str, str]) -> Spec:
    spec: Spec = []
    for name, kind in fields.items():
        base = kind.rstrip("?")
        nonempty = base == "str" and name in REQUIRED_IDS
        spec.append((name, _TYPES[base], kind.endswith("?"), _CONVERT.get(base), nonempty))
    return spec


Checker = Callable[[Any], dict[str, Any]]
_CHECKERS: dict[int, Checker] = {}


def checker(fields: dict[str, str]) -> Checker:
    """A fast check_fields(obj, fields) for one field table (hot path of imports).

    Straight-line code generated once per table: all type checks in one expression, then the
    conversions in field order. Anything unusual goes to check_fields, so the result and the
    first problem reported are exactly check_fields' own.
    """
    fn = _CHECKERS.get(id(fields))
    if fn is not None:
        return fn
    names = list(fields)
    ok, out = [], []
    for i, (name, kind) in enumerate(fields.items()):
        base = kind.rstrip("?")
        test = f"type(v{i}) is {_TYPES[base].__name__}"
        if base == "str" and name in REQUIRED_IDS:
            test += f" and v{i}"
        convert = f"_b64(v{i}, {name!r})"
        if base == "ts":  # _timestamp's own fast path, inline
            test += f' and v{i}.endswith("Z") and "+" not in v{i}'
            convert = f"_iso(v{i}[:-1])"
        if kind.endswith("?"):
            test = f"(v{i} is None or {test})"
        ok.append(test)
        value = f"v{i}"
        if base in _CONVERT:
            value = convert if not kind.endswith("?") else f"None if v{i} is None else {convert}"
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
        f"    if not ({' and '.join(ok)}):\n"
        "        return _slow(obj, _fields)\n"
        "    try:\n"
        f"        return {{{', '.join(out)}}}\n"
        "    except ValueError:\n"
        "        return _slow(obj, _fields)\n"
    )
    env: dict[str, Any] = {
        "_slow": check_fields,
        "_fields": fields,
        "_get": itemgetter(*names) if len(names) > 1 else lambda o: (o[names[0]],),
        "_iso": datetime.fromisoformat,
        "_b64": _base64,
    }
    exec(source, env)  # noqa: S102  # generated from the constant field tables above
    fn = env["check"]
    if any(name in LATER_FIELDS for name in fields):
        fast = fn

        def fn(obj: Any) -> dict[str, Any]:
            if type(obj) is dict:
                _fill_later_fields(obj, fields)
            return fast(obj)

    _CHECKERS[id(fields)] = fn
    return fn


def _fill_later_fields(obj: dict[str, Any], fields: dict[str, str]) -> None:
    for name, value in LATER_FIELDS.items():
        if name in fields and name not in obj:
            obj[name] = value


def check_fields(obj: Any, fields: dict[str, str]) -> dict[str, Any]:
    """Check a parsed JSON line against `fields`; return it with timestamps/bytes decoded.

    Raises ValueError with a short description of the first problem. (Imports use the
    generated `checker`, which falls back to this for every problem.)
    """
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    _fill_later_fields(obj, fields)
    spec = _SPECS.get(id(fields))
    if spec is None:
        spec = _SPECS[id(fields)] = _compile(fields)
    out: dict[str, Any] = {}
    for name, typ, optional, convert, nonempty in spec:
        try:
            value = obj[name]
        except KeyError:
            raise ValueError(f"missing field {name!r}") from None
        if value is None and optional:
            out[name] = None
            continue
        if type(value) is not typ:  # exact: a JSON true is not an int here
            raise ValueError(f"field {name!r} has the wrong type ({type(value).__name__})")
        if convert is not None:
            value = convert(value, name)
        elif nonempty and not value:
            raise ValueError(f"field {name!r} is empty")
        out[name] = value
    return out
