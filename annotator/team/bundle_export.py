"""Write a bundle: everything (or a filtered part) of a database into one zip file.

Reads happen in one session (one snapshot, so the members agree with each other); the file is
written to a temporary name beside the target and renamed into place only when complete.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, LargeBinary, Select, String, and_, or_, select, type_coerce
from sqlalchemy.orm import Session

from annotator import __version__
from annotator.files import file_mode, fsync_dir, fsync_path
from annotator.matching import fold
from annotator.model import (
    ActorRecord,
    ActorType,
    TargetRecord,
    utcnow,
)
from annotator.native import actor_to_native, document_to_native, iso, target_to_native
from annotator.services.projects import project_row
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import document_info
from annotator.team.bundle_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    BundleCancelled,
    BundleError,
    json_line,
    loads_str,
    to_json_value,
)
from annotator.text import sha256_text

Progress = Callable[[str, int, int], None]
CancelCheck = Callable[[], bool]
COMPRESS_LEVEL = 1  # JSONL still shrinks ~5x; higher levels cost far more time than they save
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member timestamps: the manifest carries the real time


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What goes into a bundle. `assignment`: documents, registries and guidelines only."""

    project: str | None = None
    annotator: str | None = None
    since: datetime | None = None
    assignment: bool = False


@dataclass(slots=True)
class ExportResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)


def _columns(table: Any, row: Any) -> dict[str, Any]:
    """A row as JSON values; only timestamp and binary columns need converting (speed)."""
    plain = _PLAIN.get(table.name)
    if plain is None:
        plain = _PLAIN[table.name] = [
            not isinstance(c.type, DateTime | LargeBinary) for c in table.columns
        ]
    names = table.columns.keys()
    return {
        name: value if keep or value is None else to_json_value(value)
        for name, keep, value in zip(names, plain, row, strict=True)
    }


_PLAIN: dict[str, list[bool]] = {}


class _Writer:
    """Streams JSONL members into the zip, hashing and counting as it goes."""

    def __init__(self, zf: zipfile.ZipFile, progress: Progress | None, cancel: CancelCheck | None):
        self.zf = zf
        self.progress = progress
        self.cancel = cancel
        self.members: dict[str, dict[str, Any]] = {}

    def member(self, name: str, lines: Iterable[dict[str, Any]], total: int) -> int:
        if self.cancel is not None and self.cancel():
            raise BundleCancelled("export cancelled")
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = COMPRESS_LEVEL  # type: ignore[attr-defined]  # py3.11 name
        digest = hashlib.sha256()
        size = count = 0
        buffer: list[bytes] = []  # lines go to the zip (and the hash) in batches: far fewer calls
        with self.zf.open(info, "w", force_zip64=True) as fh:
            for obj in lines:
                buffer.append(json_line(obj))
                count += 1
                if count % 2000 == 0:
                    size += self._flush(fh, digest, buffer)
                    if self.cancel is not None and self.cancel():
                        raise BundleCancelled("export cancelled")
                    if self.progress is not None:
                        self.progress(name, count, total)
            size += self._flush(fh, digest, buffer)
        if self.progress is not None:
            self.progress(name, count, total)
        self.members[name] = {"sha256": digest.hexdigest(), "bytes": size, "records": count}
        return count

    @staticmethod
    def _flush(fh: Any, digest: Any, buffer: list[bytes]) -> int:
        data = b"".join(buffer)
        buffer.clear()
        if data:
            fh.write(data)
            digest.update(data)
        return len(data)


def export_bundle(
    db: Database,
    out: str | os.PathLike[str],
    options: ExportOptions | None = None,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> ExportResult:
    """Write a bundle to `out` (atomically). Raises BundleError for unknown project/annotator
    or a document whose text no longer matches its SHA-256 (then nothing is written)."""
    options = options or ExportOptions()
    if options.assignment and (options.annotator or options.since):
        raise BundleError("an assignment bundle takes no --annotator or --since filter")
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=out_path.name + ".", suffix=".tmp", dir=out_path.parent)
    os.close(fd)
    try:
        with db.reader() as s, zipfile.ZipFile(tmp_name, "w", zipfile.ZIP_DEFLATED) as zf:
            writer = _Writer(zf, progress, cancel)
            manifest = _write_members(s, writer, options)
            zf.writestr(zipfile.ZipInfo(MANIFEST, date_time=_ZIP_TIME), json_line(manifest))
        os.chmod(tmp_name, file_mode())  # mkstemp's 0600 would outlive the rename: honour umask
        fsync_path(Path(tmp_name))
        os.replace(tmp_name, out_path)
        fsync_dir(out_path.parent)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    counts = {name: m["records"] for name, m in manifest["members"].items()}
    return ExportResult(out_path, counts, manifest)


