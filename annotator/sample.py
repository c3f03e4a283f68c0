"""The Sample project: four short articles the team wrote, three of them already annotated.

Created on first start with an empty database, so a newcomer sees the product working. The data
is resources/sample/sample.jsonl (native format, made by resources/sample/build_sample.py) and it
goes in through the ordinary importer, so the sample also exercises the real import path.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.model import WorkStatus
from annotator.resources import resource_path
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.migrate import write_locked

SAMPLE_PROJECT = "Sample"
SAMPLE_ANNOTATOR = "sample-analyst"
SAMPLE_DESCRIPTION = (
    "Four short news articles written for Annotator (people, places and agencies are invented)."
    " Three are already annotated, as a model of finished work; the Geneva article is left for you"
    " to try."
)


class SampleProjectError(RuntimeError):
    """The bundled sample could not be imported (an incomplete or damaged installation)."""


def sample_file() -> Path:
    return resource_path("sample", "sample.jsonl")


def ensure_sample_project(db: Database, annotator: str = SAMPLE_ANNOTATOR) -> bool:
    """Create the Sample project when the database has no projects at all (deleted ones count:
    a user who removed the sample does not get it back). Returns whether it was created.

    The finished annotations are credited to `annotator` (the app passes the user), because the
    workspace shows the current annotator's work: a newcomer must see them highlighted."""
    if not _claim(db):
        return False
    from annotator.importing.pipeline import import_paths

    try:
        report = import_paths(
            db, [sample_file()], project=SAMPLE_PROJECT, annotator=SAMPLE_ANNOTATOR
        )
        if not report.ok:
            raise SampleProjectError(
                "the sample project did not import: " + "; ".join(report.errors)
            )
    except BaseException:
        # No empty Sample left behind, so the next start tries again; the import's own error
        # is the one to report.
        with contextlib.suppress(Exception):
            _release(db)
        raise
    _finish(db, annotator)
    return True


def _claim(db: Database) -> bool:
    """Create the empty Sample project if there are no projects, under SQLite's write lock, so
    two instances started together on a new database do not both import the sample."""
    with write_locked(db) as conn:
        if conn.scalar(select(func.count()).select_from(schema.Project)):
            return False
        conn.execute(insert(schema.Project).values(name=SAMPLE_PROJECT))
    return True


def _release(db: Database) -> None:
    """Drop the claimed Sample project, with any registry entries the failed import committed
    (the sample's actors and targets come before its documents), if no document got stored."""
    with db.session() as s:
        pid = s.scalar(select(schema.Project.id).where(schema.Project.name == SAMPLE_PROJECT))
        if pid is None:
            return
        docs = select(func.count()).select_from(schema.Document)
        if s.scalar(docs.where(schema.Document.project_id == pid)):
            return
        for entry, alias, fk in (
            (schema.Actor, schema.ActorAlias, schema.ActorAlias.actor_id),
            (schema.Target, schema.TargetAlias, schema.TargetAlias.target_id),
        ):
            ids = select(entry.id).where(entry.project_id == pid)
            s.execute(delete(alias).where(fk.in_(ids)))
            s.execute(delete(entry).where(entry.project_id == pid))
        s.execute(delete(schema.Project).where(schema.Project.id == pid))


def _finish(db: Database, annotator: str) -> None:
    """Describe the project, credit the sample's annotations to `annotator`, and mark the
    annotated articles done by them."""
    with db.session() as s:
        project = s.scalar(select(schema.Project).where(schema.Project.name == SAMPLE_PROJECT))
        analyst = s.scalar(
            select(schema.Annotator).where(schema.Annotator.name == SAMPLE_ANNOTATOR)
        )
        if project is None or analyst is None:
            raise SampleProjectError("the sample project or its analyst is missing after import")
        if annotator != SAMPLE_ANNOTATOR:
            analyst = _reassign(s, analyst, annotator)
        project.description = SAMPLE_DESCRIPTION
        annotated = s.scalars(
            select(schema.Attribution.document_id)
            .join(schema.Document, schema.Document.id == schema.Attribution.document_id)
            .where(schema.Document.project_id == project.id)
            .distinct()
        ).all()
        for doc_id in annotated:
            s.add(
                schema.DocumentWork(
                    document_id=doc_id, annotator_id=analyst.id, status=str(WorkStatus.DONE)
                )
            )


def _reassign(s: Session, sample_analyst: schema.Annotator, name: str) -> schema.Annotator:
    """Move the freshly imported sample work to the annotator `name`; drop the placeholder."""
    owner = s.scalar(select(schema.Annotator).where(schema.Annotator.name == name))
    if owner is None:
        owner = schema.Annotator(name=name)
        s.add(owner)
        s.flush()
    s.execute(
        update(schema.Attribution)
        .where(schema.Attribution.annotator_id == sample_analyst.id)
        .values(annotator_id=owner.id)
    )
    s.delete(sample_analyst)  # created by this import a moment ago: nothing else refers to it
    s.flush()
    return owner
