"""`annotator import PATH... [--project NAME] [--annotator NAME]`."""

from __future__ import annotations

import argparse
import sys
import time

from annotator.cli.common import default_annotator_name, open_db
from annotator.files import printable_path
from annotator.services.projects import find_project

PROGRESS_MIN_FILES = 50  # below this, a progress counter is noise


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import",
        help="import articles (txt, md, html, jsonl, csv) and annotations (native, Citron, BRAT)",
        description="Import files and folders (recursively) into a project. Problems are reported "
        "one per line as FILE:LINE: problem; the rest is imported. Exit status 1 if any failed.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument(
        "--project",
        default="Default",
        type=_name,
        metavar="NAME",
        help="project name (default: Default)",
    )
    p.add_argument(
        "--annotator",
        default=None,
        type=_name,
        metavar="NAME",
        help="who imported annotations belong to (default: you)",
    )
    p.add_argument(
        "--follow-links",
        action="store_true",
        help="follow symbolic links met inside the folders given (only to files inside them)",
    )
    p.set_defaults(func=run)


def _name(value: str) -> str:
    """A project or annotator name: outer spaces trimmed, never blank."""
    name = value.strip()
    if not name:
        raise argparse.ArgumentTypeError("a name cannot be blank")
    return name


class _Progress:
    """A carriage-return counter on stderr, only for a terminal or a long import."""

    def __init__(self) -> None:
        self.enabled: bool | None = None
        self.last = 0.0

    def __call__(self, done: int, total: int, path: str) -> None:
        if self.enabled is None:
            self.enabled = sys.stderr.isatty() or total > PROGRESS_MIN_FILES
        if not self.enabled:
            return
        now = time.monotonic()
        if done == total or now - self.last > 0.2:
            self.last = now
            end = "\n" if done == total else ""
            print(f"\rimporting {done}/{total} files", end=end, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from annotator.importing.pipeline import import_paths

    db = open_db(args)
    try:
        report = import_paths(
            db,
            args.paths,
            project=args.project,
            annotator=args.annotator or default_annotator_name(),
            progress=_Progress(),
            follow_links=args.follow_links,
        )
        stored = find_project(db, args.project)  # its own spelling: names match in any case
        project_name = stored.name if stored is not None else args.project
    finally:
        db.dispose()
    for line in report.errors:
        print(printable_path(line), file=sys.stderr)  # a file name must not hide or reorder text
    present = report.attributions_present
    print(
        f"{report.documents_added} documents added, {report.duplicates} duplicates, "
        f"{report.attributions_added} attributions"
        + (f" ({present} already present)" if present else "")
        + f", {len(report.errors)} problems "
        f"({len(report.files)} files, project {project_name!r})"
    )
    return 0 if report.ok else 1
