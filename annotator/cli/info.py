"""`stats` and `projects`."""

from __future__ import annotations

import argparse
import json
import sys

from sqlalchemy import func, select

from annotator.cli.common import open_db
from annotator.services.projects import list_projects
from annotator.storage import schema


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("stats", help="counts of what the database holds")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_stats)
    p = sub.add_parser("projects", help="list projects")
    p.set_defaults(func=cmd_projects)


def collect_stats(args: argparse.Namespace) -> dict[str, int]:
    db = open_db(args, must_exist=True)
    live = {
        "projects": schema.Project,
        "documents": schema.Document,
        "attributions": schema.Attribution,
        "actors": schema.Actor,
        "targets": schema.Target,
    }
    out: dict[str, int] = {}
    with db.reader() as s:
        for key, model in live.items():
            out[key] = int(
                s.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None)))
                or 0
            )
        out["annotators"] = int(s.scalar(select(func.count()).select_from(schema.Annotator)) or 0)
        out["deleted_attributions"] = int(
            s.scalar(
                select(func.count())
                .select_from(schema.Attribution)
                .where(schema.Attribution.deleted_at.is_not(None))
            )
            or 0
        )
    db.dispose()
    return out


def cmd_stats(args: argparse.Namespace) -> int:
    stats = collect_stats(args)
    if args.json:
        print(json.dumps(stats, sort_keys=True))
    else:
        for key, value in stats.items():
            print(f"{key:>22}: {value}")
    return 0


def cmd_projects(args: argparse.Namespace) -> int:
    db = open_db(args, must_exist=True)
    with db.reader() as s:
        counts = dict(
            s.execute(
                select(schema.Document.project_id, func.count())
                .where(schema.Document.deleted_at.is_(None))
                .group_by(schema.Document.project_id)
            ).all()
        )
    records = list_projects(db)
    if not records:
        print("no projects yet: `annotator import PATH...` creates one", file=sys.stderr)
    for project in records:
        print(f"{project.name}\t{counts.get(project.id, 0)} documents")
    return 0