def _write_members(s: Session, w: _Writer, options: ExportOptions) -> dict[str, Any]:
    project_q = select(*schema.Project.__table__.c).order_by(schema.Project.name)
    if options.project is not None:
        found = project_row(s, options.project, create=False)  # any letter case
        project_q = project_q.where(schema.Project.id == (found.id if found else ""))
    projects = s.execute(project_q).all()
    if options.project is not None and not projects:
        raise BundleError(f"no project named {options.project!r}")
    project_ids = [p.id for p in projects]
    annotator_id = None
    if options.annotator is not None:
        annotator_id = s.scalar(
            select(schema.Annotator.id).where(schema.Annotator.name == options.annotator)
        )
        if annotator_id is None:
            raise BundleError(f"no annotator named {options.annotator!r}")

    in_projects = select(schema.Document.id).where(schema.Document.project_id.in_(project_ids))
    attr_ids = _attribution_ids(in_projects, annotator_id, options)
    work_cond = _work_condition(in_projects, annotator_id, options)
    doc_cond = _document_condition(project_ids, attr_ids, work_cond, options)

    w.member(
        "projects.jsonl",
        (_columns(schema.Project.__table__, p) for p in projects),
        len(projects),
    )
    annotators = s.execute(
        select(*schema.Annotator.__table__.c).order_by(schema.Annotator.name)
    ).all()
    w.member(
        "annotators.jsonl",
        (_columns(schema.Annotator.__table__, a) for a in annotators),
        len(annotators),
    )
    docs_q = select(*schema.Document.__table__.c).where(doc_cond).order_by(schema.Document.seq)
    doc_rows = s.connection().execute(docs_q)
    w.member("documents.jsonl", (_document_line(r) for r in doc_rows), _count(s, docs_q))
    w.member("actors.jsonl", _registry_lines(s, schema.Actor, project_ids), 0)
    w.member("targets.jsonl", _registry_lines(s, schema.Target, project_ids), 0)
    # The filter itself (not "id IN (...)"), in storage order: no sort of 100k rows needed.
    attr_q = select(*schema.Attribution.__table__.c).where(attr_ids.whereclause)
    w.member(
        "attributions.jsonl",
        _raw_lines(s, schema.Attribution.__table__, attr_ids.whereclause),
        _count(s, attr_q),
    )
    w.member("reviews.jsonl", _review_lines(s, attr_ids, work_cond), 0)
    hist_q = (
        select(*schema.AttributionHistory.__table__.c)
        .join(schema.Attribution, schema.Attribution.id == schema.AttributionHistory.attribution_id)
        .where(attr_ids.whereclause)
        .order_by(schema.AttributionHistory.attribution_id, schema.AttributionHistory.id)
    )
    w.member(
        "attribution_history.jsonl",
        (_columns(schema.AttributionHistory.__table__, r) for r in s.execute(hist_q)),
        _count(s, hist_q),
    )
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "kind": "assignment" if options.assignment else "full",
        "created_at": iso(utcnow()),
        "filters": {
            "project": options.project,
            "annotator": options.annotator,
            "since": iso(options.since),
        },
        "counts": {name: m["records"] for name, m in w.members.items()},
        "members": w.members,
    }


def _raw_lines(s: Session, table: Any, where: Any) -> Iterator[dict[str, Any]]:
    """Rows as JSON objects, reading timestamps as stored text (SQLAlchemy's DateTime parsing
    dominates large exports): "YYYY-MM-DD HH:MM:SS.ffffff" becomes ISO-8601 with Z."""
    names = [c.name for c in table.columns]
    dts = [c.name for c in table.columns if isinstance(c.type, DateTime)]
    jsons = [c.name for c in table.columns if isinstance(c.type, JSON)]
    raw = {*dts, *jsons}  # JSON text parsed here: the C scanner without SQLAlchemy's wrapping
    cols = [type_coerce(c, String).label(c.name) if c.name in raw else c for c in table.columns]
    for row in s.connection().execute(select(*cols).where(where)):
        line = dict(zip(names, row, strict=True))
        for n in dts:
            if line[n] is not None:
                line[n] = line[n].replace(" ", "T") + "Z"
        for n in jsons:
            if line[n] is not None:
                line[n] = loads_str(line[n])
        yield line


def _count(s: Session, query: Select[Any]) -> int:
    from sqlalchemy import func

    return int(s.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0)


def _attribution_ids(in_projects: Select[Any], annotator_id: str | None, o: ExportOptions) -> Any:
    a = schema.Attribution
    conds = [a.document_id.in_(in_projects)]
    if o.assignment:
        conds.append(a.id.is_(None))  # assignments carry no annotations
    if annotator_id is not None:
        conds.append(a.annotator_id == annotator_id)
    if o.since is not None:
        conds.append(a.updated_at >= o.since)  # deletions bump updated_at too
    return select(a.id).where(and_(*conds))


