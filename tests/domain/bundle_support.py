"""Helpers for the bundle tests: small worlds built through the services, and database dumps."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from annotator.matching import fold
from annotator.model import Kind, Polarity, Span
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.team.bundle_format import content_hash, to_json_value
from annotator.team.bundle_work import ATTR_FIELDS
from annotator.text import normalize_text

TEXTS = [
    "Ali Akbar Ahmadiyyan said the region must not change. He stressed: “No corridors.” 😀",
    "According to İRNA, Abdullahiyan added that talks would go on. Ç ş ğ ı İ — fine.",
    "The ministry said nothing.\u00a0Later, Raisi said: “We oppose any plan.”",
]


@dataclass
class World:
    project_id: str
    annotator_id: str
    doc_ids: list[str]
    actor_id: str
    target_id: str
    attribution_ids: list[str]


def add_doc(db: Database, project_id: str, text: str, title: str = "") -> str:
    with db.session() as s:
        row, _ = add_document(s, project_id, DocumentDraft(text=normalize_text(text), title=title))
        return row.id


def make_world(db: Database, annotator: str = "ana", project: str = "P") -> World:
    """A project with three documents, a registry, and attributions on the first document."""
    p = get_or_create_project(db, project)
    a = get_or_create_annotator(db, annotator)
    docs = [add_doc(db, p.id, t, f"doc {i}") for i, t in enumerate(TEXTS)]
    actor = reg.create_actor(db, p.id, "Ali Akbar Ahmadian", aliases=("Ahmadiyyan",), role="SNSC")
    target = reg.create_target(db, p.id, "Change of the region's geopolitics")
    ids = []
    ids.append(
        attr.new_attribution(
            db,
            docs[0],
            a.id,
            [Span(10, 52)],
            cue=Span(5, 9),
            speaker_id=actor.id,
            target_id=target.id,
            polarity=Polarity.OPPOSE,
            proposition="no change",
        ).id
    )
    ids.append(
        attr.new_attribution(
            db,
            docs[0],
            a.id,
            [Span(67, 81)],
            kind=Kind.DIRECT,
            speaker_id=actor.id,
            mention=Span(54, 56),
        ).id
    )
    return World(p.id, a.id, docs, actor.id, target.id, ids)


def sql_dump(db: Database) -> str:
    """Every row of every table, as SQL text (sqlite3 iterdump), from a separate connection."""
    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def canonical(db: Database) -> dict[str, Any]:
    """The database's content with import-local values (row order, local ids of entries that
    were matched by text hash or name, history row ids and times) replaced by stable keys."""
    with db.session() as s:
        projects = {p.id: p.name for p in s.execute(select(schema.Project.id, schema.Project.name))}
        people = {
            a.id: a.name for a in s.execute(select(schema.Annotator.id, schema.Annotator.name))
        }
        docs = {
            d.id: (projects[d.project_id], d.text_sha256, d.id if d.deleted_at else "live")
            for d in s.execute(select(schema.Document)).scalars()
        }
        actors = _registry_keys(s, schema.Actor, projects)
        targets = _registry_keys(s, schema.Target, projects)
        ids = {**docs, **actors, **targets, **people}

        def key(value: Any) -> Any:
            return ids.get(value, value) if isinstance(value, str) else value

        out: dict[str, Any] = {}
        out["projects"] = sorted(
            (p.name, p.description, p.guidelines, str(p.updated_at), str(p.deleted_at))
            for p in s.scalars(select(schema.Project))
        )
        out["annotators"] = sorted(people.values())
        out["documents"] = sorted(
            (docs[d.id], d.title, repr(d.meta), str(d.updated_at), str(d.deleted_at))
            for d in s.scalars(select(schema.Document))
        )
        out["actors"] = sorted(
            (actors[r.id], r.type, r.role, str(r.deleted_at), str(key(r.merged_into_id)))
            for r in s.scalars(select(schema.Actor))
        )
        out["targets"] = sorted(
            (targets[r.id], r.description, str(r.deleted_at))
            for r in s.scalars(select(schema.Target))
        )
        current: dict[str, str] = {}
        rows = []
        for r in s.scalars(select(schema.Attribution)):
            values = [repr(key(getattr(r, f))) for f in ATTR_FIELDS]
            current[r.id] = content_hash(values)
            rows.append(
                (
                    r.id,
                    docs[r.document_id],
                    *values,
                    str(r.created_at),
                    str(r.updated_at),
                    str(r.deleted_at),
                )
            )
        out["attributions"] = sorted(rows)
        history = set()
        for h in s.scalars(select(schema.AttributionHistory)):
            values = [repr(key(to_json_value(h.snapshot.get(f)))) for f in ATTR_FIELDS]
            digest = content_hash(values)
            if digest != current.get(h.attribution_id):
                history.add((h.attribution_id, digest))
        out["history"] = sorted(history)
        out["review_events"] = sorted(
            (e.id, e.attribution_id, key(e.reviewer_id), e.action, e.comment)
            for e in s.scalars(select(schema.ReviewEvent))
        )
        out["work"] = sorted(
            (docs[w.document_id], people[w.annotator_id], w.status, str(w.updated_at))
            for w in s.scalars(select(schema.DocumentWork))
        )
    return out


def _registry_keys(s: Any, model: Any, projects: dict[str, str]) -> dict[str, Any]:
    alias_model = schema.ActorAlias if model is schema.Actor else schema.TargetAlias
    owner = alias_model.actor_id if model is schema.Actor else alias_model.target_id
    names: dict[str, set[str]] = {}
    for r in s.scalars(select(model)):
        names[r.id] = {fold(r.name)}
    for entry_id, normalized in s.execute(
        select(owner, alias_model.normalized).where(alias_model.deleted_at.is_(None))
    ):
        names[entry_id].add(normalized)
    return {
        r.id: (projects[r.project_id], tuple(sorted(names[r.id])), r.id if r.deleted_at else "")
        for r in s.scalars(select(model))
    }
