"""Read-side queries for the registries panel: how often each actor/target is used, and where.

Excerpts are cut in SQL (`substr` counts code points, like our offsets), so listing an actor's
quotes never loads whole articles.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from annotator.storage.engine import Database

EXCERPT_CHARS = 160


@dataclass(frozen=True, slots=True)
class Usage:
    """One attribution that names an actor (as speaker or via) or a target."""

    attribution_id: str
    document_id: str
    title: str
    excerpt: str
    role: str  # "speaker", "via" or "target"
    annotator: str


def actor_usage_counts(db: Database, project_id: str) -> dict[str, int]:
    """Live attributions per actor (as speaker or via), for the actors of a project."""
    sql = (
        "SELECT ac.id, count(a.id) FROM actors ac JOIN attributions a"
        " ON (a.speaker_id = ac.id OR a.via_id = ac.id) AND a.deleted_at IS NULL"
        " WHERE ac.project_id = :p AND ac.deleted_at IS NULL GROUP BY ac.id"
    )
    with db.session() as s:
        return {r[0]: int(r[1]) for r in s.execute(text(sql), {"p": project_id})}


def target_usage_counts(db: Database, project_id: str) -> dict[str, int]:
    sql = (
        "SELECT t.id, count(a.id) FROM targets t JOIN attributions a"
        " ON a.target_id = t.id AND a.deleted_at IS NULL"
        " WHERE t.project_id = :p AND t.deleted_at IS NULL GROUP BY t.id"
    )
    with db.session() as s:
        return {r[0]: int(r[1]) for r in s.execute(text(sql), {"p": project_id})}


_USAGE_SQL = (
    "SELECT a.id, d.id, d.title,"
    " substr(d.text, json_extract(a.content_spans, '$[0][0]') + 1,"
    "        min(json_extract(a.content_spans, '$[0][1]') - json_extract(a.content_spans, '$[0][0]'),"
    f"            {EXCERPT_CHARS})),"
    " json_extract(a.content_spans, '$[0][1]') - json_extract(a.content_spans, '$[0][0]'),"
    " {role}, coalesce(an.name, '')"
    " FROM attributions a JOIN documents d ON d.id = a.document_id"
    " LEFT JOIN annotators an ON an.id = a.annotator_id"
    " WHERE {where} AND a.deleted_at IS NULL AND d.deleted_at IS NULL"
    " ORDER BY d.seq, json_extract(a.content_spans, '$[0][0]') LIMIT :n"
)


def usages(db: Database, entry_id: str, *, actor: bool, limit: int = 500) -> list[Usage]:
    """Attributions using the actor (speaker or via) or target `entry_id`, in reading order."""
    if actor:
        role = "CASE WHEN a.speaker_id = :e THEN 'speaker' ELSE 'via' END"
        where = "(a.speaker_id = :e OR a.via_id = :e)"
    else:
        role, where = "'target'", "a.target_id = :e"
    sql = _USAGE_SQL.format(role=role, where=where)
    with db.session() as s:
        rows = s.execute(text(sql), {"e": entry_id, "n": limit})
        out = []
        for r in rows:
            excerpt = " ".join((r[3] or "").split())
            if (r[4] or 0) > EXCERPT_CHARS:
                excerpt += "…"
            out.append(Usage(r[0], r[1], r[2] or "(untitled)", excerpt, r[5], r[6]))
        return out