def _work_condition(in_projects: Select[Any], annotator_id: str | None, o: ExportOptions) -> Any:
    w = schema.DocumentWork
    conds = [w.document_id.in_(in_projects)]
    if o.assignment:
        conds.append(w.id.is_(None))
    if annotator_id is not None:
        conds.append(w.annotator_id == annotator_id)
    if o.since is not None:
        conds.append(w.updated_at >= o.since)
    return and_(*conds)


def _document_condition(
    project_ids: list[str], attr_ids: Any, work_cond: Any, o: ExportOptions
) -> Any:
    d = schema.Document
    in_projects = d.project_id.in_(project_ids)
    if o.annotator is None and o.since is None:
        return in_projects
    # Filtered: the documents the chosen work refers to (the receiver may lack them).
    referenced = or_(
        d.id.in_(select(schema.Attribution.document_id).where(schema.Attribution.id.in_(attr_ids))),
        d.id.in_(select(schema.DocumentWork.document_id).where(work_cond)),
    )
    if o.since is not None and o.annotator is None:
        referenced = or_(referenced, d.updated_at >= o.since)
    return and_(in_projects, referenced)


def _document_line(row: Any) -> dict[str, Any]:
    # Receivers refuse a bundle with a damaged text as a whole: refuse to write one (cheap).
    if sha256_text(row.text) != row.text_sha256:
        raise BundleError(
            f"document {(row.title or '').strip() or '(untitled)'!r} ({row.id}): its stored text"
            " no longer matches its SHA-256 (a damaged row), so no bundle was written;"
            " run `annotator db check` to list the damaged rows"
        )
    info = document_info(row, row.metadata or {})
    # A native document line (annotations travel in attributions.jsonl) plus bundle-only fields.
    line = document_to_native(info, row.text, [])
    del line["attributions"]
    line.update(
        project_id=row.project_id,
        raw_path=row.raw_path or "",
        raw_sha256=row.raw_sha256 or "",
        raw_bytes=to_json_value(row.raw_bytes) if row.raw_bytes is not None else None,
        import_report=row.import_report or {},
        created_at=iso(row.created_at),
        updated_at=iso(row.updated_at),
        deleted_at=iso(row.deleted_at),
    )
    return line


def _registry_lines(
    s: Session, model: type[schema.Actor] | type[schema.Target], project_ids: list[str]
) -> Iterator[dict[str, Any]]:
    alias_model = schema.ActorAlias if model is schema.Actor else schema.TargetAlias
    owner = alias_model.actor_id if model is schema.Actor else alias_model.target_id  # type: ignore[union-attr]
    rows = s.execute(
        select(*model.__table__.c).where(model.project_id.in_(project_ids)).order_by(model.id)
    ).all()
    aliases: dict[str, list[Any]] = {}
    alias_rows = (
        s.execute(
            select(*alias_model.__table__.c, owner.label("owner_id"))
            .where(owner.in_([r.id for r in rows]))
            .order_by(alias_model.created_at, alias_model.id)
        ).all()
        if rows
        else []
    )
    for a in alias_rows:
        aliases.setdefault(a.owner_id, []).append(a)
    for r in rows:
        own = aliases.get(r.id, [])
        live = tuple(a.alias for a in own if a.deleted_at is None)
        if model is schema.Actor:
            try:
                kind = ActorType(r.type)
            except ValueError:
                kind = ActorType.PERSON
            line = actor_to_native(
                ActorRecord(
                    r.id, r.project_id, r.name, kind, r.role, r.affiliation, r.wikidata_id, live
                )
            )
            line["type"] = r.type  # verbatim, even if this version does not know the type
        else:
            line = target_to_native(TargetRecord(r.id, r.project_id, r.name, r.description, live))
        line.update(
            project_id=r.project_id,
            merged_into_id=r.merged_into_id,
            alias_records=[
                {
                    "id": a.id,
                    "alias": a.alias,
                    "normalized": a.normalized or fold(a.alias),
                    "created_at": iso(a.created_at),
                    "updated_at": iso(a.updated_at),
                    "deleted_at": iso(a.deleted_at),
                }
                for a in own
            ],
            created_at=iso(r.created_at),
            updated_at=iso(r.updated_at),
            deleted_at=iso(r.deleted_at),
        )
        yield line


def _review_lines(s: Session, attr_ids: Any, work_cond: Any) -> Iterator[dict[str, Any]]:
    ev = schema.ReviewEvent
    for r in s.execute(
        select(*ev.__table__.c)
        .join(schema.Attribution, schema.Attribution.id == ev.attribution_id)
        .where(attr_ids.whereclause)  # a join, not IN (100k ids): events are few
        .order_by(ev.id)
    ):
        yield {"record": "review_event", **_columns(ev.__table__, r)}
    wk = schema.DocumentWork
    for r in s.execute(select(*wk.__table__.c).where(work_cond).order_by(wk.id)):
        yield {"record": "document_work", **_columns(wk.__table__, r)}
