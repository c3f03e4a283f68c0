"""Merge rules shared by bundle import: last-writer-wins with deterministic tie-breaks.

Every rule is a pure function of the two versions, commutative and associative, so importing
bundles in any order gives the same result:
- fields: the version with the larger (updated_at, content hash of the fields) wins;
- updated_at = the larger, created_at = the smaller;
- deleted_at: once set on either side it stays set; the earliest deletion time is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from annotator.team.bundle_format import content_hash, to_json_value

T = TypeVar("T")
CHUNK = 900  # below SQLite's default limit of bound parameters per statement


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def min_set(a: datetime | None, b: datetime | None) -> datetime | None:
    """A tombstone never goes away: the earliest deletion when both sides deleted."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def version_key(row: dict[str, Any], fields: Iterable[str]) -> tuple[datetime, str]:
    values = [to_json_value(row[f]) for f in fields]
    return row["updated_at"], content_hash(values)


@dataclass(slots=True)
class Merged:
    """Result of merging an incoming version into a local one."""

    changes: dict[str, Any] = field(default_factory=dict)  # columns to write on the local row
    differ: bool = False  # the two versions' fields differ
    incoming_won: bool = False  # the incoming fields replaced the local ones


def merge_versions(
    local: dict[str, Any], incoming: dict[str, Any], fields: Sequence[str]
) -> Merged:
    """Merge `incoming` into `local` (both dicts with `fields` and the three timestamps)."""
    out = Merged()
    out.differ = any(local[f] != incoming[f] for f in fields)
    if out.differ:
        # Hash only on a timestamp tie: cheap in the common case, deterministic in the rare one.
        if incoming["updated_at"] != local["updated_at"]:
            out.incoming_won = incoming["updated_at"] > local["updated_at"]
        else:
            out.incoming_won = version_key(incoming, fields) > version_key(local, fields)
        if out.incoming_won:
            out.changes.update({f: incoming[f] for f in fields if local[f] != incoming[f]})
    updated = max(local["updated_at"], incoming["updated_at"])
    if updated != local["updated_at"]:
        out.changes["updated_at"] = updated
    created = min(local["created_at"], incoming["created_at"])
    if created != local["created_at"]:
        out.changes["created_at"] = created
    if "deleted_at" in local:
        deleted = min_set(local["deleted_at"], incoming.get("deleted_at"))
        if deleted != local["deleted_at"]:
            out.changes["deleted_at"] = deleted
    if out.changes and "updated_at" not in out.changes:
        # Always explicit: the schema's onupdate would otherwise stamp "now" (order-dependent).
        out.changes["updated_at"] = local["updated_at"]
    return out
