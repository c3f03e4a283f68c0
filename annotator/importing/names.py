"""In-memory name index of a project's actors or targets for the duration of one import.

Looking names up in the database for every attribution is quadratic (each lookup loads the whole
registry); the index is loaded once. Entries added inside a document's transaction are staged and
only become visible to later documents when that transaction commits.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.matching import fold
from annotator.storage import schema


class NameIndex:
    def __init__(self, entries: list[tuple[str, str]]) -> None:
        """`entries`: (entry id, name or alias) pairs."""
        self.keys: dict[str, str] = {}
        self.ids: list[str] = []
        self.choices: list[str] = []  # processed folded labels, for fuzzy matching
        self.staged: list[tuple[str, str]] = []
        for entry_id, label in entries:
            self._add(entry_id, label)

    @classmethod
    def load(cls, session: Session, project_id: str, kind: str) -> NameIndex:
        if kind == "actor":
            entry, alias, fk = schema.Actor, schema.ActorAlias, schema.ActorAlias.actor_id
        else:
            entry, alias, fk = schema.Target, schema.TargetAlias, schema.TargetAlias.target_id
        live = (entry.project_id == project_id, entry.deleted_at.is_(None))
        names = session.execute(select(entry.id, entry.name).where(*live)).all()
        aliases = session.execute(
            select(entry.id, alias.alias)
            .join(alias, fk == entry.id)
            .where(*live, alias.deleted_at.is_(None))
        ).all()
        return cls([(i, n) for i, n in names] + [(i, a) for i, a in aliases])

    def _add(self, entry_id: str, label: str) -> None:
        key = fold(label)
        if key and key not in self.keys:
            self.keys[key] = entry_id
            self.ids.append(entry_id)
            self.choices.append(utils.default_process(key))

    def find(self, name: str) -> str | None:
        """Exact match on name or alias (case- and diacritic-insensitive)."""
        key = fold(name)
        for entry_id, label in reversed(self.staged):
            if fold(label) == key:
                return entry_id
        return self.keys.get(key)

    def fuzzy(self, name: str, cutoff: float) -> str | None:
        """Best spelling-tolerant match scoring at least `cutoff` (rapidfuzz WRatio)."""
        query = utils.default_process(fold(name))
        if not query:
            return None
        best = process.extractOne(query, self.choices, scorer=fuzz.WRatio, score_cutoff=cutoff)
        if best is not None:
            return self.ids[best[2]]
        for entry_id, label in self.staged:
            if fuzz.WRatio(query, utils.default_process(fold(label))) >= cutoff:
                return entry_id
        return None

    def stage(self, entry_id: str, label: str) -> None:
        self.staged.append((entry_id, label))

    def commit(self) -> None:
        for entry_id, label in self.staged:
            self._add(entry_id, label)
        self.staged.clear()

    def rollback(self) -> None:
        self.staged.clear()
