"""`suggest`: compute (and cache, or write) suggestions for a project's documents."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.cli.agreement import _project_id
from annotator.cli.common import default_annotator_name, open_db
from annotator.services.documents import get_document
from annotator.services.projects import get_or_create_annotator, list_annotators
from annotator.services.suggest_batch import suggest_documents
from annotator.services.suggestions import SuggestionError, set_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "suggest",
        help="pre-annotate: compute suggested attributions (with --write, store them)",
        description="Compute the suggestions of the project's engines for its documents and "
        "cache them (the app then shows them at once). With --write, the suggestions an "
        "analyst would see become their attributions (origin 'suggested'); documents they "
        "marked done, spans they rejected and words already in their attributions are left "
        "alone. See docs/suggestions.md.",
    )
    p.add_argument("--project", metavar="NAME", help="project (default: the only one)")
    p.add_argument(
        "--document", metavar="ID", action="append", help="only this document (repeatable)"
    )
    p.add_argument("--write", action="store_true", help="store them as attributions")
    p.add_argument(
        "--annotator",
        metavar="NAME",
        help="the analyst the suggestions are for: --write makes their attributions (default: you)",
    )
    p.add_argument("--floor", type=float, metavar="F", help="confidence floor (default: project's)")
    p.add_argument("--refresh", action="store_true", help="recompute cached suggestions")
    p.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        help="change the project's settings and exit: enabled=yes|no, layers=rules[,learned],"
        " floor=0.5",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_suggest)


def _progress(done: int, total: int) -> None:
    print(f"\rsuggesting: {done}/{total} documents", end="", file=sys.stderr, flush=True)


def _settings(args: argparse.Namespace, db, project_id: str) -> int:  # type: ignore[no-untyped-def]
    changes: dict[str, object] = {}
    for item in args.set:
        key, _, value = item.partition("=")
        key = key.strip().lower()
        if key == "enabled" and value.lower() in ("yes", "no", "on", "off", "true", "false"):
            changes["enabled"] = value.lower() in ("yes", "on", "true")
        elif key == "layers" and value.strip():
            changes["layers"] = [x.strip() for x in value.split(",") if x.strip()]
        elif key == "floor":
            try:
                changes["floor"] = float(value)
            except ValueError:
                print(f"error: floor must be a number, not {value!r}", file=sys.stderr)
                return 2
        else:
            print(f"error: cannot set {item!r} (enabled, layers, floor)", file=sys.stderr)
            return 2
    new = set_settings(db, project_id, **changes)  # type: ignore[arg-type]
    state = "on" if new.enabled else "off"
    print(f"suggestions {state}, layers {', '.join(new.layers)}, floor {new.floor:g}")
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    if args.floor is not None and not 0.0 <= args.floor <= 1.0:
        print("error: --floor must be between 0 and 1", file=sys.stderr)
        return 2
    db = open_db(args, must_exist=True)
    try:
        project_id = _project_id(db, args.project)
        if project_id is None:
            return 2
        if args.set:
            return _settings(args, db, project_id)
        ids = None
        if args.document:
            ids = []
            for doc_id in args.document:
                try:
                    info = get_document(db, doc_id)
                except KeyError:
                    info = None
                if info is None or info.project_id != project_id:
                    print(f"error: no document {doc_id} in this project", file=sys.stderr)
                    return 2
                ids.append(doc_id)
        # counted (and written) for one analyst: their attributions and rejections count
        name = args.annotator or default_annotator_name()
        if args.write:
            annotator_id = get_or_create_annotator(db, name).id
        else:
            known = [a for a in list_annotators(db) if a.name == name]
            annotator_id = known[0].id if known else ""
        tty = sys.stderr.isatty()
        report = suggest_documents(
            db,
            project_id,
            ids,
            write=args.write,
            annotator_id=annotator_id,
            floor=args.floor,
            refresh=args.refresh,
            progress=_progress if tty else None,
        )
        if tty:
            print("\r\033[K", end="", file=sys.stderr)
    except SuggestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return 0
    if not report.enabled:
        print("Suggestions are off for this project (annotator suggest --set enabled=yes).")
    for layer in report.missing_layers:
        print(f"note: the {layer!r} layer is not available in this version; skipped")
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.by_kind.items())) or "none"
    print(
        f"{report.documents} documents ({report.computed} computed, {report.from_cache} cached)"
        f" in {report.seconds:.1f} s: {report.suggestions} suggestions ({kinds})"
    )
    if args.write:
        print(f"{report.written} attributions written for {args.annotator or 'you'}", end="")
        print(
            f"; {report.skipped_done} documents marked done left alone"
            if report.skipped_done
            else ""
        )
    return 0
