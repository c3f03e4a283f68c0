"""Projects and annotators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.model import AnnotatorRecord, ProjectRecord
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import annotator_record, project_record

DEFAULT_PROJECT = "Default"


def project_row(session: Session, name: str, *, create: bool = True) -> schema.Project | None:
    """The project called `name`; letter case does not matter (`--project default` is the
    "Default" project, not a new one beside it). With `create`, a new one if none matches."""
    row = session.scalar(select(schema.Project).where(schema.Project.name == name))
    if row is None:
        folded = name.casefold()
        oldest_first = select(schema.Project).order_by(schema.Project.created_at, schema.Project.id)
        row = next((p for p in session.scalars(oldest_first) if p.name.casefold() == folded), None)
    if row is None and create:
        row = schema.Project(name=name)
        session.add(row)
        session.flush()
    return row


def annotator_row(session: Session, name: str) -> schema.Annotator:
    row = session.scalar(select(schema.Annotator).where(schema.Annotator.name == name))
    if row is None:
        row = schema.Annotator(name=name)
        session.add(row)
        session.flush()
    return row


def get_or_create_project(db: Database, name: str) -> ProjectRecord:
    with db.session() as s:
        row = project_row(s, name)
        assert row is not None
        return project_record(row)


def find_project(db: Database, name: str) -> ProjectRecord | None:
    with db.reader() as s:
        row = project_row(s, name, create=False)
        return project_record(row) if row is not None else None


def list_projects(db: Database) -> list[ProjectRecord]:
    with db.reader() as s:
        rows = s.scalars(
            select(schema.Project)
            .where(schema.Project.deleted_at.is_(None))
            .order_by(schema.Project.name)
        )
        return [project_record(r) for r in rows]


def get_or_create_annotator(db: Database, name: str) -> AnnotatorRecord:
    with db.session() as s:
        return annotator_record(annotator_row(s, name))


def list_annotators(db: Database) -> list[AnnotatorRecord]:
    with db.reader() as s:
        rows = s.scalars(select(schema.Annotator).order_by(schema.Annotator.name))
        return [annotator_record(r) for r in rows]
