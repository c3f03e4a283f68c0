"""What every suggestion engine takes and returns (the rule engine now, a learned one later).

An engine is any object with a `name`, a `version` and `suggest(request) -> list[Suggestion]`.
Offsets are code points into the document's stored (NFC) text, end exclusive, as everywhere.
The speaker of a suggestion is canonical: an actor of the project's registry (`speaker_id`) when
the mention resolves to one (alias, fuzzy spelling, or a pronoun / nominal that refers back to a
speaker who does), else the name a new actor would get (`speaker_name`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from annotator.model import ActorRecord, AttributionRecord, Kind, Span

# How the speaker was found: the mention names an actor of the registry (by name or alias, or a
# close spelling), or it is a pronoun or a nominal ("the minister") that refers back to an
# earlier speaker, or a name the registry does not know yet.
RESOLVED_BY = ("registry", "fuzzy", "pronoun", "nominal", "document", "new", "none")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed attribution. `key` identifies its content span(s) (what a rejection names)."""

    content: tuple[Span, ...]
    kind: Kind
    confidence: float  # 0..1; the engine's estimate that an analyst would keep it
    rule: str  # which rule made it (shown on hover), e.g. "direct.post_frame"
    engine: str
    cue: Span | None = None
    mention: Span | None = None
    speaker_id: str | None = None
    speaker_name: str = ""  # canonical name (the actor's, or the one a new actor would get)
    resolved_by: str = "none"
    antecedent: Span | None = None  # the earlier mention a pronoun or nominal refers to
    speaker_type: str = ""  # "person" / "organization" when the engine could tell

    @property
    def key(self) -> str:
        return span_key(self.content)

    @property
    def start(self) -> int:
        return min(s.start for s in self.content)

    @property
    def end(self) -> int:
        return max(s.end for s in self.content)

    def to_dict(self) -> dict[str, Any]:
        return {
            "content": [[s.start, s.end] for s in self.content],
            "kind": str(self.kind),
            "confidence": round(self.confidence, 4),
            "rule": self.rule,
            "engine": self.engine,
            "cue": [self.cue.start, self.cue.end] if self.cue else None,
            "mention": [self.mention.start, self.mention.end] if self.mention else None,
            "speaker_id": self.speaker_id,
            "speaker_name": self.speaker_name,
            "resolved_by": self.resolved_by,
            "antecedent": [self.antecedent.start, self.antecedent.end] if self.antecedent else None,
            "speaker_type": self.speaker_type,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Suggestion:
        def span(v: Any) -> Span | None:
            return Span(int(v[0]), int(v[1])) if v else None

        return cls(
            content=tuple(Span(int(s), int(e)) for s, e in d["content"]),
            kind=Kind(d["kind"]),
            confidence=float(d["confidence"]),
            rule=str(d["rule"]),
            engine=str(d["engine"]),
            cue=span(d.get("cue")),
            mention=span(d.get("mention")),
            speaker_id=d.get("speaker_id"),
            speaker_name=str(d.get("speaker_name") or ""),
            resolved_by=str(d.get("resolved_by") or "none"),
            antecedent=span(d.get("antecedent")),
            speaker_type=str(d.get("speaker_type") or ""),
        )


def span_key(content: Sequence[Span]) -> str:
    """`12-40;55-80`: the identity of a content (sorted segments), stable across runs."""
    return ";".join(f"{s.start}-{s.end}" for s in sorted(content))


@dataclass(frozen=True)
class SuggestRequest:
    """Everything an engine may use: the text, its language (ISO 639-1, "" when unknown), the
    project's actors (registry), and the attributions already made on this document (their
    spans are never proposed again; their speakers are antecedents for pronouns)."""

    text: str
    language: str = ""
    actors: Sequence[ActorRecord] = ()
    existing: Sequence[AttributionRecord] = ()
    settings: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class SuggestionEngine(Protocol):
    name: str
    version: str

    def suggest(self, request: SuggestRequest) -> list[Suggestion]:
        """Suggestions sorted by position, none overlapping an existing attribution."""
        ...


def settings_digest(settings: dict[str, Any]) -> str:
    """A short stable digest of engine settings (part of the cache key)."""
    items = ";".join(f"{k}={settings[k]!r}" for k in sorted(settings))
    return hashlib.sha256(items.encode()).hexdigest()[:12]
