"""Pure-Python domain records shared by storage, services, CLI and UI.

Services return these frozen records (never ORM objects), so widgets and worker threads can hold
them without a database session. Offsets are Unicode code points into the document's stored
(NFC) text, end exclusive.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum


def new_id() -> str:
    """A fresh UUID4 as text: every record gets one so offline work merges without collisions."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Timezone-aware UTC now; stored naive-UTC by the storage layer."""
    return datetime.now(UTC).replace(tzinfo=None)


class Kind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


class Polarity(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    NEUTRAL = "neutral"
    UNCLEAR = "unclear"


# Stance labels in the FAVOR / AGAINST / NONE convention of stance-detection datasets.
POLARITY_TO_STANCE_LABEL: dict[str, str] = {
    "support": "FAVOR",
    "oppose": "AGAINST",
    "neutral": "NONE",
    "unclear": "NONE",
}


class Origin(StrEnum):
    MANUAL = "manual"
    SUGGESTED = "suggested"
    IMPORTED = "imported"
    ADJUDICATED = "adjudicated"


class ReviewState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ActorType(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    MEDIA = "media"
    GROUP = "group"


class WorkStatus(StrEnum):
    """An annotator's progress on one document."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class SpanRole(StrEnum):
    CONTENT = "content"
    CUE = "cue"
    MENTION = "mention"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def text(self, document_text: str) -> str:
        return document_text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class AttributionRecord:
    """One quote: content segment(s), optional cue and speaker mention, speaker, stance."""

    id: str
    document_id: str
    annotator_id: str | None
    content: tuple[Span, ...]
    cue: Span | None = None
    mention: Span | None = None
    speaker_id: str | None = None
    via_id: str | None = None
    kind: Kind = Kind.INDIRECT
    target_id: str | None = None
    polarity: Polarity | None = None
    proposition: str = ""
    note: str = ""
    confidence: Confidence | None = None
    origin: Origin = Origin.MANUAL
    review_state: ReviewState = ReviewState.DRAFT
    reviewer_id: str | None = None
    review_comment: str = ""
    source_ids: tuple[str, ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # the source corpus's own id of this record (a BRAT event `E12`, a Citron quote id), so
    # exported records can be matched back to the corpus they came from
    external_id: str = ""

    @property
    def spans(self) -> tuple[tuple[SpanRole, Span], ...]:
        out: list[tuple[SpanRole, Span]] = [(SpanRole.CONTENT, s) for s in self.content]
        if self.cue is not None:
            out.append((SpanRole.CUE, self.cue))
        if self.mention is not None:
            out.append((SpanRole.MENTION, self.mention))
        return tuple(out)

    @property
    def start(self) -> int:
        return min(s.start for s in self.content)

    @property
    def end(self) -> int:
        return max(s.end for s in self.content)

    def content_text(self, document_text: str, joiner: str = " … ") -> str:
        return joiner.join(s.text(document_text) for s in sorted(self.content))


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A document's metadata without its text (cheap to list by the thousand)."""

    id: str
    project_id: str
    title: str
    source: str = ""
    url: str = ""
    published: str = ""
    place: str = ""
    author: str = ""
    language: str = ""
    text_sha256: str = ""
    length: int = 0
    metadata: dict[str, object] = field(default_factory=dict)
    created_at: datetime | None = None
    external_id: str = ""  # the source's own id of the document (a BRAT file stem, a Citron id)
    source_file: str = ""  # the name of the file it was imported from (no folders)


@dataclass(frozen=True, slots=True)
class ActorRecord:
    id: str
    project_id: str
    name: str
    type: ActorType = ActorType.PERSON
    role: str = ""
    affiliation: str = ""
    wikidata_id: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TargetRecord:
    id: str
    project_id: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class AnnotatorRecord:
    id: str
    name: str
