"""What writers share: the options, the verified document they receive, and the Writer base."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

from annotator.exporting.atomic import AtomicFiles
from annotator.exporting.context import ContextFinder, ContextMode
from annotator.exporting.selection import PerDocument, Registry, Status
from annotator.model import AttributionRecord, DocumentInfo
from annotator.native import Names

SPLIT_NAMES = ("train", "dev", "test")
UNSPLIT = "all"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: str
    out_dir: Path
    project_id: str
    status: Status = Status.AUTO
    annotator_id: str | None = None
    split: tuple[float, float, float] | None = None
    seed: int = 0
    context: ContextMode = ContextMode.SENTENCE
    # for the manifest and card only (ids are what selects)
    project_name: str = ""
    annotator_name: str = ""
    spacy_lang: str = ""  # overrides each document's language for the spaCy tokenizer
    per_document: PerDocument = PerDocument.ONE_ANNOTATOR
    conll_comments: bool = False  # `# doc_id` / `# sent_id` lines in CoNLL (plain readers choke)

    def manifest_dict(self) -> dict[str, Any]:
        """Options as recorded in the manifest: no paths, so identical exports hash identically."""
        return {
            "format": self.format,
            "project": self.project_name,
            "project_id": self.project_id,
            "status": str(self.status),
            "annotator": self.annotator_name or None,
            "split": list(self.split) if self.split else None,
            "seed": self.seed,
            "context": str(self.context),
            "per_document": str(self.per_document),
            **({"conll_comments": True} if self.conll_comments else {}),
        }


@dataclass(frozen=True, slots=True)
class ExportDoc:
    """A verified document: every attribution's spans lie inside `text`; sorted by position."""

    info: DocumentInfo
    text: str
    attributions: list[AttributionRecord]
    split: str = UNSPLIT


@dataclass(slots=True)
class WriterContext:
    files: AtomicFiles
    options: ExportOptions
    registry: Registry
    names: Names
    splitting: bool
    notes: list[str] = field(default_factory=list)  # format-specific remarks for the report
    cache: dict[str, Any] = field(default_factory=dict)  # per-export lookups writers derive

    def stem(self, split: str, default: str) -> str:
        """File stem for a split: "train"/"dev"/"test" when splitting, else the format's name."""
        return split if self.splitting else default

    def context_finder(self, text: str) -> ContextFinder:
        return ContextFinder(text, self.options.context)


class Writer:
    """Receives documents one at a time (any split order) and writes as it goes."""

    format: ClassVar[str] = ""
    extra: ClassVar[str | None] = None  # pip extra needed, if any
    fields_doc: ClassVar[str] = ""  # Markdown for the dataset card's "Fields" section

    def __init__(self, ctx: WriterContext) -> None:
        self.ctx = ctx
        self._stack = ExitStack()
        self._handles: dict[str, IO[str]] = {}

    def text_handle(self, relpath: str, newline: str | None = "\n") -> IO[str]:
        """A streaming text file, opened on first use and closed by `close()`."""
        fh = self._handles.get(relpath)
        if fh is None:
            fh = self._stack.enter_context(self.ctx.files.open_text(relpath, newline=newline))
            self._handles[relpath] = fh
        return fh

    def start(self, splits: list[str]) -> None:
        """Called before the first document with the split names that will be written."""

    def write(self, doc: ExportDoc) -> None:
        raise NotImplementedError

    def card_notes(self) -> list[str]:
        """Lines for the card's Selection section (e.g. what a writer left out, and why)."""
        return []

    def card_sections(self) -> list[str]:
        """Whole sections (Markdown lines) for the card, after its file list."""
        return []

    def card_front_matter(self) -> str:
        """YAML front matter for README.md (the HF writer declares its configs there)."""
        return ""

    def close(self) -> None:
        """Flush and close everything; called once after the last document."""
        self._stack.close()

    def abort(self) -> None:
        """Close open files without finishing them (the export failed or was cancelled)."""
        self._stack.close()
