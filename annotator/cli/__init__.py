"""Command line: `annotator [--db PATH] COMMAND ...`; with no command, the desktop app starts."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.files import printable_path
from annotator.storage.engine import DatabaseLocationError
from annotator.storage.opening import DatabaseRefused

# Each module defines `register(subparsers)`, adding its commands with `func=handler(args) -> int`.
COMMAND_MODULES = (
    "annotator.cli.importcmd",
    "annotator.cli.info",
    "annotator.cli.dbcmd",
    "annotator.cli.export",
    "annotator.cli.bundle",
    "annotator.cli.agreement",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Label who said what, and for or against what, in news articles.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="database file or SQLAlchemy URL (default: $ANNOTATOR_DB, else the user data dir)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="open the desktop app (the default)")
    gui.set_defaults(func=_run_gui)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real missing dependency, not an absent command module
                raise
            continue
        module.register(sub)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from annotator.ui.app import run

    return run(db=args.db)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command is None:
        args.func = _run_gui
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        return int(args.func(args) or 0)
    except (DatabaseLocationError, DatabaseRefused) as exc:
        print(f"error: {printable_path(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `annotator ... | head`: the reader has gone; end quietly
        with contextlib.suppress(OSError, ValueError):  # no second error at the exit flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # noqa: BLE001 - the user gets one line, never a traceback
        if os.environ.get(DEBUG_ENV):
            raise
        print(f"error: {printable_path(_one_line(exc, args))}", file=sys.stderr)
        return 1


DEBUG_ENV = "ANNOTATOR_DEBUG"  # set to see the traceback of an unexpected error


def _one_line(exc: BaseException, args: argparse.Namespace) -> str:
    """What went wrong, in one line with the way out (database faults explained)."""
    from annotator.storage.engine import resolve_db_url
    from annotator.storage.opening import explain

    try:
        url = resolve_db_url(args.db, create_folder=False)
        where: str = url.database or "the database"
        if url.get_backend_name() != "sqlite":
            where = url.render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        where = "the database"
    explained = explain(exc, where)
    if explained is not None:
        return explained
    if isinstance(exc, MemoryError):
        return "out of memory; nothing more was done (the input is too large for this machine)"
    if isinstance(exc, OSError) and exc.strerror:
        name = f" {exc.filename}" if exc.filename else ""
        return f"cannot use{name}: {exc.strerror}"
    detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    return (
        f"unexpected problem ({type(exc).__name__}: {detail});"
        f" set {DEBUG_ENV}=1 to see the details, and please report it"
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
