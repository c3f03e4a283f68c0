"""`agreement`: inter-annotator agreement of a project, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from annotator.cli.common import open_db
from annotator.services.projects import find_project, list_projects
from annotator.storage.engine import Database
from annotator.team.agreement import AgreementReport, Figure, Figures
from annotator.team.agreement_service import project_agreement

ROWS = (
    ("exact_f1", "Quotes, exact-match F1", "quotes"),
    ("overlap_f1", "Quotes, token-overlap F1", "quotes"),
    ("token_alpha", "Tokens in/out of quotes, alpha", "tokens"),
    ("speaker", "Same speaker (matched quotes)", "pairs"),
    ("target", "Same target (matched quotes)", "pairs"),
    ("stance", "Stance", "items"),
)
STANCE_NAMES = {"cohen_kappa": "Cohen's kappa", "krippendorff_alpha": "Krippendorff's alpha"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "agreement",
        help="inter-annotator agreement of a project",
        description="Agreement between annotators on documents coded by at least two of them. "
        "Definitions: docs/agreement.md.",
    )
    p.add_argument("--project", metavar="NAME", help="project (default: the only one)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument(
        "--documents", action="store_true", help="also list figures per document (table)"
    )
    p.add_argument(
        "--min-overlap",
        type=float,
        default=0.5,
        metavar="F",
        help="token-overlap F1 needed to match two quotes (default 0.5)",
    )
    p.add_argument("--done-only", action="store_true", help="only documents annotators marked done")
    p.set_defaults(func=cmd_agreement)


def _project_id(db: Database, name: str | None) -> str | None:
    if name:
        project = find_project(db, name)
        if project is None:
            print(f"error: no project named {name!r}", file=sys.stderr)
            return None
        return project.id
    projects = list_projects(db)
    if len(projects) == 1:
        return projects[0].id
    if not projects:
        print("error: the database has no project", file=sys.stderr)
    else:
        names = ", ".join(p.name for p in projects)
        print(f"error: several projects ({names}); choose one with --project", file=sys.stderr)
    return None


def _terminal_progress(done: int, total: int) -> None:
    """A one-line counter on an interactive terminal (big projects take a while)."""
    if done == total or done % 50 == 0:
        print(f"\rcomparing documents: {done}/{total}", end="", file=sys.stderr, flush=True)


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def cell(figure: Figure) -> str:
    return f"{fmt(figure.value)} ({figure.items})"


def overall_lines(report: AgreementReport) -> list[str]:
    fig = report.project
    names = ", ".join(report.name(a) for a in report.by_name(fig.annotators))
    lines = [
        f"Agreement in project {report.project_name!r}: {len(fig.annotators)} annotators"
        f" ({names}), {fig.documents} documents coded by two or more, {fig.quotes} quotes,"
        f" {fig.matched} matched pairs (min overlap {report.min_overlap:g})",
        "",
        f"  {'figure':<34}{'value':>8}{'items':>9}",
    ]
    for attr, label, unit in ROWS:
        figure: Figure = getattr(fig, attr)
        if attr == "stance":
            label = f"Stance, {STANCE_NAMES[fig.stance_coefficient]}"
            unit = "pairs" if fig.stance_coefficient == "cohen_kappa" else "quotes"
        extra = f"  {figure.agree} agree" if figure.agree is not None else ""
        lines.append(f"  {label:<34}{fmt(figure.value):>8}{figure.items:>9} {unit}{extra}")
    return lines


def table(title: str, rows: list[tuple[str, Figures]]) -> list[str]:
    heads = ["exact F1", "overlap F1", "token α", "speaker", "target", "stance"]
    width = max([len(title)] + [len(label) for label, _ in rows]) + 2
    lines = [title.ljust(width) + "".join(f"{h:>15}" for h in heads)]
    for label, fig in rows:
        cells = [cell(getattr(fig, attr)) for attr, _, _ in ROWS]
        lines.append(label.ljust(width) + "".join(f"{c:>15}" for c in cells))
    return lines


def render(report: AgreementReport, *, documents: bool = False) -> str:
    if not report.project.documents:
        return (
            f"No document in project {report.project_name!r} was coded by two or more"
            " annotators: nothing to compare."
        )
    lines = overall_lines(report)
    lines.append("")
    pair_rows = [(f"{report.name(a)} / {report.name(b)}", f) for a, b, f in report.named_pairs()]
    lines += table("Pair (value (items))", pair_rows)
    if documents:
        lines.append("")
        lines += table(
            "Document (value (items))",
            [(d.title or d.document_id[:8], d.figures) for d in report.documents],
        )
    return "\n".join(lines)


def cmd_agreement(args: argparse.Namespace) -> int:
    if not 0.0 < args.min_overlap <= 1.0:
        print("error: --min-overlap must be in (0, 1]", file=sys.stderr)
        return 2
    db = open_db(args, must_exist=True)
    try:
        project_id = _project_id(db, args.project)
        if project_id is None:
            return 2
        report = project_agreement(
            db,
            project_id,
            min_overlap=args.min_overlap,
            done_only=args.done_only,
            progress=_terminal_progress if sys.stderr.isatty() else None,
        )
    finally:
        db.dispose()
        if sys.stderr.isatty():
            print("\r\033[K", end="", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(report, documents=args.documents))
    return 0
