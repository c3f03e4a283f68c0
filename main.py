"""Launcher: `python main.py` opens the app (same as the `annotator` command)."""

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
