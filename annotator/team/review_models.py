"""Records returned by the review services (pure Python, no Qt, no session)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from annotator.model import AnnotatorRecord, AttributionRecord, ReviewState, WorkStatus

# The fields a lead compares, in display order (names as in alignment.field_differences).
COMPARED_FIELDS = ("content", "cue", "mention", "speaker", "via", "kind", "target", "polarity")


class ReviewError(ValueError):
    """A review action that does not apply (e.g. rejecting a gold record, empty comment)."""


class StaleChangeError(RuntimeError):
    """Undo/redo refused: the records changed since the action (another edit or a merge)."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One document with submitted work, as the review queue lists it."""

    document_id: str
    title: str
    annotators: tuple[str, ...]  # names of analysts who submitted work on it
    counts: dict[str, int]  # analyst name -> attributions submitted (decided or not)
    pending: int  # analysts' attributions still awaiting a decision
    gold_count: int

    @property
    def has_gold(self) -> bool:
        return self.gold_count > 0


@dataclass(frozen=True, slots=True)
class ComparisonGroup:
    """One quote as several analysts marked it: their versions, where they differ, the gold."""

    index: int
    members: dict[str, AttributionRecord]  # annotator id -> that analyst's version
    overlap: float
    differences: frozenset[str]  # fields in which at least two versions differ
    missing: tuple[str, ...]  # annotator ids that did not mark this quote
    gold: AttributionRecord | None

    @property
    def agreed(self) -> bool:
        """Every analyst marked it and all versions are identical."""
        return bool(self.members) and not self.missing and not self.differences

    @property
    def decided(self) -> bool:
        return self.gold is not None or all(
            m.review_state in (ReviewState.ACCEPTED, ReviewState.REJECTED)
            for m in self.members.values()
        )

    @property
    def start(self) -> int:
        records = list(self.members.values()) or [self.gold]
        return min(r.start for r in records if r is not None)

    def differs(self, field_name: str) -> bool:
        """Whether a cell of `field_name` should be marked: versions differ, or one is missing."""
        if field_name in self.differences:
            return True
        return bool(self.missing) and field_name == "content"


@dataclass(frozen=True, slots=True)
class DocumentComparison:
    document_id: str
    title: str
    text: str
    annotators: tuple[AnnotatorRecord, ...]  # analysts with submitted work, by name
    groups: tuple[ComparisonGroup, ...]
    gold: tuple[AttributionRecord, ...]
    actor_names: dict[str, str] = field(default_factory=dict)
    target_names: dict[str, str] = field(default_factory=dict)
    annotator_names: dict[str, str] = field(default_factory=dict)

    def group_of(self, attribution_id: str) -> ComparisonGroup | None:
        for group in self.groups:
            if any(r.id == attribution_id for r in group.members.values()):
                return group
            if group.gold is not None and group.gold.id == attribution_id:
                return group
        return None


@dataclass(frozen=True, slots=True)
class WorkChange:
    document_id: str
    annotator_id: str
    before: WorkStatus
    after: WorkStatus


@dataclass(frozen=True, slots=True)
class ReviewChange:
    """What one review action changed, enough to revert or re-apply it exactly.

    `before[id]` is the record before the action, None when the action created it (revert
    tombstones it); `after[id]` is the record the action left.
    """

    action: str  # submitted, accepted, rejected, edited
    document_id: str
    before: dict[str, AttributionRecord | None]
    after: dict[str, AttributionRecord]
    gold_id: str | None = None
    work: WorkChange | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an analyst sees about one of their attributions after review."""

    attribution: AttributionRecord
    excerpt: str
    state: ReviewState
    reviewer: str  # reviewer's name, "" when not reviewed
    comment: str
    decided_at: datetime | None
    in_gold: bool


@dataclass(frozen=True, slots=True)
class ReviewedDocument:
    """A document on which an analyst has submitted work, with counts by review state."""

    document_id: str
    title: str
    counts: dict[str, int]
    done: bool = False  # marked done: its drafts are handed in too (awaiting review)
