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
from typing import Any

from annotator.native import iso
from annotator.record_schema import (  # noqa: F401 - re-exported for bundle readers
    ACTOR_FIELDS,
    ALIAS_FIELDS,
    ANNOTATOR_FIELDS,
    ATTRIBUTION_FIELDS,
    DOCUMENT_FIELDS,
    HISTORY_FIELDS,
    PROJECT_FIELDS,
    REVIEW_EVENT_FIELDS,
    TARGET_FIELDS,
    WORK_FIELDS,
    check_fields,
    checker,
)

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


# The record fields are the one native schema (annotator.record_schema), shared with imports
# and `db check`.
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
