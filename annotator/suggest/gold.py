"""Reading gold attributions for evaluation: BRAT, Citron, native JSONL, NAME.quotes.jsonl.

The files are read with the importers (same offsets, same normalisation as an import) but
nothing is stored. A text annotated twice (PolNeAR keeps one .ann per annotator) is scored
against its first file in path order; the others are reported.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.importing.discover import discover
from annotator.importing.pipeline import read_unit
from annotator.suggest.evaluation import Item
from annotator.text import sha256_text

ANNOTATED_UNITS = ("brat", "citron", "quotes", "table")


@dataclass
class GoldDocument:
    path: str
    text: str
    title: str
    language: str
    items: list[Item] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


def _names(att: Any, actors: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """The gold speaker's name and aliases (native files carry a registry)."""
    entry = actors.get(att.speaker_id or "") or next(
        (a for a in actors.values() if att.speaker and a.get("name") == att.speaker), None
    )
    names: list[str] = []
    if att.speaker:
        names.append(att.speaker)
    if entry is not None:
        names.append(str(entry.get("name") or ""))
        names.extend(str(x) for x in entry.get("aliases") or [])
    return tuple(dict.fromkeys(n for n in names if n))


def read_gold(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[GoldDocument], list[str]]:
    """Gold documents found under `paths`, and one line per problem."""
    docs: list[GoldDocument] = []
    problems: list[str] = []
    first_path: dict[str, str] = {}
    for unit in discover(paths):
        if unit.kind not in ANNOTATED_UNITS:
            if unit.kind in ("missing", "unsupported"):
                problems.extend(read_unit(unit).errors)
            continue
        result = read_unit(unit)
        problems.extend(result.errors)
        actors = {str(a.get("id") or ""): a for a in result.actors}
        for prepared in result.documents:
            if not prepared.annotated and not prepared.attributions:
                continue  # a plain row of a table: not gold
            draft = prepared.draft
            doc = GoldDocument(
                path=str(unit.path),
                text=draft.text,
                title=draft.title,
                language=draft.language,
                items=[
                    Item(a.content, a.cue, a.mention, _names(a, actors))
                    for a in prepared.attributions
                ],
            )
            key = doc.sha256
            if key in first_path:
                problems.append(
                    f"{unit.path}: the same text as {first_path[key]}; scored against that"
                    " file only"
                )
                continue
            first_path[key] = doc.path
            docs.append(doc)
    return docs, problems
