"""`bundle export` and `bundle import`: move work between machines (see docs/bundles.md)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from annotator.cli.common import open_db
from annotator.files import printable_path
from annotator.storage.engine import resolve_db_url
from annotator.team.bundle_export import ExportOptions, export_bundle
from annotator.team.bundle_format import BundleCancelled, BundleError
from annotator.team.bundle_import import import_bundle
from annotator.team.bundle_validate import open_bundle


def parse_since(value: str) -> datetime:
    """An ISO date or date-time; without a zone it is UTC. Stored times are naive UTC."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from exc
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("bundle", help="export or import a bundle (work moved between machines)")
    bsub = p.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    e = bsub.add_parser("export", help="write a bundle file (.zip)")
    e.add_argument("--out", required=True, metavar="FILE", help="bundle file to write")
    e.add_argument("--force", action="store_true", help="replace an existing --out file")
    e.add_argument("--project", metavar="NAME", help="only this project (default: all)")
    e.add_argument("--annotator", metavar="NAME", help="only this annotator's work")
    e.add_argument(
        "--since",
        type=parse_since,
        metavar="DATE",
        help="only work changed since DATE (UTC unless a zone is given; YYYY-MM-DD or "
        "YYYY-MM-DDTHH:MM)",
    )
    e.add_argument(
        "--assignment",
        action="store_true",
        help="documents, registries and guidelines only (for sending work to an analyst)",
    )
    e.set_defaults(func=cmd_export)
    i = bsub.add_parser("import", help="merge a bundle file into the database")
    i.add_argument("file", metavar="FILE", help="bundle file to import")
    i.add_argument("--json", action="store_true", help="print the report as one JSON object")
    i.set_defaults(func=cmd_import)


def _new_database_file(args: argparse.Namespace) -> Path | None:
    """The SQLite file this command would create (None when it exists or is not a file)."""
    url = resolve_db_url(args.db, create_folder=False)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return None if path.exists() else path


def _remove_if_empty(path: Path | None) -> None:
    """Remove a database this command created when nothing was imported into it."""
    if path is None:
        return
    for side in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{side}").unlink(missing_ok=True)


def cmd_export(args: argparse.Namespace) -> int:
    if Path(args.out).is_file() and not args.force:
        # A bundle an analyst sent is never replaced by accident.
        print(f"error: {args.out} already exists; pass --force to replace it", file=sys.stderr)
        return 1
    db = open_db(args, must_exist=True)
    options = ExportOptions(args.project, args.annotator, args.since, args.assignment)
    try:
        result = export_bundle(db, args.out, options)
    except (BundleError, BundleCancelled) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a folder in the way, no permission, disk full
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    counts = ", ".join(
        f"{n} {name.removesuffix('.jsonl').replace('_', ' ')}"
        for name, n in result.counts.items()
        if n
    )
    kind = result.manifest["kind"]
    print(f"wrote {kind} bundle {result.path}: {counts or 'nothing to export'}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    # The bundle's bytes are verified before the database is opened: a refused bundle never
    # creates a database at a mistyped --db path.
    try:
        reader = open_bundle(args.file)
    except BundleError as exc:
        print(f"error: {printable_path(exc)}", file=sys.stderr)
        return 1
    with reader:
        try:
            reader.verify()
        except BundleError as exc:
            print(f"error: {printable_path(exc)}", file=sys.stderr)
            return 1
        created = _new_database_file(args)
        db = open_db(args)
        try:
            report = import_bundle(db, reader)
        except (BundleError, BundleCancelled) as exc:
            db.dispose()
            _remove_if_empty(created)
            print(f"error: {printable_path(exc)}", file=sys.stderr)
            return 1
        finally:
            db.dispose()
    if args.json:
        print(json.dumps(report.to_dict(), sort_keys=True))
    else:
        print("\n".join(report.lines()))
    return 0
