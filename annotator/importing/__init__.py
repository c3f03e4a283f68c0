"""Import of articles and annotations: `import_paths(db, paths, ...) -> ImportReport`.

See docs/formats.md for every accepted format. No Qt here: the GUI calls `import_paths` from a
worker thread with `progress` and `cancelled` callables.
"""

from annotator.importing.pipeline import FileOutcome, ImportReport, import_paths

__all__ = ["FileOutcome", "ImportReport", "import_paths"]
