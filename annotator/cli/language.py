"""`annotator language [--project NAME] [--only CODE] [--set CODE] [DOC...]`: see or correct
the language of documents (detected at import when the file did not give one)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from annotator.cli.common import open_db
from annotator.cli.export import _project
from annotator.exporting.service import ExportError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "language",
        help="list documents' languages, or correct them (--set)",
        description="Without --set: one line per document (id, language, source id or file,"
        " title) and a count per language. With --set CODE: set the language of the documents"
        " named (by id, source id, file name or title) and/or of every document in --only's"
        " language. The spaCy and HF exports tokenize each document by its language.",
    )
    p.add_argument("docs", nargs="*", metavar="DOC", help="document id, source id, file or title")
    p.add_argument("--project", metavar="NAME", help="project (default: the only project)")
    p.add_argument(
        "--only", metavar="CODE", help="only documents in this language ('unknown' for none)"
    )
    p.add_argument("--set", metavar="CODE", dest="code", help="the language to set, e.g. en, fr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from annotator.services.languages import document_languages, set_language

    only = None if args.only is None else ("" if args.only == "unknown" else args.only)
    db = open_db(args, must_exist=args.code is None)
    try:
        project_id, _name = _project(db, args.project)
        docs = document_languages(db, project_id, args.docs, only)
        if args.docs and not docs:
            raise ExportError("no document matches " + ", ".join(map(repr, args.docs)))
        if args.code is not None:
            if not args.docs and only is None:
                raise ExportError("name the documents to change, or choose them with --only")
            changed = set_language(db, [d.id for d in docs], args.code)
            print(f"{changed} document(s) set to {args.code.strip()} ({len(docs)} selected)")
            return 0
    except (ExportError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    for d in docs:
        where = d.external_id or d.source_file
        print(f"{d.id}\t{d.language or 'unknown'}\t{where}\t{d.title}")
    counts = Counter(d.language or "unknown" for d in docs)
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no documents")
    return 0
