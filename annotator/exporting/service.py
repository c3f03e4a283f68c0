"""export_dataset: select, verify, split, write, hash, and commit an export in one call.

Two streaming passes when splitting (statistics for the splitter, then writing), one otherwise;
each holds one batch of documents in memory. Used by the CLI and the GUI dialog (from a worker
thread: `progress(done, total)` and `cancelled()` are plain callables, no Qt here).
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from annotator.exporting.atomic import AtomicFiles
from annotator.exporting.base import (
    SPLIT_NAMES,
    UNSPLIT,
    ExportDoc,
    ExportOptions,
    Writer,
    WriterContext,
)
from annotator.exporting.manifest import build_manifest, card_text, file_entries, manifest_bytes
from annotator.exporting.selection import (
    Selection,
    Status,
    count_documents,
    iter_documents,
    load_registry,
)
from annotator.exporting.splits import DocStats, assign_splits, signature
from annotator.exporting.verify import Problem, verify_document
from annotator.storage.engine import Database

# format name -> (module, class, pip extra)
FORMATS: dict[str, tuple[str, str, str | None]] = {
    "native": ("annotator.exporting.native", "NativeWriter", None),
    "quotes-jsonl": ("annotator.exporting.quotes", "QuotesJsonlWriter", None),
    "quotes-csv": ("annotator.exporting.quotes", "QuotesCsvWriter", None),
    "stance": ("annotator.exporting.stance", "StanceWriter", None),
    "spacy": ("annotator.exporting.spacy_docbin", "DocBinWriter", "spacy"),
    "hf": ("annotator.exporting.hf", "HFWriter", None),
    "conll": ("annotator.exporting.conll", "ConllWriter", None),
    "brat": ("annotator.exporting.brat", "BratWriter", None),
    "citron": ("annotator.exporting.citron", "CitronWriter", None),
}
PROGRESS_EVERY = 50

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class ExportError(Exception):
    """The export cannot run at all (unknown format, missing optional dependency, bad options)."""


@dataclass(slots=True)
class ExportResult:
    out_dir: Path
    files: list[str] = field(default_factory=list)  # relative to out_dir, incl. manifest and card
    counts: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    near_duplicate_groups: int = 0
    notes: list[str] = field(default_factory=list)
    cancelled: bool = False


def writer_class(fmt: str) -> type[Writer]:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    module_name, cls_name, extra = FORMATS[fmt]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if extra and exc.name and not exc.name.startswith("annotator"):
            raise ExportError(
                f"format {fmt!r} needs the optional dependency {exc.name!r}:"
                f" pip install 'annotator[{extra}]'"
            ) from exc
        raise
    cls: type[Writer] = getattr(module, cls_name)
    return cls


def _new_counts() -> dict[str, Any]:
    return {"documents": 0, "attributions": 0, "polarity": Counter(), "kind": Counter()}


def _label(polarity: object) -> str:
    return str(polarity) if polarity else "none"


def _plan_splits(
    db: Database,
    snapshot: Session,
    options: ExportOptions,
    selection: Selection,
    result: ExportResult,
    tick: Callable[[], None],
) -> tuple[dict[str, str], int]:
    """First pass: per-document signature and polarity counts, then the seeded assignment.

    Problems are collected here, in document order: the second pass reads only the documents
    that got a split, so a refused document (or one left with no records) is not seen again."""
    assert options.split is not None
    stats: list[DocStats] = []
    for raw in iter_documents(db, selection, session=snapshot):
        records, problems = verify_document(raw.info, raw.text, raw.rows)
        result.problems.extend(problems)
        tick()
        if problems and problems[0].whole_document:
            continue  # never written, so it takes no place in any split
        if records or selection.status == Status.ALL:
            labels = Counter(_label(r.polarity) for r in records)
            stats.append(DocStats(raw.info.id, signature(raw.text), labels))
    return assign_splits(stats, options.split, options.seed, SPLIT_NAMES)


def export_dataset(
    db: Database,
    options: ExportOptions,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ExportResult:
    """Export the selected attributions of a project to `options.out_dir` in `options.format`.

    Everything is read in one transaction, so the export is a consistent snapshot even while
    the app goes on editing (SQLite WAL: readers never block the writer).
    """
    cls = writer_class(options.format)  # fail fast on an unknown format or a missing extra
    with db.reader() as snapshot:
        return _export(db, snapshot, cls, options, progress, cancelled)


def _export(
    db: Database,
    snapshot: Session,
    cls: type[Writer],
    options: ExportOptions,
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> ExportResult:
    result = ExportResult(out_dir=options.out_dir)
    selection = Selection(options.project_id, options.status, options.annotator_id)
    total = count_documents(db, options.project_id, snapshot) * (2 if options.split else 1)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
        if cancelled is not None and cancelled():
            raise _Cancelled

    files = AtomicFiles(options.out_dir)  # refuses a folder of someone else's files up front
    try:
        mapping: dict[str, str] | None = None
        if options.split:
            mapping, result.near_duplicate_groups = _plan_splits(
                db, snapshot, options, selection, result, tick
            )
        splits = (
            [n for n, r in zip(SPLIT_NAMES, options.split, strict=True) if r > 0]
            if options.split
            else [UNSPLIT]
        )
        registry = load_registry(db, options.project_id, snapshot)
        ctx = WriterContext(
            files, options, registry, registry.names(), splitting=bool(options.split)
        )
        writer = cls(ctx)
        counts = {s: _new_counts() for s in splits}
        try:
            writer.start(splits)
            _write_all(db, snapshot, selection, mapping, writer, counts, result, tick)
        except BaseException:
            writer.abort()  # close handles first: Windows cannot delete open files
            raise
        writer.close()
        result.counts = {
            s: {
                **c,
                "polarity": dict(sorted(c["polarity"].items())),
                "kind": dict(sorted(c["kind"].items())),
            }
            for s, c in counts.items()
        }
        data_files = {
            final.relative_to(files.root).as_posix(): tmp for tmp, final in files.pending()
        }
        entries = file_entries(data_files)
        manifest = build_manifest(
            options, result.counts, entries, result.problems, result.near_duplicate_groups
        )
        card = card_text(
            options,
            result.counts,
            entries,
            cls.fields_doc,
            len(result.problems),
            writer.card_front_matter(),
        )
        files.write_text("README.md", card)
        files.write_bytes("manifest.json", manifest_bytes(manifest))
        result.notes = ctx.notes
        nothing = not any(c["attributions"] for c in result.counts.values())
        if options.status == Status.AUTO and nothing and not result.problems:
            # The default takes reviewed work only: say why a fresh project exports nothing.
            result.notes.append(
                "no attribution is gold or accepted yet, so the default selection is empty;"
                " review the work first, or choose a status (e.g. submitted, draft or all)"
            )
        result.files = sorted(p.relative_to(files.root).as_posix() for p in files.commit())
        if files.carried:
            result.notes.append(
                f"{len(files.carried)} other file(s) in {options.out_dir} are not part of this"
                " export; kept (manifest.json lists the ones that are)"
            )
    except _Cancelled:
        files.discard()
        result.cancelled = True
    except BaseException:
        files.discard()
        raise
    if progress is not None and not result.cancelled:
        progress(total, total)
    return result


def _write_all(
    db: Database,
    snapshot: Session,
    selection: Selection,
    mapping: dict[str, str] | None,
    writer: Writer,
    counts: dict[str, dict[str, Any]],
    result: ExportResult,
    tick: Callable[[], None],
) -> None:
    """Second pass: verify each document and hand it to the writer, counting as it goes.
    With splits, the first pass has already reported the problems."""
    only = set(mapping) if mapping is not None else None
    for raw in iter_documents(db, selection, only=only, session=snapshot):
        records, problems = verify_document(raw.info, raw.text, raw.rows)
        tick()
        if problems:
            if mapping is None:
                result.problems.extend(problems)
            if problems[0].whole_document:
                continue  # refused as a whole: no line, no count, no manifest entry
        if not records and selection.status != Status.ALL:
            continue
        split = mapping[raw.info.id] if mapping is not None else UNSPLIT
        writer.write(ExportDoc(raw.info, raw.text, records, split))
        c = counts[split]
        c["documents"] += 1
        c["attributions"] += len(records)
        # inline _label: one Python call less per record
        c["polarity"].update([str(r.polarity) if r.polarity else "none" for r in records])
        c["kind"].update([str(r.kind) for r in records])


class _Cancelled(Exception):
    pass
