"""`evaluate`: score suggestions, or an annotator's work, against gold files."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from annotator.cli.common import open_db
from annotator.services.evaluation import EvaluationReport, evaluate
from annotator.services.projects import find_project
from annotator.storage.engine import DB_ENV_VAR, Database, resolve_db_url
from annotator.suggest.evaluation import SLICES
from annotator.suggest.gold import read_gold

ROWS = (
    ("content_overlap", "content, token overlap"),
    ("content_exact", "content, exact"),
    ("cue_exact", "cue, exact"),
    ("cue_overlap", "cue, token overlap"),
    ("mention_exact", "speaker mention, exact"),
    ("mention_overlap", "speaker mention, overlap"),
    ("speaker", "canonical speaker"),
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "evaluate",
        help="score suggestions (or an annotator's work) against gold files",
        description="Precision, recall and F1 of suggestions, or of --annotator's attributions, "
        "against gold in BRAT, Citron or native form, per kind. Matching as in "
        "docs/agreement.md; definitions in docs/suggestions.md.",
    )
    p.add_argument("--gold", metavar="PATH", nargs="+", required=True, help="gold files/folders")
    p.add_argument("--project", metavar="NAME", help="look the documents up in this project")
    p.add_argument("--annotator", metavar="NAME", help="score this annotator instead")
    p.add_argument("--floor", type=float, metavar="F", help="confidence floor of suggestions")
    p.add_argument(
        "--min-overlap", type=float, default=0.5, metavar="F", help="to match quotes (0.5)"
    )
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(func=cmd_evaluate)


def _database(args: argparse.Namespace, required: bool) -> Database | None:
    """The database if there is one; evaluating suggestions needs none and creates none."""
    if args.db is None and not os.environ.get(DB_ENV_VAR):
        url = resolve_db_url(None, create_folder=False)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
            if required:
                print(f"error: no database at {url.database}", file=sys.stderr)
                raise SystemExit(2)
            return None
    return open_db(args, must_exist=True)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"


def render(report: EvaluationReport) -> str:
    data = report.score.to_dict()
    lines = [
        f"Scored: {report.what}"
        + (f" at floor {report.floor:g}" if report.floor is not None else "")
        + f"; {data['documents']} documents ({report.in_database} in the database,"
        f" {report.outside_database} not); quotes matched at token overlap"
        f" >= {report.min_overlap:g}",
    ]
    for name in SLICES:
        k = data["kinds"][name]
        gold = k["content_exact"]["gold"]
        pred = k["content_exact"]["predicted"]
        lines += [
            "",
            f"{name}: {gold} gold, {pred} predicted",
            f"  {'':28}{'P':>8}{'R':>8}{'F1':>8}",
        ]
        for key, label in ROWS:
            c = k[key]
            lines.append(
                f"  {label:28}{_fmt(c['precision']):>8}{_fmt(c['recall']):>8}{_fmt(c['f1']):>8}"
            )
        acc = k["speaker_accuracy_on_matched"]
        lines.append(
            f"  {'speaker right on matched':28}{_fmt(acc['value']):>8}  ({acc['right']}/{acc['items']})"
        )
    for path in report.not_scored:
        lines.append(f"not in the database, not scored: {path}")
    return "\n".join(lines)


def cmd_evaluate(args: argparse.Namespace) -> int:
    if not 0.0 < args.min_overlap <= 1.0:
        print("error: --min-overlap must be in (0, 1]", file=sys.stderr)
        return 2
    if args.floor is not None and not 0.0 <= args.floor <= 1.0:
        print("error: --floor must be between 0 and 1", file=sys.stderr)
        return 2
    gold, problems = read_gold(args.gold)
    for line in problems:
        print(line, file=sys.stderr)
    if not gold:
        print("error: no annotated document found in the gold paths", file=sys.stderr)
        return 1
    db = _database(args, required=bool(args.annotator or args.project))
    try:
        project_id = None
        if args.project and db is not None:
            project = find_project(db, args.project)
            if project is None:
                print(f"error: no project named {args.project!r}", file=sys.stderr)
                return 2
            project_id = project.id
        annotator = None
        if args.annotator and db is not None:
            from annotator.services.projects import list_annotators

            found = [a for a in list_annotators(db) if a.name == args.annotator]
            if not found:
                print(f"error: no annotator named {args.annotator!r}", file=sys.stderr)
                return 2
            annotator = (found[0].id, found[0].name)
        report = evaluate(
            db,
            gold,
            project_id=project_id,
            annotator=annotator,
            floor=args.floor,
            min_overlap=args.min_overlap,
        )
    finally:
        if db is not None:
            db.dispose()
    report.problems = problems
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(report))
    return 0
