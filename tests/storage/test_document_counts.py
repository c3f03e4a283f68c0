"""The live-document counters (document_source_counts, kept by triggers) always equal a count
over the documents, through every kind of write: insert, tombstone, revival, a new source, a
move to another project, a hard delete."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from annotator.model import utcnow
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_project
from annotator.storage.engine import Database

SOURCES = ["Turan", "IRNA", "", "turan"]
_UNIQUE = itertools.count()

ops = st.lists(
    st.tuples(
        st.sampled_from(["add", "tombstone", "revive", "source", "move", "delete"]),
        st.integers(0, 30),  # which document (modulo how many there are)
        st.integers(0, 3),  # a source or a project
    ),
    max_size=30,
)


def _counted(db: Database) -> dict[tuple[str, str], int]:
    with db.reader() as s:
        rows = s.execute(text("SELECT project_id, source, live FROM document_source_counts"))
        return {(p, src): n for p, src, n in rows if n}


def _actual(db: Database) -> dict[tuple[str, str], int]:
    with db.reader() as s:
        rows = s.execute(
            text(
                "SELECT project_id, coalesce(source, ''), count(*) FROM documents"
                " WHERE deleted_at IS NULL GROUP BY 1, 2"
            )
        )
        return {(p, src): n for p, src, n in rows}


@given(ops)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_counters_follow_every_write(db: Database, steps) -> None:
    run = next(_UNIQUE)
    projects = [get_or_create_project(db, f"P{run}-{i}").id for i in range(2)]
    docs: list[str] = []
    for op, which, arg in steps:
        if op == "add" or not docs:
            with db.session() as s:
                row, _ = add_document(
                    s,
                    projects[arg % 2],
                    DocumentDraft(text=f"text {run} {len(docs)}", source=SOURCES[arg]),
                )
                docs.append(row.id)
            continue
        doc = docs[which % len(docs)]
        sql, params = {
            "tombstone": (
                "UPDATE documents SET deleted_at = :now WHERE id = :d",
                {"now": utcnow()},
            ),
            "revive": ("UPDATE documents SET deleted_at = NULL WHERE id = :d", {}),
            "source": ("UPDATE documents SET source = :v WHERE id = :d", {"v": SOURCES[arg]}),
            "move": (
                "UPDATE documents SET project_id = :v WHERE id = :d",
                {"v": projects[arg % 2]},
            ),
            "delete": ("DELETE FROM documents WHERE id = :d", {}),
        }[op]
        with db.session() as s:
            s.execute(text(sql), {"d": doc, **params})
        if op == "delete":
            docs.remove(doc)
        mine = {k: v for k, v in _counted(db).items() if k[0] in projects}
        assert mine == {k: v for k, v in _actual(db).items() if k[0] in projects}
