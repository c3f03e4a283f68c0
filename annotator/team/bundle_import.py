"""Import (merge) a bundle: verify its bytes, then check and apply it in ONE transaction.

The members are streamed (bundle_validate): each record is checked against the native schema as
it is read, in batches, so memory stays flat whatever the bundle's size; any problem raises
BundleError and rolls the whole transaction back.

Matching: projects and annotators by UUID else name; documents by UUID else by text hash within
the project; actors and targets by UUID else by canonical name or alias. A matched incoming id is
mapped to the local one everywhere it is referred to. Attributions, review events, document work
and history merge by UUID (document work by document + annotator). Merge rules: bundle_merge.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.team.bundle_format import BundleCancelled, BundleError, gc_paused
from annotator.team.bundle_merge import chunks, merge_versions
from annotator.team.bundle_registry import RegistryMerger
from annotator.team.bundle_sql import bulk_insert
from annotator.team.bundle_validate import BundleReader, open_bundle
from annotator.team.bundle_work import WorkMerger

Progress = Callable[[str, int, int], None]
CancelCheck = Callable[[], bool]
BIG_CACHE_KIB = 8 * 1024  # page cache of large merges: memory stays flat (< 150 MiB in all)
DOC_BATCH = 500  # documents applied per batch (each may be large)
RECORD_BATCH = 2_000  # attributions, history and review records per batch
DOC_FIELDS = (
    "title",
    "source",
    "url",
    "published",
    "place",
    "author",
    "language",
    "metadata",
    "raw_path",
    "raw_sha256",
    "import_report",
)


# The columns a new document row is inserted with (all but the rowid `seq`).
DOC_COLUMNS = (
    "id",
    "project_id",
    "title",
    "text",
    "text_sha256",
    "length",
    "source",
    "url",
    "published",
    "place",
    "author",
    "language",
    "metadata",
    "raw_bytes",
    "raw_path",
    "raw_sha256",
    "import_report",
    "created_at",
    "updated_at",
    "deleted_at",
)


@dataclass(slots=True)
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0


@dataclass(slots=True)
class ImportReport:
    """What an import did. `conflicts`: differing versions met; the older went to history."""

    bundle: str
    kind: str = "full"
    counts: dict[str, Counts] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)  # e.g. documents matched by text hash
    likely_duplicates: list[str] = field(default_factory=list)

    def count(self, table: str) -> Counts:
        return self.counts.setdefault(table, Counts())

    def changed(self) -> bool:
        return any(c.added or c.updated or c.conflicts for c in self.counts.values())

    def lines(self) -> list[str]:
        out = [f"{self.bundle}: {self.kind} bundle imported"]
        for table, c in self.counts.items():
            out.append(
                f"  {table:<20} added {c.added}, updated {c.updated},"
                f" unchanged {c.unchanged}, conflicts {c.conflicts}"
            )
        for what, n in sorted(self.matched.items()):
            if n:
                out.append(f"  matched {what}: {n}")
        if self.likely_duplicates:
            out.append("  likely duplicates to merge (Registry > Merge):")
            out.extend(f"    {line}" for line in self.likely_duplicates)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "kind": self.kind,
            "counts": {t: _counts(c) for t, c in self.counts.items()},
            "matched": dict(self.matched),
            "likely_duplicates": list(self.likely_duplicates),
        }


def _counts(c: Counts) -> dict[str, int]:
    return {
        "added": c.added,
        "updated": c.updated,
        "unchanged": c.unchanged,
        "conflicts": c.conflicts,
    }


def import_bundle(
    db: Database,
    bundle: str | os.PathLike[str] | BundleReader,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> ImportReport:
    """Verify then merge the bundle (a path, or a reader already opened and verified). All or
    nothing: raises BundleError (or BundleCancelled) with the database unchanged."""
    reader = bundle if isinstance(bundle, BundleReader) else open_bundle(bundle)
    try:
        if not reader.verified:
            reader.verify(progress)
        with gc_paused():
            return _import(db, reader, progress, cancel)
    finally:
        if reader is not bundle:
            reader.close()


def _import(
    db: Database,
    reader: BundleReader,
    progress: Progress | None,
    cancel: CancelCheck | None,
) -> ImportReport:
    if cancel is not None and cancel():
        raise BundleCancelled("import cancelled")
    report = ImportReport(reader.name, reader.kind)
    try:
        with db.session() as s:
            stated = reader.members.get("attributions.jsonl", {}).get("records") or 0
            big = db.is_sqlite and stated > 20_000
            if big:  # random UUID keys thrash the default 2 MB page cache on large merges
                s.connection().exec_driver_sql(f"PRAGMA cache_size=-{BIG_CACHE_KIB}")
            try:
                Importer(s, reader, report, progress, cancel).run()
            finally:
                if big:
                    s.connection().exec_driver_sql("PRAGMA cache_size=-2000")
    except (BundleError, BundleCancelled):
        raise
    except SQLAlchemyError as exc:
        detail = getattr(exc, "orig", None) or exc
        raise BundleError(
            f"{reader.name}: could not be applied ({detail}); nothing was changed"
        ) from exc
    return report


class Importer:
    """Applies one validated bundle inside an open session; raises BundleError to roll back."""

    def __init__(
        self,
        s: Session,
        reader: BundleReader,
        report: ImportReport,
        progress: Progress | None,
        cancel: CancelCheck | None,
    ) -> None:
        self.s = s
        self.r = reader
        self.report = report
        self.progress = progress
        self.cancel = cancel
        self.project_map: dict[str, str] = {}
        self.annotator_map: dict[str, str] = {}
        self.doc_map: dict[str, str] = {}
        self.bundled_docs: set[str] = set()  # ids of the documents the bundle carries
        self.new_by_hash: dict[tuple[str, str], str] = {}  # texts added by this bundle

    def step(self, stage: str, done: int, total: int) -> None:
        if self.cancel is not None and self.cancel():
            raise BundleCancelled("import cancelled")
        if self.progress is not None:
            self.progress(stage, done, total)

    def fail(self, member: str, message: str) -> BundleError:
        return BundleError(f"{self.r.name}: {member}: {message}")

    def stated(self, member: str) -> int:
        """How many records the manifest says a member holds (for progress)."""
        return int(self.r.members.get(member, {}).get("records") or 0)

    def run(self) -> None:
        r = self.r
        self.step("projects", 0, 1)
        self.projects([rec for _k, rec in r.records("projects.jsonl")])
        self.annotators([rec for _k, rec in r.records("annotators.jsonl")])
        total, done = self.stated("documents.jsonl"), 0
        self.step("documents", 0, total)
        for batch in r.batches("documents.jsonl", DOC_BATCH):
            self.documents(batch, done, total)
            done += len(batch)
        registry = RegistryMerger(self)
        self.step("registries", 0, 1)
        actors = [rec for _k, rec in r.records("actors.jsonl")]
        actor_map = registry.merge("actors.jsonl", schema.Actor, actors)
        targets = [rec for _k, rec in r.records("targets.jsonl")]
        target_map = registry.merge("targets.jsonl", schema.Target, targets)
        del actors, targets
        work = WorkMerger(self, actor_map, target_map)
        total, done = self.stated("attributions.jsonl"), 0
        for batch in r.batches("attributions.jsonl", RECORD_BATCH):
            work.attributions(batch, done, total)
            done += len(batch)
        self.step("attributions", done, max(total, done))
        for batch in r.batches("attribution_history.jsonl", RECORD_BATCH):
            work.history(batch)
        events: list[dict[str, Any]] = []
        statuses: list[dict[str, Any]] = []
        for kind, rec in r.records("reviews.jsonl"):
            (events if kind == "review_event" else statuses).append(rec)
            if len(events) >= RECORD_BATCH:
                work.review_events(events)
                events = []
            if len(statuses) >= RECORD_BATCH:
                work.document_work(statuses)
                statuses = []
        work.review_events(events)
        work.document_work(statuses)
        self.step("done", 1, 1)

    # -- projects and annotators ------------------------------------------------------------
    def projects(self, records: list[dict[str, Any]]) -> None:
        t = schema.Project.__table__
        counts = self.report.count("projects")
        for rec in records:
            local = self.s.execute(select(*t.c).where(t.c.id == rec["id"])).first()
            if local is None:
                folded = str(rec["name"]).casefold()  # names match in any letter case
                local = next(
                    (
                        r
                        for r in self.s.execute(select(*t.c).order_by(t.c.created_at, t.c.id))
                        if r.name.casefold() == folded
                    ),
                    None,
                )
                if local is not None:
                    self.report.matched["projects by name"] = (
                        self.report.matched.get("projects by name", 0) + 1
                    )
            if local is None:
                self.s.execute(insert(t).values(**rec))
                self.project_map[rec["id"]] = rec["id"]
                counts.added += 1
                continue
            self.project_map[rec["id"]] = local.id
            merged = merge_versions(
                dict(local._mapping), rec, ("name", "description", "guidelines")
            )
            name = merged.changes.get("name")
            if name is not None and self.s.scalar(
                select(t.c.id).where(t.c.name == name, t.c.id != local.id)
            ):
                del merged.changes["name"]  # another local project has that name: keep ours
            self._apply(t, local.id, merged.changes, counts)

    def annotators(self, records: list[dict[str, Any]]) -> None:
        t = schema.Annotator.__table__
        counts = self.report.count("annotators")
        for rec in records:
            local = self.s.execute(select(*t.c).where(t.c.id == rec["id"])).first()
            if local is None:
                local = self.s.execute(select(*t.c).where(t.c.name == rec["name"])).first()
            if local is None:
                self.s.execute(insert(t).values(**rec))
                self.annotator_map[rec["id"]] = rec["id"]
                counts.added += 1
                continue
            self.annotator_map[rec["id"]] = local.id
            merged = merge_versions(dict(local._mapping), rec, ("name",))
            name = merged.changes.get("name")
            if name is not None and self.s.scalar(
                select(t.c.id).where(t.c.name == name, t.c.id != local.id)
            ):
                del merged.changes["name"]
            self._apply(t, local.id, merged.changes, counts)

    def _apply(self, table: Any, row_id: str, changes: dict[str, Any], counts: Counts) -> None:
        if changes:
            self.s.execute(update(table).where(table.c.id == row_id).values(**changes))
            counts.updated += 1
        else:
            counts.unchanged += 1

    def local_project(self, member: str, project_id: str) -> str:
        """The local id of a project a record belongs to (from this bundle, or already here)."""
        if project_id in self.project_map:
            return self.project_map[project_id]
        if self.s.scalar(select(schema.Project.id).where(schema.Project.id == project_id)):
            self.project_map[project_id] = project_id
            return project_id
        raise self.fail(
            member,
            f"refers to project {project_id}, which is neither in the bundle nor in this database",
        )

    # -- documents ------------------------------------------------------------------------------
    def documents(self, incoming: list[dict[str, Any]], done: int, total: int) -> None:
        t = schema.Document.__table__
        counts = self.report.count("documents")
        self.bundled_docs.update(d["id"] for d in incoming)
        cols = [*(c for c in t.c if c.name not in ("text", "raw_bytes")), t.c.raw_bytes.is_(None)]
        local_by_id: dict[str, dict[str, Any]] = {}
        for part in chunks([d["id"] for d in incoming]):
            for row in self.s.execute(select(*cols).where(t.c.id.in_(part))):
                local_by_id[row.id] = _doc_dict(row)
        # Live local documents with the same text, found in bulk (first stored wins).
        by_hash: dict[tuple[str, str], dict[str, Any]] = {}
        unknown = [d["text_sha256"] for d in incoming if d["id"] not in local_by_id]
        for part in chunks(sorted(set(unknown))):
            query = select(*cols).where(t.c.text_sha256.in_(part), t.c.deleted_at.is_(None))
            for row in self.s.execute(query.order_by(t.c.seq)):
                by_hash.setdefault((row.project_id, row.text_sha256), _doc_dict(row))
        new_rows: list[dict[str, Any]] = []
        for n, rec in enumerate(incoming):
            if n % 500 == 0:
                self.step("documents", done + n, total)
            project_id = self.local_project("documents.jsonl", rec["project_id"])
            local = local_by_id.get(rec["id"])
            if local is None and rec["deleted_at"] is None:
                key = (project_id, rec["text_sha256"])
                first = self.new_by_hash.get(key)  # added by an earlier batch or line
                local = by_hash.get(key) if first is None else None
                if local is not None or first is not None:
                    self.report.matched["documents by text hash"] = (
                        self.report.matched.get("documents by text hash", 0) + 1
                    )
                if first is not None:  # the same text twice in this bundle: map to the first
                    self.doc_map[rec["id"]] = first
                    counts.unchanged += 1
                    continue
            if local is None:
                row = dict(rec)
                row.update(project_id=project_id, length=len(rec["text"]))
                new_rows.append(row)
                self.doc_map[rec["id"]] = rec["id"]
                if rec["deleted_at"] is None:
                    self.new_by_hash.setdefault((project_id, rec["text_sha256"]), rec["id"])
                continue
            if local["text_sha256"] != rec["text_sha256"]:
                raise self.fail(
                    "documents.jsonl",
                    f"document {rec['id']} has a different text"
                    " here; texts never change, so the bundle is inconsistent",
                )
            self.doc_map[rec["id"]] = local["id"]
            merged = merge_versions(local, rec, DOC_FIELDS)
            if local["no_raw"] and rec["raw_bytes"] is not None:
                merged.changes["raw_bytes"] = rec["raw_bytes"]
                merged.changes.setdefault("updated_at", local["updated_at"])
            self._apply(t, local["id"], merged.changes, counts)
        bulk_insert(self.s, t, new_rows, DOC_COLUMNS)
        counts.added += len(new_rows)


def _doc_dict(row: Any) -> dict[str, Any]:
    out = dict(row._mapping)
    out["no_raw"] = row[-1]
    return out
