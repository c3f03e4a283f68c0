"""The bundle file format: one zip holding manifest.json and JSONL members (see docs/bundles.md).

Members, in the order they are written and applied (later ones refer to earlier ones):
    projects.jsonl, annotators.jsonl, documents.jsonl, actors.jsonl, targets.jsonl,
    attributions.jsonl, reviews.jsonl, attribution_history.jsonl
The manifest records the format version, the app version, what the bundle holds (counts, filters,
kind "full" or "assignment") and the SHA-256 and byte size of every member.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime
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


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_line(obj: dict[str, Any]) -> bytes:
    """One JSONL line: key order as given, UTF-8, no spaces, ending in LF."""
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


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


def check_fields(obj: Any, fields: dict[str, str]) -> dict[str, Any]:
    """Check a parsed JSON line against `fields`; return it with timestamps/bytes decoded.

    Raises ValueError with a short description of the first problem.
    """
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    out: dict[str, Any] = {}
    for name, kind in fields.items():
        if name not in obj:
            raise ValueError(f"missing field {name!r}")
        value = obj[name]
        optional = kind.endswith("?")
        if value is None and optional:
            out[name] = None
            continue
        base = kind.rstrip("?")
        if base == "str" and isinstance(value, str):
            if name in REQUIRED_IDS and not value:
                raise ValueError(f"field {name!r} is empty")
            out[name] = value
        elif (
            base == "int"
            and isinstance(value, int)
            and not isinstance(value, bool)
            or base == "list"
            and isinstance(value, list)
            or base == "dict"
            and isinstance(value, dict)
        ):
            out[name] = value
        elif base == "ts" and isinstance(value, str):
            try:
                out[name] = parse_iso(value)
            except ValueError as exc:
                raise ValueError(f"field {name!r}: {exc}") from exc
            if out[name] is None:
                raise ValueError(f"field {name!r} is empty")
        elif base == "b64" and isinstance(value, str):
            try:
                out[name] = base64.b64decode(value, validate=True)
            except ValueError as exc:
                raise ValueError(f"field {name!r} is not base64") from exc
        else:
            raise ValueError(f"field {name!r} has the wrong type ({type(value).__name__})")
    return out
