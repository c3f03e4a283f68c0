"""import_paths: files and folders -> documents (and attributions) in a project, with a report.

Safe to call from a GUI worker thread: no Qt here; progress and cancel are plain callables.
HTML extraction runs in a process pool using every core; everything else is read in-process.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from annotator.importing import base
from annotator.importing.base import Prepared, ReadResult, where
from annotator.importing.discover import Unit, discover
from annotator.importing.store import Store
from annotator.storage.engine import Database

LINK_REFUSED = (
    "symbolic link not followed (links are followed only with --follow-links, and only to"
    " files inside the folder imported)"
)
POOL_MIN_PAGES = 24  # fewer HTML pages are extracted in-process
LOCK_RETRIES = 3  # an annotated document retried when the database was briefly locked
BATCH_SIZE = 500  # plain documents per transaction: a crash loses at most this many


@dataclass
class FileOutcome:
    path: str
    documents_added: int = 0
    duplicates: int = 0
    attributions_added: int = 0
    attributions_present: int = 0  # already stored (same annotator and spans, or same id)
    errors: list[str] = field(default_factory=list)  # each: "FILE:LINE: problem" (line when known)


@dataclass
class ImportReport:
    files: list[FileOutcome]
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def documents_added(self) -> int:
        return sum(f.documents_added for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def attributions_added(self) -> int:
        return sum(f.attributions_added for f in self.files)

    @property
    def attributions_present(self) -> int:
        return sum(f.attributions_present for f in self.files)

    @property
    def errors(self) -> list[str]:
        return [e for f in self.files for e in f.errors]


def read_unit(unit: Unit) -> ReadResult:
    """Parse one unit into prepared documents (runs in worker processes for HTML)."""
    try:
        if unit.kind == "text":
            from annotator.importing.textfile import read_text

            return read_text(unit.path)
        if unit.kind == "html":
            from annotator.importing.html import read_html

            return read_html(unit.path)
        if unit.kind == "table":
            from annotator.importing.tabular import read_table

            return read_table(unit.path)
        if unit.kind == "citron":
            from annotator.importing.citron import read_citron

            return read_citron(unit.path)
        if unit.kind == "brat":
            from annotator.importing.brat import read_brat

            return read_brat(unit.path, unit.text_path)
        if unit.kind == "quotes":
            from annotator.importing.quotes import read_quotes_pair

            return read_quotes_pair(unit.path, unit.text_path)
    except OSError as exc:
        return ReadResult(errors=[f"{unit.path}: cannot read: {exc.strerror or exc}"])
    if unit.kind == "missing":
        return ReadResult(errors=[f"{unit.path}: no such file or folder"])
    if unit.kind == "link":
        return ReadResult(errors=[f"{unit.path}: {LINK_REFUSED}"])
    if unit.kind == "special":
        return ReadResult(
            errors=[f"{unit.path}: not a regular file (a FIFO, device or socket); not read"]
        )
    if unit.kind == "unreadable":
        return ReadResult(errors=[f"{unit.path}: cannot read this folder (no permission?)"])
    return ReadResult(errors=[f"{unit.path}: unsupported file type {unit.path.suffix or '(none)'}"])


def _pool(n_html: int) -> Executor | None:
    # Starting workers (each imports trafilatura) costs about as much as extracting ~20 pages.
    if n_html < POOL_MIN_PAGES or (os.cpu_count() or 1) < 2:
        return None
    import multiprocessing
    import sys
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and "PySide6" not in sys.modules and threading.active_count() == 1:
        # A plain CLI process with no threads: fork is safe and starts workers instantly.
        context = multiprocessing.get_context("fork")
    elif "forkserver" in methods:
        # Never fork a process running Qt threads: fork from a clean server with the
        # extractor imported once (workers then start without re-importing trafilatura).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["annotator.importing.html", "trafilatura"])
    else:
        context = multiprocessing.get_context("spawn")
    workers = min(os.cpu_count() or 1, n_html)
    return ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=die_with_parent,
        initargs=(os.getpid() if context.get_start_method() != "forkserver" else 0,),
    )


def die_with_parent(parent_pid: int) -> None:
    """Pool worker start: be killed when the process that started the pool dies (kill -9 of an
    import), instead of living on as an orphan that holds the database file open."""
    import signal
    import sys

    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    # The parent may have died before prctl took effect: then this worker was re-parented.
    # (0: a forkserver's child, whose server ends with the app and takes its workers along.)
    if parent_pid and os.getppid() != parent_pid:
        os._exit(1)


class _Importer:
    """Feeds prepared documents to the store. Plain documents are written in batches by one
    background thread (sqlite releases the GIL while it writes), so reading the next files
    overlaps writing the last batch; annotated documents wait for it and go one by one."""

    def __init__(self, store: Store, cancelled: Callable[[], bool] | None = None) -> None:
        self.store = store
        self.cancelled = cancelled
        self.stopped = False  # cancelled inside a file: its remaining documents were skipped
        self.pending: list[tuple[Prepared, FileOutcome]] = []
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self.inflight: tuple[Future[None], list, list, list] | None = None

    def add(self, result: ReadResult, outcome: FileOutcome) -> None:
        outcome.errors.extend(result.errors)
        if result.actors or result.targets:
            from annotator.importing.native_import import store_registries

            self.finish()
            outcome.errors.extend(store_registries(self.store, result, outcome.path))
        for item in result.documents:
            if self.cancelled is not None and self.cancelled():
                self.stopped = True  # a big table file: stop between documents, not at its end
                return
            if item.annotated:
                self.finish()
                self._store_annotated(item, outcome)
            else:
                self.pending.append((item, outcome))
                if len(self.pending) >= BATCH_SIZE:
                    self.flush()

    def _store_annotated(self, item: Prepared, outcome: FileOutcome) -> None:
        from sqlalchemy.exc import OperationalError

        from annotator.importing.annotated import store_annotated

        for attempt in range(LOCK_RETRIES + 1):
            try:
                stored = store_annotated(self.store, item)
            except OperationalError as exc:
                # A transaction that read first cannot wait for the lock when another
                # connection (the app saving an edit) wrote meanwhile: try that document again.
                if "locked" in str(exc) and attempt < LOCK_RETRIES:
                    time.sleep(0.2 * (attempt + 1))
                    continue
                _stop_if_fatal(exc)
                outcome.errors.append(f"{where(outcome.path, item.line)}: {_message(exc)}")
                return
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
                outcome.errors.append(f"{where(outcome.path, item.line)}: {_message(exc)}")
                return
            _count(outcome, stored.added, stored.attributions_added)
            outcome.attributions_present += stored.attributions_present
            return

    def flush(self) -> None:
        """Hand the pending batch to the writer thread (after the previous one landed)."""
        self._wait()
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            results, rows = self.store.prepare_plain([p for p, _ in batch])
        except Exception:  # noqa: BLE001 - isolate the bad document(s) one by one
            self._one_by_one(batch)
            return
        future = self.writer.submit(self.store.write_rows, rows)
        self.inflight = (future, batch, results, rows)

    def _wait(self) -> None:
        if self.inflight is None:
            return
        future, batch, results, _rows = self.inflight
        self.inflight = None
        try:
            future.result()
        except Exception as exc:  # noqa: BLE001 - the batch was rolled back: retry one by one
            _stop_if_fatal(exc)
            self._one_by_one(batch)
            return
        for (_item, outcome), stored in zip(batch, results, strict=True):
            _count(outcome, stored.added, 0)

    def _one_by_one(self, batch: list[tuple[Prepared, FileOutcome]]) -> None:
        for item, outcome in batch:
            try:
                (stored,) = self.store.store_plain([item])
            except Exception as exc:  # noqa: BLE001
                _stop_if_fatal(exc)
                outcome.errors.append(f"{where(outcome.path, item.line)}: {_message(exc)}")
            else:
                _count(outcome, stored.added, 0)

    def finish(self) -> None:
        """Everything handed over is written (or reported) when this returns."""
        self.flush()
        self._wait()

    def close(self) -> None:
        self.writer.shutdown(wait=True)


class ImportStopped(Exception):
    """The disk is full (or the database became unwritable): every further document would fail
    the same way, so the import stops with one message instead of one per file."""


def _stop_if_fatal(exc: BaseException) -> None:
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "database or disk is full" in text or "no space left" in text or "disk i/o" in text:
        raise ImportStopped(
            "the disk is full: the import stopped here (what was stored before stays stored)."
            " Free some space and import again; documents already stored count as duplicates"
        ) from exc
    if "readonly database" in text or "read-only" in text:
        raise ImportStopped("the database became read-only: the import stopped here") from exc


def _count(outcome: FileOutcome, added: bool, attributions: int) -> None:
    if added:
        outcome.documents_added += 1
    else:
        outcome.duplicates += 1
    outcome.attributions_added += attributions


def _already_imported(store: Store, units: list[Unit]) -> set[Path]:
    """HTML files whose bytes (SHA-256) match a document already in the project."""
    if not units:
        return set()
    known = store.raw_hashes()
    if not known:
        return set()
    seen = set()
    for unit in units:
        try:
            if hashlib.sha256(base.read_limited(unit.path)).hexdigest() in known:
                seen.add(unit.path)
        except (OSError, base.InputError):
            continue  # reported when the file is read for real
    return seen


def _message(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def import_paths(
    db: Database,
    paths: Sequence[str | Path],
    *,
    project: str = "Default",
    annotator: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    follow_links: bool = False,
) -> ImportReport:
    """Import files and folders into `project`; attributions default to `annotator`.

    Never raises for bad input: every problem is a line in the report. Cancelling stops after
    the document in flight; what was stored stays stored (each document whole).
    """
    if annotator is None:
        from annotator.cli.common import default_annotator_name

        annotator = default_annotator_name()
    units = discover(paths, follow_links)
    report = ImportReport(files=[])
    importer = _Importer(Store(db, project, annotator), cancelled)
    # A page whose exact bytes were imported before is a duplicate without extracting it again
    # (re-importing a grown folder stays fast).
    seen_pages = _already_imported(importer.store, [u for u in units if u.kind == "html"])
    html_units = [u for u in units if u.kind == "html" and u.path not in seen_pages]
    pool = _pool(len(html_units))
    futures: dict[Path, Future[ReadResult]] = {}
    try:
        if pool is not None:
            futures = {u.path: pool.submit(read_unit, u) for u in html_units}
        for done, unit in enumerate(units):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            outcome = FileOutcome(str(unit.path))
            report.files.append(outcome)
            future = futures.pop(unit.path, None)
            if unit.path in seen_pages:
                outcome.duplicates += 1
            else:
                try:
                    result = future.result() if future is not None else read_unit(unit)
                except Exception as exc:  # noqa: BLE001 - a crashing parser is one file's problem
                    result = ReadResult(errors=[f"{unit.path}: cannot import: {_message(exc)}"])
                importer.add(result, outcome)
                if importer.stopped:
                    report.cancelled = True
                    break
            if progress is not None:
                progress(done + 1, len(units), str(unit.path))
        importer.finish()
    except ImportStopped as exc:
        stopped = report.files[-1] if report.files else FileOutcome("(import)")
        if not report.files:
            report.files.append(stopped)
        stopped.errors.append(f"{stopped.path}: {exc}")
        report.cancelled = True
        importer.pending = []  # nothing more is written
    finally:
        with contextlib.suppress(ImportStopped):
            importer.finish()
        importer.close()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return report
