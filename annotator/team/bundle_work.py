"""Bundle import of annotation work: attributions, their history, review events, document work.

Attributions merge by UUID. When the two versions differ, the newer (updated_at, then a content
hash on a tie) wins and the other is kept in attribution_history with reason "merge"; a tombstone
(deleted_at) once set on either side stays set. History rows and review events are immutable:
added by UUID once (history also de-duplicated by snapshot content). Document work (one status per
document and annotator) follows last-writer-wins on (document, annotator).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, insert, select, update

from annotator.model import new_id
from annotator.storage import schema
from annotator.storage.records import ATTRIBUTION_FIELD_COLUMNS
from annotator.team.bundle_format import content_hash, to_json_value
from annotator.team.bundle_merge import chunks, merge_versions
from annotator.team.bundle_sql import bulk_insert, load_raw

if TYPE_CHECKING:
    from annotator.team.bundle_import import Importer

# Every attribution column that a merge compares and copies (ids of the row and document apart).
ATTR_FIELDS = ATTRIBUTION_FIELD_COLUMNS
MERGE_REASON = "merge"


def snapshot(version: dict[str, Any]) -> dict[str, Any]:
    """A version as kept in attribution_history: its fields and the time it was made."""
    keys = ("id", "document_id", *ATTR_FIELDS, "updated_at")
    return {k: to_json_value(version.get(k)) for k in keys}


def version_hash(snap: dict[str, Any]) -> str:
    """Identity of a version in history: its field values only, so one content is kept once."""
    return content_hash([to_json_value(snap.get(f)) for f in ATTR_FIELDS])


class WorkMerger:
    def __init__(self, importer: Importer, actor_map: dict[str, str], target_map: dict[str, str]):
        self.imp = importer
        self.s = importer.s
        self.actor_map = actor_map
        self.target_map = target_map
        self.history_keys: set[tuple[str, str]] = set()  # (attribution id, snapshot hash)
        self.attr_ids: set[str] = set()

    # -- references ---------------------------------------------------------------------------
    def _resolve_local(self, member: str, model: Any, ids: set[str], known: dict[str, str]) -> None:
        """Add ids that already exist locally (not in the bundle) to `known`, else fail."""
        missing = sorted(i for i in ids if i not in known)
        found: set[str] = set()
        for part in chunks(missing):
            found.update(self.s.scalars(select(model.id).where(model.id.in_(part))))
        for i in missing:
            if i not in found:
                raise self.imp.fail(
                    member,
                    f"refers to {model.__tablename__[:-1]} {i}, which is"
                    " neither in the bundle nor in this database",
                )
            known[i] = i

    def _identity(self) -> bool:
        """Whether every id this bundle refers to is the same here (a fresh import)."""
        maps = (self.imp.doc_map, self.imp.annotator_map, self.actor_map, self.target_map)
        return all(k == v for m in maps for k, v in m.items())

    def _remap(self, rec: dict[str, Any]) -> dict[str, Any]:
        out = dict(rec)
        out["document_id"] = self.imp.doc_map[rec["document_id"]]
        for key in ("annotator_id", "reviewer_id"):
            if out[key] is not None:
                out[key] = self.imp.annotator_map[out[key]]
        for key in ("speaker_id", "via_id"):
            if out[key] is not None:
                out[key] = self.actor_map[out[key]]
        if out["target_id"] is not None:
            out["target_id"] = self.target_map[out["target_id"]]
        return out

    # -- attributions -------------------------------------------------------------------------
    def attributions(self, incoming: list[dict[str, Any]], done: int, total: int) -> None:
        member = "attributions.jsonl"
        counts = self.imp.report.count("attributions")
        if not incoming:
            return
        self._resolve_local(
            member, schema.Document, {r["document_id"] for r in incoming}, self.imp.doc_map
        )
        people = {r[k] for r in incoming for k in ("annotator_id", "reviewer_id") if r[k]}
        self._resolve_local(member, schema.Annotator, people, self.imp.annotator_map)
        actors = {r[k] for r in incoming for k in ("speaker_id", "via_id") if r[k]}
        self._resolve_local(member, schema.Actor, actors, self.actor_map)
        self._resolve_local(
            member,
            schema.Target,
            {r["target_id"] for r in incoming if r["target_id"]},
            self.target_map,
        )
        self._check_lengths(incoming)
        t = schema.Attribution.__table__
        ids = [r["id"] for r in incoming]
        self.attr_ids.update(ids)
        local_by_id: dict[str, dict[str, Any]] = {}
        for part in chunks(ids):
            local_by_id.update(load_raw(self.s, t, part))
        self._load_history_keys([i for i in ids if i in local_by_id])
        identity = self._identity()  # records are only read below: no copies needed then
        new_rows: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        for n, raw in enumerate(incoming):
            if n % 2000 == 0:
                self.imp.step("attributions", done + n, total)
            rec = raw if identity else self._remap(raw)
            local = local_by_id.get(rec["id"])
            if local is None:
                new_rows.append(rec)
                continue
            if local == rec:  # the common re-import case, decided in one C-level comparison
                counts.unchanged += 1
                continue
            merged = merge_versions(local, rec, ATTR_FIELDS)
            if merged.differ:
                loser = (
                    local if merged.incoming_won else {**rec, "document_id": local["document_id"]}
                )
                kept = self._keep_history(loser, history)
                if merged.incoming_won:
                    counts.updated += 1
                elif kept:
                    counts.conflicts += 1
                else:
                    counts.unchanged += 1  # this older version was met (and kept) before
            elif merged.changes:
                counts.updated += 1
            else:
                counts.unchanged += 1
            if merged.changes:
                final = {
                    k: local[k] for k in (*ATTR_FIELDS, "created_at", "updated_at", "deleted_at")
                }
                final.update(merged.changes)
                final["b_id"] = local["id"]
                changed.append(final)
        if new_rows:
            new_rows.sort(key=lambda r: r["id"])  # in key order: appends to the id index
            bulk_insert(self.s, t, new_rows)
            counts.added += len(new_rows)
        if changed:
            # executemany needs one key set: every row carries all columns, prefixed "v_".
            rows = [{f"v_{k}": v for k, v in row.items()} for row in changed]
            values = {k: bindparam(f"v_{k}") for k in changed[0] if k != "b_id"}
            self.s.execute(update(t).where(t.c.id == bindparam("v_b_id")).values(values), rows)
        if history:
            self.s.execute(insert(schema.AttributionHistory.__table__), history)

    def _check_lengths(self, incoming: list[dict[str, Any]]) -> None:
        bundled = self.imp.bundled_docs
        outside = sorted(
            {
                self.imp.doc_map[r["document_id"]]
                for r in incoming
                if r["document_id"] not in bundled
            }
        )
        lengths: dict[str, int] = {}
        d = schema.Document
        for part in chunks(outside):
            lengths.update(self.s.execute(select(d.id, d.length).where(d.id.in_(part))).tuples())
        if not lengths:
            return  # every document is in the bundle: read_bundle checked the spans
        for r in incoming:
            length = lengths.get(self.imp.doc_map[r["document_id"]])
            if length is None:
                continue
            ends = [e for _s, e in r["content_spans"]] + [
                e for e in (r["cue_end"], r["mention_end"]) if e is not None
            ]
            if max(ends) > length:
                raise self.imp.fail(
                    "attributions.jsonl",
                    f"attribution {r['id']} has a span outside its document (length {length})",
                )

    def _load_history_keys(self, attribution_ids: list[str]) -> None:
        h = schema.AttributionHistory
        if not attribution_ids or self.s.scalar(select(h.id).limit(1)) is None:
            return  # no history here at all: skip a hundred look-ups on large imports
        for part in chunks(attribution_ids):
            for aid, snap in self.s.execute(
                select(h.attribution_id, h.snapshot).where(h.attribution_id.in_(part))
            ):
                self.history_keys.add((aid, version_hash(snap)))

    def _keep_history(self, version: dict[str, Any], out: list[dict[str, Any]]) -> bool:
        """Queue `version` for attribution_history unless it is there. Returns whether queued."""
        snap = snapshot(version)
        key = (version["id"], version_hash(snap))
        if key in self.history_keys:
            return False
        self.history_keys.add(key)
        # Stamped with the version's own time so the history is the same whatever the order.
        ts = version["updated_at"]
        out.append(
            {
                "id": new_id(),
                "attribution_id": version["id"],
                "snapshot": snap,
                "reason": MERGE_REASON,
                "created_at": ts,
                "updated_at": ts,
            }
        )
        return True

    # -- history, review events, document work ---------------------------------------------------
    def history(self, records: list[dict[str, Any]]) -> None:
        counts = self.imp.report.count("attribution_history")
        if not records:
            return
        h = schema.AttributionHistory.__table__
        known = {i: i for i in self.attr_ids}
        self._resolve_local(
            "attribution_history.jsonl",
            schema.Attribution,
            {r["attribution_id"] for r in records},
            known,
        )
        self._load_history_keys(sorted({r["attribution_id"] for r in records} - self.attr_ids))
        existing: set[str] = set()
        for part in chunks([r["id"] for r in records]):
            existing.update(self.s.scalars(select(h.c.id).where(h.c.id.in_(part))))
        rows = []
        for r in records:
            key = (r["attribution_id"], version_hash(r["snapshot"]))
            if r["id"] in existing or key in self.history_keys:
                counts.unchanged += 1
                continue
            self.history_keys.add(key)
            rows.append(r)
        if rows:
            self.s.execute(insert(h), rows)
            counts.added += len(rows)

    def review_events(self, records: list[dict[str, Any]]) -> None:
        counts = self.imp.report.count("review_events")
        if not records:
            return
        t = schema.ReviewEvent.__table__
        known = {i: i for i in self.attr_ids}
        self._resolve_local(
            "reviews.jsonl", schema.Attribution, {r["attribution_id"] for r in records}, known
        )
        self._resolve_local(
            "reviews.jsonl",
            schema.Annotator,
            {r["reviewer_id"] for r in records if r["reviewer_id"]},
            self.imp.annotator_map,
        )
        existing: set[str] = set()
        for part in chunks([r["id"] for r in records]):
            existing.update(self.s.scalars(select(t.c.id).where(t.c.id.in_(part))))
        rows = []
        for r in records:
            if r["id"] in existing:
                counts.unchanged += 1
                continue
            row = {k: v for k, v in r.items() if k != "record"}
            if row["reviewer_id"] is not None:
                row["reviewer_id"] = self.imp.annotator_map[row["reviewer_id"]]
            rows.append(row)
        if rows:
            self.s.execute(insert(t), rows)
            counts.added += len(rows)

    def document_work(self, records: list[dict[str, Any]]) -> None:
        counts = self.imp.report.count("document_work")
        if not records:
            return
        t = schema.DocumentWork.__table__
        member = "reviews.jsonl"
        self._resolve_local(
            member, schema.Document, {r["document_id"] for r in records}, self.imp.doc_map
        )
        self._resolve_local(
            member, schema.Annotator, {r["annotator_id"] for r in records}, self.imp.annotator_map
        )
        for r in records:
            doc = self.imp.doc_map[r["document_id"]]
            ann = self.imp.annotator_map[r["annotator_id"]]
            local = self.s.execute(
                select(*t.c).where(t.c.document_id == doc, t.c.annotator_id == ann)
            ).first()
            if local is None:
                taken = self.s.scalar(select(t.c.id).where(t.c.id == r["id"]))
                self.s.execute(
                    insert(t).values(
                        id=new_id() if taken else r["id"],
                        document_id=doc,
                        annotator_id=ann,
                        status=r["status"],
                        created_at=r["created_at"],
                        updated_at=r["updated_at"],
                    )
                )
                counts.added += 1
                continue
            merged = merge_versions(dict(local._mapping), r, ("status",))
            if merged.changes:
                self.s.execute(update(t).where(t.c.id == local.id).values(**merged.changes))
                counts.updated += 1
            else:
                counts.unchanged += 1
