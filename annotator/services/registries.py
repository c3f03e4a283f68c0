"""Actor and stance-target registries: create, alias, fuzzy find, merge."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from annotator.matching import Candidate, Match, fold, rank
from annotator.model import ActorRecord, ActorType, TargetRecord, utcnow
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import actor_record, target_record


def _live_actors(session: Session, project_id: str) -> list[schema.Actor]:
    return list(
        session.scalars(
            select(schema.Actor)
            .options(selectinload(schema.Actor.aliases))
            .where(schema.Actor.project_id == project_id, schema.Actor.deleted_at.is_(None))
            .order_by(schema.Actor.name)
        )
    )


def _live_targets(session: Session, project_id: str) -> list[schema.Target]:
    return list(
        session.scalars(
            select(schema.Target)
            .options(selectinload(schema.Target.aliases))
            .where(schema.Target.project_id == project_id, schema.Target.deleted_at.is_(None))
            .order_by(schema.Target.name)
        )
    )


def list_actors(db: Database, project_id: str) -> list[ActorRecord]:
    with db.reader() as s:
        return [actor_record(a) for a in _live_actors(s, project_id)]


def list_targets(db: Database, project_id: str) -> list[TargetRecord]:
    with db.reader() as s:
        return [target_record(t) for t in _live_targets(s, project_id)]


def get_actor(db: Database, actor_id: str) -> ActorRecord:
    with db.reader() as s:
        row = s.get(schema.Actor, actor_id)
        if row is None:
            raise KeyError(actor_id)
        return actor_record(row)


def get_target(db: Database, target_id: str) -> TargetRecord:
    with db.reader() as s:
        row = s.get(schema.Target, target_id)
        if row is None:
            raise KeyError(target_id)
        return target_record(row)


def actor_by_name(session: Session, project_id: str, name: str) -> schema.Actor | None:
    """An actor whose canonical name or alias equals `name` (case/diacritic-insensitive)."""
    key = fold(name)
    for actor in _live_actors(session, project_id):
        if fold(actor.name) == key or any(
            a.normalized == key for a in actor.aliases if a.deleted_at is None
        ):
            return actor
    return None


def target_by_name(session: Session, project_id: str, name: str) -> schema.Target | None:
    key = fold(name)
    for target in _live_targets(session, project_id):
        if fold(target.name) == key or any(
            a.normalized == key for a in target.aliases if a.deleted_at is None
        ):
            return target
    return None


def ensure_actor(
    session: Session, project_id: str, name: str, type: ActorType = ActorType.PERSON, **fields: str
) -> schema.Actor:
    row = actor_by_name(session, project_id, name)
    if row is None:
        row = schema.Actor(project_id=project_id, name=name, type=str(type), **fields)
        session.add(row)
        session.flush()
    return row


def ensure_target(
    session: Session, project_id: str, name: str, description: str = ""
) -> schema.Target:
    row = target_by_name(session, project_id, name)
    if row is None:
        row = schema.Target(project_id=project_id, name=name, description=description)
        session.add(row)
        session.flush()
    return row


def add_alias_row(session: Session, row: schema.Actor | schema.Target, alias: str) -> bool:
    """Add `alias` unless it is already the name or an alias. Returns whether it was added."""
    key = fold(alias)
    if not key or key == fold(row.name):
        return False
    if any(a.normalized == key for a in row.aliases if a.deleted_at is None):
        return False
    cls = schema.ActorAlias if isinstance(row, schema.Actor) else schema.TargetAlias
    row.aliases.append(cls(alias=alias, normalized=key))
    row.updated_at = utcnow()
    session.flush()
    return True


def create_actor(
    db: Database,
    project_id: str,
    name: str,
    type: ActorType = ActorType.PERSON,
    aliases: tuple[str, ...] = (),
    **fields: str,
) -> ActorRecord:
    with db.session() as s:
        row = schema.Actor(project_id=project_id, name=name, type=str(type), **fields)
        s.add(row)
        s.flush()
        for alias in aliases:
            add_alias_row(s, row, alias)
        return actor_record(row)


def create_target(
    db: Database, project_id: str, name: str, description: str = "", aliases: tuple[str, ...] = ()
) -> TargetRecord:
    with db.session() as s:
        row = schema.Target(project_id=project_id, name=name, description=description)
        s.add(row)
        s.flush()
        for alias in aliases:
            add_alias_row(s, row, alias)
        return target_record(row)


def update_actor(db: Database, actor_id: str, **fields: str) -> ActorRecord:
    with db.session() as s:
        row = s.get(schema.Actor, actor_id)
        if row is None:
            raise KeyError(actor_id)
        for key, value in fields.items():
            setattr(row, key, str(value))
        row.updated_at = utcnow()
        s.flush()
        return actor_record(row)


def update_target(db: Database, target_id: str, **fields: str) -> TargetRecord:
    with db.session() as s:
        row = s.get(schema.Target, target_id)
        if row is None:
            raise KeyError(target_id)
        for key, value in fields.items():
            setattr(row, key, str(value))
        row.updated_at = utcnow()
        s.flush()
        return target_record(row)


def add_actor_alias(db: Database, actor_id: str, alias: str) -> bool:
    with db.session() as s:
        row = s.get(schema.Actor, actor_id)
        if row is None:
            raise KeyError(actor_id)
        return add_alias_row(s, row, alias)


def add_target_alias(db: Database, target_id: str, alias: str) -> bool:
    with db.session() as s:
        row = s.get(schema.Target, target_id)
        if row is None:
            raise KeyError(target_id)
        return add_alias_row(s, row, alias)


def remove_alias(db: Database, entry_id: str, alias: str) -> bool:
    """Tombstone an alias of an actor or target."""
    key = fold(alias)
    with db.session() as s:
        row = s.get(schema.Actor, entry_id) or s.get(schema.Target, entry_id)
        if row is None:
            raise KeyError(entry_id)
        for a in row.aliases:
            if a.normalized == key and a.deleted_at is None:
                a.deleted_at = utcnow()
                a.updated_at = a.deleted_at
                return True
        return False


def find_actors(db: Database, project_id: str, query: str, limit: int = 10) -> list[Match]:
    """Actors matching `query` by name or alias, fuzzy and diacritic-insensitive."""
    actors = list_actors(db, project_id)
    return rank(query, _candidates(actors), limit=limit)


def find_targets(db: Database, project_id: str, query: str, limit: int = 10) -> list[Match]:
    targets = list_targets(db, project_id)
    return rank(query, _candidates(targets), limit=limit)


def _candidates(entries: list[ActorRecord] | list[TargetRecord]) -> list[Candidate]:
    out = []
    for e in entries:
        out.append(Candidate(e.id, e.name, e.name))
        out.extend(Candidate(e.id, e.name, a) for a in e.aliases)
    return out


def merge_actors(db: Database, keep_id: str, remove_id: str) -> int:
    """Merge `remove_id` into `keep_id`: re-point attributions, move aliases. Returns count moved."""
    with db.session() as s:
        keep = s.get(schema.Actor, keep_id)
        gone = s.get(schema.Actor, remove_id)
        if keep is None or gone is None or keep_id == remove_id:
            raise KeyError(f"cannot merge {remove_id} into {keep_id}")
        now = utcnow()
        moved = 0
        for column in (schema.Attribution.speaker_id, schema.Attribution.via_id):
            result = s.execute(
                update(schema.Attribution)
                .where(column == remove_id)
                .values({column.key: keep_id, "updated_at": now})
            )
            moved += result.rowcount or 0
        add_alias_row(s, keep, gone.name)
        for alias in gone.aliases:
            if alias.deleted_at is None:
                add_alias_row(s, keep, alias.alias)
        gone.merged_into_id = keep_id
        gone.deleted_at = now
        gone.updated_at = now
        return moved


def merge_targets(db: Database, keep_id: str, remove_id: str) -> int:
    with db.session() as s:
        keep = s.get(schema.Target, keep_id)
        gone = s.get(schema.Target, remove_id)
        if keep is None or gone is None or keep_id == remove_id:
            raise KeyError(f"cannot merge {remove_id} into {keep_id}")
        now = utcnow()
        result = s.execute(
            update(schema.Attribution)
            .where(schema.Attribution.target_id == remove_id)
            .values(target_id=keep_id, updated_at=now)
        )
        add_alias_row(s, keep, gone.name)
        for alias in gone.aliases:
            if alias.deleted_at is None:
                add_alias_row(s, keep, alias.alias)
        gone.merged_into_id = keep_id
        gone.deleted_at = now
        gone.updated_at = now
        return result.rowcount or 0
