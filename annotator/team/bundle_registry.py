"""Bundle import of the actor and target registries: by UUID, else by canonical name or alias.

An incoming live entry whose UUID is unknown but whose name or an alias equals (case- and
diacritic-insensitively) a local live entry's name or alias is the same entry: its id is mapped
to the local one and its names become aliases, so nothing is silently duplicated. Entries that are
only *similar* (fuzzy, annotator.matching.rank) are added and listed for the lead to merge.
Alias rows merge by UUID; an alias tombstone stays a tombstone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, or_, select, update

from annotator.matching import Candidate, fold, rank
from annotator.model import new_id
from annotator.storage import schema
from annotator.team.bundle_merge import chunks, merge_versions, min_set

if TYPE_CHECKING:
    from annotator.team.bundle_import import Importer

ACTOR_FIELDS = ("name", "type", "role", "affiliation", "wikidata_id")
TARGET_FIELDS = ("name", "description")
DUPLICATE_SCORE = 88.0  # fuzzy score above which two differently named entries look alike


class RegistryMerger:
    def __init__(self, importer: Importer) -> None:
        self.imp = importer
        self.s = importer.s

    def merge(
        self, member: str, model: type[schema.Actor] | type[schema.Target], records: list[dict]
    ) -> dict[str, str]:
        """Merge `records`; returns incoming id -> local id for every entry in the bundle."""
        is_actor = model is schema.Actor
        t = model.__table__
        alias_t = (schema.ActorAlias if is_actor else schema.TargetAlias).__table__
        owner = alias_t.c.actor_id if is_actor else alias_t.c.target_id
        fields = ACTOR_FIELDS if is_actor else TARGET_FIELDS
        table_name = "actors" if is_actor else "targets"
        counts = self.imp.report.count(table_name)
        id_map: dict[str, str] = {}
        local_by_id: dict[str, dict[str, Any]] = {}
        for part in chunks([r["id"] for r in records]):
            for row in self.s.execute(select(*t.c).where(t.c.id.in_(part))):
                local_by_id[row.id] = dict(row._mapping)
        indexes: dict[str, dict[str, str]] = {}
        added: list[tuple[str, str, str]] = []  # (project, id, name) of new live entries
        for rec in records:
            project_id = self.imp.local_project(member, rec["project_id"])
            index = indexes.get(project_id)
            if index is None:
                index = indexes[project_id] = self._name_index(model, alias_t, owner, project_id)
            local = local_by_id.get(rec["id"])
            if local is None and rec["deleted_at"] is None:
                local_id = self._match(index, rec)
                if local_id is not None:
                    local = dict(
                        self.s.execute(select(*t.c).where(t.c.id == local_id)).one()._mapping
                    )
                    self.imp.report.matched[f"{table_name} by name or alias"] = (
                        self.imp.report.matched.get(f"{table_name} by name or alias", 0) + 1
                    )
                    id_map[rec["id"]] = local_id
                    if self._add_names(alias_t, owner, local_id, index, rec):
                        counts.updated += 1  # the local entry gained the name as an alias
                    else:
                        counts.unchanged += 1
                    continue
            if local is None:
                row = {k: rec[k] for k in ("id", *fields, "created_at", "updated_at", "deleted_at")}
                row["project_id"] = project_id
                self.s.execute(insert(t).values(**row))
                id_map[rec["id"]] = rec["id"]
                counts.added += 1
                if rec["deleted_at"] is None:
                    added.append((project_id, rec["id"], rec["name"]))
                    for key in [fold(rec["name"])] + [
                        fold(a["alias"]) for a in rec["alias_records"] if a["deleted_at"] is None
                    ]:
                        index.setdefault(key, rec["id"])
                continue
            id_map[rec["id"]] = local["id"]
            merged = merge_versions(local, rec, fields)
            if merged.changes:
                self.s.execute(update(t).where(t.c.id == local["id"]).values(**merged.changes))
                counts.updated += 1
            else:
                counts.unchanged += 1
        # Second pass: merged_into links and aliases may point at entries later in the file.
        for rec in records:
            local_id = id_map[rec["id"]]
            index = indexes[self.imp.local_project(member, rec["project_id"])]
            self._aliases(alias_t, owner, local_id, rec["alias_records"], index, table_name)
            target = rec["merged_into_id"]
            if target is not None and local_id == rec["id"]:
                mapped = id_map.get(target) or self._existing(t, target, member)
                if mapped != local_id:
                    # Merged into two different entries on two machines: the smaller id wins,
                    # so the outcome does not depend on the order of imports.
                    self.s.execute(
                        update(t)
                        .where(
                            t.c.id == local_id,
                            or_(t.c.merged_into_id.is_(None), t.c.merged_into_id > mapped),
                        )
                        .values(merged_into_id=mapped, updated_at=t.c.updated_at)
                    )
        self._refuse_cycles(t, member, set(indexes))
        self._duplicates(model, alias_t, owner, added, table_name)
        return id_map

    def _refuse_cycles(self, t: Any, member: str, project_ids: set[str]) -> None:
        """Merges form chains (A merged into B merged into C): never a loop, which would leave
        no entry standing for the others (and hang whoever follows the chain)."""
        rows = self.s.execute(
            select(t.c.id, t.c.merged_into_id).where(
                t.c.project_id.in_(sorted(project_ids)), t.c.merged_into_id.is_not(None)
            )
        )
        links: dict[str, str] = {row[0]: row[1] for row in rows}
        done: set[str] = set()
        for start in links:
            path: list[str] = []
            node: str | None = start
            while node is not None and node not in done:
                if node in path:
                    loop = path[path.index(node) :]
                    raise self.imp.fail(
                        member,
                        "merges form a loop ("
                        + " -> ".join([*loop[:4], node])
                        + "); an entry cannot end up merged into itself",
                    )
                path.append(node)
                node = links.get(node)
            done.update(path)

    def _existing(self, t: Any, entry_id: str, member: str) -> str:
        if self.s.scalar(select(t.c.id).where(t.c.id == entry_id)) is None:
            raise self.imp.fail(member, f"refers to unknown entry {entry_id}")
        return entry_id

    def _name_index(self, model: Any, alias_t: Any, owner: Any, project_id: str) -> dict[str, str]:
        """folded name or alias -> id of a live local entry (canonical names take precedence)."""
        t = model.__table__
        index: dict[str, str] = {}
        live = select(t.c.id).where(t.c.project_id == project_id, t.c.deleted_at.is_(None))
        alias_rows = self.s.execute(
            select(owner, alias_t.c.normalized)
            .where(owner.in_(live), alias_t.c.deleted_at.is_(None))
            .order_by(alias_t.c.created_at, alias_t.c.id)
        ).all()
        for entry_id, normalized in alias_rows:
            index.setdefault(normalized, entry_id)
        rows = self.s.execute(
            select(t.c.id, t.c.name)
            .where(t.c.project_id == project_id, t.c.deleted_at.is_(None))
            .order_by(t.c.created_at, t.c.id)
        ).all()
        names: dict[str, str] = {}
        for entry_id, name in rows:
            names.setdefault(fold(name), entry_id)
        index.update(names)
        return index

    @staticmethod
    def _match(index: dict[str, str], rec: dict[str, Any]) -> str | None:
        keys = [fold(rec["name"])] + [
            fold(a["alias"]) for a in rec["alias_records"] if a["deleted_at"] is None
        ]
        for key in keys:
            if key and key in index:
                return index[key]
        return None

    def _add_names(
        self, alias_t: Any, owner: Any, local_id: str, index: dict[str, str], rec: dict
    ) -> bool:
        """The incoming entry's canonical name becomes an alias of the local entry (unless it
        already is its name or alias). Returns whether an alias was added."""
        key = fold(rec["name"])
        local_keys = {k for k, v in index.items() if v == local_id}
        existing = self.s.scalar(
            select(alias_t.c.id).where(
                owner == local_id, alias_t.c.normalized == key, alias_t.c.deleted_at.is_(None)
            )
        )
        if key and existing is None and key not in local_keys:
            self.s.execute(
                insert(alias_t).values(
                    {
                        "id": new_id(),
                        owner.key: local_id,
                        "alias": rec["name"],
                        "normalized": key,
                        "created_at": rec["updated_at"],
                        "updated_at": rec["updated_at"],
                    }
                )
            )
            index.setdefault(key, local_id)
            return True
        index.setdefault(key, local_id)
        return False

    def _aliases(
        self,
        alias_t: Any,
        owner: Any,
        local_id: str,
        aliases: list[dict],
        index: dict[str, str],
        label: str,
    ) -> None:
        for a in aliases:
            local = self.s.execute(select(*alias_t.c).where(alias_t.c.id == a["id"])).first()
            if local is None:
                key = fold(a["alias"])
                other = index.get(key)
                if a["deleted_at"] is None and other is not None and other != local_id:
                    # The alias is another entry's name here: the two are probably one.
                    line = f"{label[:-1]} alias {a['alias']!r} also names another entry"
                    if line not in self.imp.report.likely_duplicates:
                        self.imp.report.likely_duplicates.append(line)
                if a["deleted_at"] is None:
                    index.setdefault(key, local_id)
                self.s.execute(
                    insert(alias_t).values(
                        {
                            "id": a["id"],
                            owner.key: local_id,
                            "alias": a["alias"],
                            "normalized": fold(a["alias"]),
                            "created_at": a["created_at"],
                            "updated_at": a["updated_at"],
                            "deleted_at": a["deleted_at"],
                        }
                    )
                )
                continue
            deleted = min_set(local.deleted_at, a["deleted_at"])
            updated = max(local.updated_at, a["updated_at"])
            if deleted != local.deleted_at or updated != local.updated_at:
                self.s.execute(
                    update(alias_t)
                    .where(alias_t.c.id == a["id"])
                    .values(deleted_at=deleted, updated_at=updated)
                )

    def _duplicates(
        self, model: Any, alias_t: Any, owner: Any, added: list[tuple[str, str, str]], label: str
    ) -> None:
        """Fuzzy near-matches between new entries and the rest of their project's registry."""
        # Only against entries that were here before: the bundle's own entries were already
        # distinct on the machine that made it.
        by_project: dict[str, list[Candidate]] = {}
        new_ids = {entry_id for _p, entry_id, _n in added}
        for project_id, _entry_id, name in added[:500]:  # a report, not an exhaustive audit
            cands = by_project.get(project_id)
            if cands is None:
                t = model.__table__
                rows = self.s.execute(
                    select(t.c.id, t.c.name).where(
                        t.c.project_id == project_id, t.c.deleted_at.is_(None)
                    )
                ).all()
                cands = [Candidate(i, n, n) for i, n in rows if i not in new_ids]
                by_project[project_id] = cands
            if not cands:
                continue
            others = cands
            for m in rank(name, others, limit=3, cutoff=DUPLICATE_SCORE):
                pair = sorted([name, m.name])
                line = f"{label[:-1]} {pair[0]!r} ~ {pair[1]!r} (similarity {m.score:.0f})"
                if line not in self.imp.report.likely_duplicates:
                    self.imp.report.likely_duplicates.append(line)
