"""`annotator evaluate`: suggestions, or one annotator's work, scored against gold files.

Gold documents are found in the database by their text (SHA-256 of the stored text). For
suggestions, a document in the database is scored with its project's engines, registry and
floor (no rejection or attribution of anyone hides a suggestion here: the engine is measured);
a gold document not in the database is given to the engines directly, with an empty registry.
For an annotator, only documents in the database can be scored; the others are listed.
Definitions: annotator/suggest/evaluation.py and docs/suggestions.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from annotator.services.suggestion_store import DEFAULT_FLOOR, read_settings
from annotator.services.suggestions import engine_lists, merge, refresh_speaker
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import actor_record, attribution_record
from annotator.suggest.engines import DEFAULT_LAYERS, make_engines
from annotator.suggest.evaluation import Item, Score, score_document
from annotator.suggest.gold import GoldDocument
from annotator.suggest.model import Suggestion, SuggestRequest
from annotator.suggest.registry_index import RegistryIndex


@dataclass
class EvaluationReport:
    what: str  # "suggestions" or "annotator NAME"
    score: Score = field(default_factory=Score)
    in_database: int = 0
    outside_database: int = 0
    not_scored: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    floor: float | None = None
    min_overlap: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "scored": self.what,
            "floor": self.floor,
            "min_overlap": self.min_overlap,
            "documents_in_database": self.in_database,
            "documents_outside_database": self.outside_database,
            "not_scored": self.not_scored,
            "problems": self.problems,
            **self.score.to_dict(),
        }


def suggestion_items(items: Sequence[Suggestion], registry: RegistryIndex | None) -> list[Item]:
    out = []
    for s in items:
        names = [s.speaker_name] if s.speaker_name else []
        if registry is not None and s.speaker_id in registry.actors:
            actor = registry.actors[s.speaker_id]
            names += [actor.name, *actor.aliases]
        out.append(Item(s.content, s.cue, s.mention, tuple(dict.fromkeys(names))))
    return out


def _find(db: Database, sha: str, project_id: str | None) -> schema.Document | None:
    with db.reader() as s:
        query = select(schema.Document).where(
            schema.Document.text_sha256 == sha, schema.Document.deleted_at.is_(None)
        )
        if project_id is not None:
            query = query.where(schema.Document.project_id == project_id)
        return s.scalars(query.order_by(schema.Document.created_at)).first()


def evaluate(
    db: Database | None,
    gold: Sequence[GoldDocument],
    *,
    project_id: str | None = None,
    annotator: tuple[str, str] | None = None,
    floor: float | None = None,
    min_overlap: float = 0.5,
    progress: Callable[[int, int], None] | None = None,
) -> EvaluationReport:
    """Score suggestions (or `annotator` = (id, name)'s attributions) against `gold`."""
    what = f"annotator {annotator[1]}" if annotator else "suggestions"
    report = EvaluationReport(what, floor=floor, min_overlap=min_overlap)
    plain_engines = None
    registries: dict[str, RegistryIndex] = {}
    for n, g in enumerate(gold, start=1):
        row = _find(db, g.sha256, project_id) if db is not None else None
        if row is not None:
            report.in_database += 1
            if row.project_id not in registries:
                registries[row.project_id] = _registry(db, row.project_id)  # type: ignore[arg-type]
            registry = registries[row.project_id]
            if annotator is not None:
                predicted = _annotator_items(db, row.id, annotator[0], registry)  # type: ignore[arg-type]
            else:
                predicted = _db_suggestions(db, row, registry, floor)  # type: ignore[arg-type]
        elif annotator is not None:
            report.not_scored.append(g.path)
            continue
        else:
            report.outside_database += 1
            if plain_engines is None:
                plain_engines, _missing = make_engines(DEFAULT_LAYERS)
            lists = [e.suggest(SuggestRequest(g.text, g.language)) for e in plain_engines]
            limit = DEFAULT_FLOOR if floor is None else floor
            items = [s for s in merge(lists) if s.confidence >= limit]
            predicted = suggestion_items(items, None)
        report.score.add(score_document(g.text, g.items, predicted, min_overlap=min_overlap))
        if progress is not None:
            progress(n, len(gold))
    return report


def _registry(db: Database, project_id: str) -> RegistryIndex:
    from annotator.services.registries import _live_actors

    with db.reader() as s:
        return RegistryIndex([actor_record(a) for a in _live_actors(s, project_id)])


def _db_suggestions(
    db: Database, row: schema.Document, registry: RegistryIndex, floor: float | None
) -> list[Item]:
    found = engine_lists(db, row.id, registry=registry, even_if_off=True)
    assert found is not None
    lists, _enabled = found
    with db.reader() as s:
        limit = read_settings(s, row.project_id).floor if floor is None else floor
    items = [refresh_speaker(x, registry) for x in merge(lists.values()) if x.confidence >= limit]
    return suggestion_items(items, registry)


def _annotator_items(
    db: Database, document_id: str, annotator_id: str, registry: RegistryIndex
) -> list[Item]:
    with db.reader() as s:
        rows = s.scalars(
            select(schema.Attribution).where(
                schema.Attribution.document_id == document_id,
                schema.Attribution.annotator_id == annotator_id,
                schema.Attribution.deleted_at.is_(None),
            )
        )
        records = [attribution_record(r) for r in rows]
    out = []
    for r in records:
        names: tuple[str, ...] = ()
        if r.speaker_id is not None and r.speaker_id in registry.actors:
            actor = registry.actors[r.speaker_id]
            names = (actor.name, *actor.aliases)
        out.append(Item(r.content, r.cue, r.mention, names))
    return out
