"""Suggestion rows in the database: per-project settings, the per-document cache, rejections.

Session-level helpers (they take an open session) used by `services.suggestions` and the batch
command; the cache holds each engine's full list (confidence floor, rejections and the
analyst's own attributions are applied when reading, so none of them invalidates it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.model import utcnow
from annotator.storage import schema
from annotator.suggest.engines import DEFAULT_LAYERS
from annotator.suggest.model import Suggestion

DEFAULT_FLOOR = 0.6


@dataclass(frozen=True, slots=True)
class SuggestionSettings:
    """A project's suggestion settings (defaults when the project never changed them)."""

    enabled: bool = True
    layers: tuple[str, ...] = DEFAULT_LAYERS
    floor: float = DEFAULT_FLOOR


def settings_row(session: Session, project_id: str) -> schema.SuggestionSettings | None:
    return session.scalar(
        select(schema.SuggestionSettings).where(schema.SuggestionSettings.project_id == project_id)
    )


def read_settings(session: Session, project_id: str) -> SuggestionSettings:
    row = settings_row(session, project_id)
    if row is None:
        return SuggestionSettings()
    layers = tuple(str(x) for x in (row.layers or []) if isinstance(x, str))
    return SuggestionSettings(bool(row.enabled), layers, float(row.floor))


def write_settings(session: Session, project_id: str, settings: SuggestionSettings) -> None:
    row = settings_row(session, project_id)
    if row is None:
        row = schema.SuggestionSettings(project_id=project_id)
        session.add(row)
    row.enabled = settings.enabled
    row.layers = list(settings.layers)
    row.floor = settings.floor
    row.updated_at = utcnow()
    session.flush()


def cached(session: Session, document_id: str, engine: str, key: str) -> list[Suggestion] | None:
    """The cached list when it was made by an engine with this key, else None."""
    row = session.scalar(
        select(schema.SuggestionCache).where(
            schema.SuggestionCache.document_id == document_id,
            schema.SuggestionCache.engine == engine,
        )
    )
    if row is None or row.engine_key != key:
        return None
    try:
        return [Suggestion.from_dict(d) for d in row.payload or []]
    except (KeyError, TypeError, ValueError):
        return None  # a damaged cache is recomputed, never trusted


def store(
    session: Session, document_id: str, engine: str, key: str, items: list[Suggestion]
) -> None:
    row = session.scalar(
        select(schema.SuggestionCache).where(
            schema.SuggestionCache.document_id == document_id,
            schema.SuggestionCache.engine == engine,
        )
    )
    if row is None:
        row = schema.SuggestionCache(document_id=document_id, engine=engine)
        session.add(row)
    row.engine_key = key
    row.payload = [s.to_dict() for s in items]
    row.count = len(items)
    row.updated_at = utcnow()


def rejected_keys(session: Session, document_id: str, annotator_id: str | None) -> set[str]:
    query = select(schema.SuggestionRejection.span_key).where(
        schema.SuggestionRejection.document_id == document_id,
        schema.SuggestionRejection.deleted_at.is_(None),
    )
    if annotator_id is None:
        query = query.where(schema.SuggestionRejection.annotator_id.is_(None))
    else:
        query = query.where(schema.SuggestionRejection.annotator_id == annotator_id)
    return set(session.scalars(query))


def rejected_keys_many(
    session: Session, document_ids: Iterable[str], annotator_id: str | None
) -> dict[str, set[str]]:
    ids = list(document_ids)
    out: dict[str, set[str]] = {d: set() for d in ids}
    if not ids:
        return out
    cond = (
        schema.SuggestionRejection.annotator_id.is_(None)
        if annotator_id is None
        else schema.SuggestionRejection.annotator_id == annotator_id
    )
    rows = session.execute(
        select(schema.SuggestionRejection.document_id, schema.SuggestionRejection.span_key).where(
            schema.SuggestionRejection.document_id.in_(ids),
            schema.SuggestionRejection.deleted_at.is_(None),
            cond,
        )
    )
    for doc_id, key in rows:
        out[doc_id].add(key)
    return out
