"""Canonical speakers: a mention goes to a registry actor, or to an earlier speaker.

Going through the document in order, each speaker mention becomes (or joins) an entity:

* a name joins an entity of the same name, or one whose name it shortens or lengthens
  ("Donald Trump" ... "Trump" ... "Mr. Trump"); the entity is tied to the registry actor its
  name or an alias matches (exactly, by a unique surname, or by a close spelling);
* a pronoun refers to the nearest earlier speaker it fits (he: a person not known to be a woman;
  she: not known to be a man; it: an organisation; they: an organisation or a group); the first
  "she" resolved to a speaker makes that speaker a woman for later pronouns;
* a definite nominal ("the senator", "the campaign") refers to the nearest earlier speaker with
  that role (from a title or an apposition) or with that word in its name; any other nominal is a
  speaker of its own.

Attributions already in the document take part as earlier speakers (their actors are known).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.model import ActorType, AttributionRecord, Span
from annotator.suggest.draft import Draft
from annotator.suggest.lexicon import FEMALE, FIRST, MALE, NEUTER, PLURAL
from annotator.suggest.mentions import ORGANIZATION, PERSON, Mention
from annotator.suggest.registry_index import RegistryIndex, name_key

_DEFINITE = ("the", "this", "that")


@dataclass
class Entity:
    name: str
    actor_id: str | None = None
    gender: str | None = None
    etype: str | None = None
    roles: set[str] = field(default_factory=set)
    last: int = -1  # offset of its latest mention
    mention: Span | None = None  # its latest named mention (antecedent of pronouns)
    speaker: bool = False
    _words: list[str] = field(default_factory=list, repr=False)
    _words_of: str | None = field(default=None, repr=False)

    def words(self) -> list[str]:
        if self._words_of != self.name:  # the name may grow ("Trump" -> "Donald Trump")
            self._words, self._words_of = name_key(self.name).split(), self.name
        return self._words


@dataclass(frozen=True)
class Resolved:
    speaker_id: str | None
    speaker_name: str
    resolved_by: str
    antecedent: Span | None = None
    etype: str = ""


NOBODY = Resolved(None, "", "none")


class SpeakerResolver:
    def __init__(self, registry: RegistryIndex, text: str) -> None:
        self.registry = registry
        self.text = text
        self.entities: list[Entity] = []

    def resolve_all(
        self, drafts: Sequence[Draft], existing: Sequence[AttributionRecord]
    ) -> list[Resolved]:
        """One result per draft, in the drafts' order."""
        events: list[tuple[int, int, object]] = []
        for n, d in enumerate(drafts):
            pos = d.mention.start if d.mention is not None else d.start
            events.append((pos, 1, n))
        for rec in existing:
            if rec.speaker_id is not None:
                pos = rec.mention.start if rec.mention is not None else rec.start
                events.append((pos, 0, rec))
        events.sort(key=lambda e: (e[0], e[1]))
        results: list[Resolved] = [NOBODY] * len(drafts)
        for pos, tag, item in events:
            if tag == 0:
                assert isinstance(item, AttributionRecord)
                self._known(item, pos)
                continue
            assert isinstance(item, int)
            d = drafts[item]
            if d.mention is None and d.follows is not None:
                results[item] = _inherit(d.follows, drafts, results)
            elif d.mention is not None:
                results[item] = self.mention(d.mention)
        return results

    def _known(self, rec: AttributionRecord, pos: int) -> None:
        assert rec.speaker_id is not None
        name = self.registry.name(rec.speaker_id) or rec.speaker_id
        ent = next((e for e in self.entities if e.actor_id == rec.speaker_id), None)
        if ent is None:
            actor = self.registry.actors.get(rec.speaker_id)
            etype = None
            if actor is not None:
                etype = PERSON if actor.type == ActorType.PERSON else ORGANIZATION
            ent = Entity(name, rec.speaker_id, etype=etype)
            self.entities.append(ent)
        ent.last, ent.speaker = pos, True
        ent.mention = rec.mention

    def mention(self, m: Mention) -> Resolved:
        if m.form == "pronoun":
            return self._pronoun(m)
        if m.form == "nominal":
            return self._nominal(m)
        return self._name(m)

    def _result(self, ent: Entity, how: str, antecedent: Span | None = None) -> Resolved:
        name = self.registry.name(ent.actor_id) if ent.actor_id else ent.name
        return Resolved(ent.actor_id, name or ent.name, how, antecedent, ent.etype or "")

    def _name(self, m: Mention) -> Resolved:
        key = name_key(m.name)
        words = key.split()
        span = Span(m.name_start, m.name_end) if m.name_start >= 0 else Span(m.start, m.end)
        ent = self._same_name(words)
        if ent is None:
            actor_id, how = self.registry.find(m.name)
            ent = next((e for e in self.entities if actor_id and e.actor_id == actor_id), None)
            if ent is None:
                ent = Entity(m.name, actor_id, m.gender, m.etype)
                self.entities.append(ent)
            if actor_id is None:
                how = "new"
        else:
            how = "registry" if ent.actor_id else "document"
            if len(words) > len(ent.words()):
                ent.name = m.name  # the fullest form names a new actor best
                if ent.actor_id is None:
                    actor_id, found = self.registry.find(m.name)
                    if actor_id is not None:
                        ent.actor_id, how = actor_id, found
        ent.gender = ent.gender or m.gender
        ent.etype = ent.etype or m.etype
        if m.role:
            ent.roles.add(m.role)
        ent.last, ent.speaker, ent.mention = m.start, True, span
        return self._result(ent, how)

    def _same_name(self, words: list[str]) -> Entity | None:
        if not words:
            return None
        for ent in sorted(self.entities, key=lambda e: -e.last):
            ew = ent.words()
            if not ew:
                continue
            if ew == words:
                return ent
            short, long_ = (words, ew) if len(words) < len(ew) else (ew, words)
            # "Trump" and "Donald Trump": the shorter is the end (or the start) of the longer
            if len(short) < len(long_) and (
                long_[-len(short) :] == short or (len(short) == 1 and short[0] == long_[0])
            ):
                return ent
        return None

    def _fits(self, ent: Entity, fit: str) -> bool:
        if fit == MALE:
            return ent.etype != ORGANIZATION and ent.gender != FEMALE
        if fit == FEMALE:
            return ent.etype != ORGANIZATION and ent.gender != MALE
        if fit == NEUTER:
            return ent.etype == ORGANIZATION
        if fit == PLURAL:
            return ent.etype == ORGANIZATION or ent.etype is None and not ent.gender
        return False

    def _pronoun(self, m: Mention) -> Resolved:
        fit = m.fit or ""
        if fit == FIRST or not fit:
            return Resolved(None, "", "none")
        for ent in sorted(self.entities, key=lambda e: -e.last):
            if ent.last >= m.start or not ent.speaker:
                continue
            if self._fits(ent, fit):
                if fit in (MALE, FEMALE) and ent.gender is None and ent.etype != ORGANIZATION:
                    ent.gender = fit
                    ent.etype = PERSON
                ent.last = m.start
                return self._result(ent, "pronoun", ent.mention)
        return Resolved(None, "", "none")

    def _nominal(self, m: Mention) -> Resolved:
        first = self.text[m.start : m.end].split()[0].lower() if m.end > m.start else ""
        role = m.role
        if first in _DEFINITE and role:
            for ent in sorted(self.entities, key=lambda e: -e.last):
                if ent.last >= m.start:
                    continue
                if role in ent.roles or role in ent.words():
                    ent.last = m.start
                    return self._result(ent, "nominal", ent.mention)
        actor_id, how = self.registry.find(m.name)
        ent = Entity(m.name, actor_id, etype=PERSON if role else None)
        if role:
            ent.roles.add(role)
        ent.last, ent.speaker, ent.mention = m.start, True, Span(m.start, m.end)
        self.entities.append(ent)
        return self._result(ent, how if actor_id else "new")


def _inherit(source: Draft, drafts: Sequence[Draft], results: list[Resolved]) -> Resolved:
    for n, d in enumerate(drafts):
        if d is source:
            r = results[n]
            return Resolved(r.speaker_id, r.speaker_name, r.resolved_by, r.antecedent, r.etype)
    return NOBODY


PRONOUN_FITS = (MALE, FEMALE, PLURAL, NEUTER)
