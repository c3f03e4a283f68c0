"""The project's actors, indexed once for many lookups (exact, surname, fuzzy).

Built from `ActorRecord`s (name and aliases); the batch command keeps one index for a whole
project so 10,000 documents do not fold 10,000 registries.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from annotator.matching import fold
from annotator.model import ActorRecord

FUZZY_CUTOFF = 90.0


def name_key(name: str) -> str:
    """Folded, possessive and punctuation stripped: "Clinton’s" -> "clinton"."""
    key = fold(name)
    for suffix in ("’s", "'s"):
        key = key.replace(suffix + " ", " ").removesuffix(suffix)
    return " ".join("".join(c for c in w if c.isalnum() or c in "-") for w in key.split()).strip()


class RegistryIndex:
    def __init__(self, actors: Sequence[ActorRecord]) -> None:
        self.actors = {a.id: a for a in actors}
        self.exact: dict[str, str] = {}
        self.surnames: dict[str, set[str]] = {}
        self.labels: list[str] = []
        self.label_ids: list[str] = []
        for a in actors:
            self.add(a)

    def add(self, actor: ActorRecord) -> None:
        """Make an actor created meanwhile (a batch accepting suggestions) findable."""
        self.actors[actor.id] = actor
        for label in (actor.name, *actor.aliases):
            key = name_key(label)
            if key:
                self.exact.setdefault(key, actor.id)
                self.labels.append(utils.default_process(key))
                self.label_ids.append(actor.id)
                words = key.split()
                if len(words) > 1:
                    self.surnames.setdefault(words[-1], set()).add(actor.id)

    def name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.name if actor is not None else ""

    def find(self, name: str) -> tuple[str | None, str]:
        """(actor id, how): exact name or alias, then a unique surname, then a close spelling."""
        key = name_key(name)
        if not key:
            return None, "none"
        if key in self.exact:
            return self.exact[key], "registry"
        words = key.split()
        if len(words) == 1 and len(self.surnames.get(words[0], ())) == 1:
            return next(iter(self.surnames[words[0]])), "registry"
        if len(words) > 1:
            # "Sen. Bernie Sanders" when the registry says "Bernie Sanders"
            for n in range(len(words) - 1, 0, -1):
                tail = " ".join(words[-n:])
                if tail in self.exact and n >= 2:
                    return self.exact[tail], "registry"
        if not self.labels:
            return None, "none"
        best = process.extractOne(
            utils.default_process(key), self.labels, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        if best is not None:
            return self.label_ids[best[2]], "fuzzy"
        return None, "none"
