"""`annotator export`: write a training set (see docs/export.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.cli.common import open_db
from annotator.exporting.base import ExportOptions
from annotator.exporting.context import ContextMode
from annotator.exporting.selection import PerDocument, Status
from annotator.exporting.service import FORMATS, ExportError, export_dataset
from annotator.exporting.splits import parse_ratios
from annotator.services.projects import find_project, list_annotators, list_projects
from annotator.storage.engine import Database


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export",
        help="export a training set (native, quotes, stance, spaCy, HF, CoNLL, BRAT, Citron)",
        description="Export verified attributions as a training set with manifest and card.",
    )
    p.add_argument("--format", required=True, choices=list(FORMATS), help="output format")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="output directory")
    p.add_argument("--project", metavar="NAME", help="project (default: the only project)")
    p.add_argument(
        "--status",
        default="auto",
        choices=[s.value for s in Status],
        help="which attributions: auto = gold where a document has it, else accepted (default)",
    )
    p.add_argument("--annotator", metavar="NAME", help="only this annotator's attributions")
    p.add_argument("--split", metavar="R", help="train,dev,test ratios, e.g. 0.8,0.1,0.1")
    p.add_argument("--seed", type=int, default=0, help="seed of the split (default 0)")
    p.add_argument(
        "--context",
        default="sentence",
        choices=[m.value for m in ContextMode],
        help="context given with each quote (default sentence)",
    )
    p.add_argument(
        "--per-document",
        default=PerDocument.ONE_ANNOTATOR.value,
        choices=[m.value for m in PerDocument],
        help="when several people annotated a document: one-annotator = gold where there is"
        " some, else one annotator's work (default); gold = adjudicated gold only; all = every"
        " annotator's records (the same quote once per annotator)",
    )
    p.add_argument(
        "--conll-comments",
        action="store_true",
        help="conll: write # doc_id / # sent_id comment lines (plain CoNLL readers take them"
        " for tokens)",
    )
    p.add_argument(
        "--spacy-lang",
        metavar="CODE",
        default="",
        help="spacy: tokenize every document as this language (default: each document's own)",
    )
    p.set_defaults(func=run)


def _project(db: Database, name: str | None) -> tuple[str, str]:
    if name:
        rec = find_project(db, name)
        if rec is None:
            raise ExportError(f"no project named {name!r}")
        return rec.id, rec.name
    projects = list_projects(db)
    if not projects:
        raise ExportError("the database has no project yet: import files first")
    if len(projects) != 1:
        names = ", ".join(p.name for p in projects) or "none"
        raise ExportError(f"choose a project with --project (projects: {names})")
    return projects[0].id, projects[0].name


def _show_progress(done: int, total: int) -> None:
    """One self-overwriting line on a terminal (with --split, two passes count)."""
    print(f"\rexporting: {done:,} / {total:,} document steps", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    db = open_db(args, must_exist=True)
    try:
        project_id, project_name = _project(db, args.project)
        annotator_id = None
        if args.annotator:
            match = [a for a in list_annotators(db) if a.name == args.annotator]
            if not match:
                raise ExportError(f"no annotator named {args.annotator!r}")
            annotator_id = match[0].id
        options = ExportOptions(
            format=args.format,
            out_dir=args.out,
            project_id=project_id,
            status=Status(args.status),
            annotator_id=annotator_id,
            split=parse_ratios(args.split) if args.split else None,
            seed=args.seed,
            context=ContextMode(args.context),
            project_name=project_name,
            annotator_name=args.annotator or "",
            per_document=PerDocument(args.per_document),
            conll_comments=args.conll_comments,
            spacy_lang=args.spacy_lang.strip().lower(),
        )
        progress = _show_progress if sys.stderr.isatty() else None
        result = export_dataset(db, options, progress=progress)
        if progress is not None:
            print(file=sys.stderr)
    except (ExportError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # output folder not writable, disk full: nothing was committed
        print(f"error: cannot write to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    for problem in result.problems:
        print(f"refused: {problem.message}", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    for split, c in result.counts.items():
        labels = ", ".join(f"{k} {v}" for k, v in c["polarity"].items()) or "no attributions"
        print(f"{split}: {c['documents']} documents, {c['attributions']} attributions ({labels})")
    print(f"wrote {len(result.files)} files to {args.out}")
    return 0
