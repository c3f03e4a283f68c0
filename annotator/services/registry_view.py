"""Read-side queries for the registries panel: how often each actor/target is used, and where.

Excerpts are cut in SQL (`substr` counts code points, like our offsets), so listing an actor's
quotes never loads whole articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

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
    # One indexed count per actor and role (migration 0005's partial indexes cover them), not a
    # join on `speaker_id = id OR via_id = id`, which no index serves.
    sql = (
        "SELECT ac.id,"
        " (SELECT count(*) FROM attributions a INDEXED BY ix_attributions_speaker_live"
        "   WHERE a.speaker_id = ac.id AND a.deleted_at IS NULL)"
        " + (SELECT count(*) FROM attributions a INDEXED BY ix_attributions_via_live"
        "   WHERE a.via_id = ac.id AND a.deleted_at IS NULL"
        "   AND (a.speaker_id IS NULL OR a.speaker_id != ac.id))"
        " FROM actors ac WHERE ac.project_id = :p AND ac.deleted_at IS NULL"
    )
    with db.reader() as s:
        counts = {r[0]: int(r[1]) for r in s.execute(text(sql), {"p": project_id})}
    return {k: v for k, v in counts.items() if v}


def target_usage_counts(db: Database, project_id: str) -> dict[str, int]:
    sql = (
        "SELECT t.id, (SELECT count(*) FROM attributions a INDEXED BY ix_attributions_target_live"
        "   WHERE a.target_id = t.id AND a.deleted_at IS NULL)"
        " FROM targets t WHERE t.project_id = :p AND t.deleted_at IS NULL"
    )
    with db.reader() as s:
        counts = {r[0]: int(r[1]) for r in s.execute(text(sql), {"p": project_id})}
    return {k: v for k, v in counts.items() if v}


# The usages, in reading order, without their text: each document's text is read once below,
# however many of its attributions are listed (substr per row re-read a 5 MB article 300 times).
_USAGE_SQL = (
    "SELECT a.id, d.id, d.title,"
    " json_extract(a.content_spans, '$[0][0]'), json_extract(a.content_spans, '$[0][1]'),"
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
    with db.reader() as s:
        rows = s.execute(text(sql), {"e": entry_id, "n": limit}).all()
        windows = _excerpt_windows(s, rows)
    out = []
    for r in rows:
        start, end = int(r[3]), int(r[4])
        lo, window = windows[r[1]]
        cut = window[start - lo : start - lo + min(end - start, EXCERPT_CHARS)]
        excerpt = " ".join(cut.split())
        if end - start > EXCERPT_CHARS:
            excerpt += "…"
        out.append(Usage(r[0], r[1], r[2] or "(untitled)", excerpt, r[5], r[6]))
    return out


def _excerpt_windows(s: Session, rows: list[Any]) -> dict[str, tuple[int, str]]:
    """Per document, (offset, text) of the one stretch that holds all its listed excerpts."""
    spans: dict[str, tuple[int, int]] = {}
    for r in rows:
        start, end = int(r[3]), int(r[4])
        stop = start + min(end - start, EXCERPT_CHARS)
        lo, hi = spans.get(r[1], (start, stop))
        spans[r[1]] = (min(lo, start), max(hi, stop))
    out: dict[str, tuple[int, str]] = {}
    for document_id, (lo, hi) in spans.items():
        window = s.execute(
            text("SELECT substr(text, :lo + 1, :n) FROM documents WHERE id = :d"),
            {"lo": lo, "n": hi - lo, "d": document_id},
        ).scalar_one()
        out[document_id] = (lo, window or "")
    return out


@dataclass(frozen=True, slots=True)
class MergeRecord:
    """What a merge changed, so it can be undone exactly."""

    actor: bool
    keep_id: str
    gone_id: str
    moved: dict[str, tuple[str, ...]]  # column -> attribution ids re-pointed from gone to keep
    added_aliases: tuple[str, ...]  # alias texts the merge gave to `keep`


def merge_entries(db: Database, keep_id: str, gone_id: str, *, actor: bool) -> MergeRecord:
    """Merge `gone_id` into `keep_id` (services.registries.merge_actors/targets), recording what
    moved: which attributions, which aliases."""
    from annotator.services import registries as reg

    columns = ("speaker_id", "via_id") if actor else ("target_id",)
    table = "actors" if actor else "targets"
    alias_table, fk = ("actor_aliases", "actor_id") if actor else ("target_aliases", "target_id")
    with db.reader() as s:
        moved = {
            c: tuple(
                r[0]
                for r in s.execute(
                    text(f"SELECT id FROM attributions WHERE {c} = :g ORDER BY id"), {"g": gone_id}
                )
            )
            for c in columns
        }
        if s.execute(text(f"SELECT 1 FROM {table} WHERE id = :k"), {"k": keep_id}).first() is None:
            raise KeyError(keep_id)
        before = _live_aliases(s, alias_table, fk, keep_id)
    (reg.merge_actors if actor else reg.merge_targets)(db, keep_id, gone_id)
    with db.reader() as s:
        after = _live_aliases(s, alias_table, fk, keep_id)
    added = tuple(a for a in after if a not in before)
    return MergeRecord(actor, keep_id, gone_id, moved, added)


def undo_merge(db: Database, record: MergeRecord) -> None:
    """Revive the merged entry, point its attributions back, drop the aliases the merge added."""
    from annotator.model import utcnow

    table = "actors" if record.actor else "targets"
    alias_table, fk = (
        ("actor_aliases", "actor_id") if record.actor else ("target_aliases", "target_id")
    )
    now = utcnow()
    with db.session() as s:
        s.execute(
            text(
                f"UPDATE {table} SET deleted_at = NULL, merged_into_id = NULL, updated_at = :now"
                " WHERE id = :g"
            ),
            {"g": record.gone_id, "now": now},
        )
        for column, ids in record.moved.items():
            for attribution_id in ids:
                s.execute(
                    text(
                        f"UPDATE attributions SET {column} = :g, updated_at = :now"
                        f" WHERE id = :a AND {column} = :k"
                    ),
                    {"g": record.gone_id, "k": record.keep_id, "a": attribution_id, "now": now},
                )
        for alias in record.added_aliases:
            s.execute(
                text(
                    f"UPDATE {alias_table} SET deleted_at = :now, updated_at = :now"
                    f" WHERE {fk} = :k AND alias = :a AND deleted_at IS NULL"
                ),
                {"k": record.keep_id, "a": alias, "now": now},
            )


def _live_aliases(s: Session, alias_table: str, fk: str, entry_id: str) -> list[str]:
    rows = s.execute(
        text(f"SELECT alias FROM {alias_table} WHERE {fk} = :e AND deleted_at IS NULL"),
        {"e": entry_id},
    )
    return [r[0] for r in rows]
