"""The attributions of the document open in the workspace: summaries at once, records on demand.

Opening a document reads only summaries (spans, speaker, target, polarity, kind: what the
highlights, the margin and the table show). The full record (proposition, note, review state,
timestamps) is read when something asks for it, usually the inspector showing the selected
attribution, and kept. Edits put the stored record in directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from annotator.model import AttributionRecord, Kind, Polarity, Span
from annotator.services.workspace_queries import QuoteSummary


class RecordStore(Mapping[str, AttributionRecord]):
    """id -> AttributionRecord over the open document's summaries (in reading order)."""

    def __init__(
        self,
        summaries: list[QuoteSummary],
        fetch: Callable[[str], AttributionRecord | None],
        fetch_all: Callable[[], list[AttributionRecord]],
        document_id: str = "",
        annotator_id: str | None = None,
    ) -> None:
        self._summaries = {q.id: q for q in summaries}
        self._records: dict[str, AttributionRecord] = {}
        self._fetch = fetch
        self._fetch_all = fetch_all
        self._document_id = document_id
        self._annotator_id = annotator_id

    # --- Mapping --------------------------------------------------------------------------------
    def __getitem__(self, attribution_id: str) -> AttributionRecord:
        rec = self._records.get(attribution_id)
        if rec is not None:
            return rec
        summary = self._summaries[attribution_id]  # KeyError: not an attribution of the document
        rec = self._fetch(attribution_id)
        if rec is None:  # deleted meanwhile by another window or process: what was loaded
            rec = self._from_summary(summary)
        self._records[attribution_id] = rec
        return rec

    def __contains__(self, attribution_id: object) -> bool:
        return attribution_id in self._summaries

    def __iter__(self) -> Iterator[str]:
        return iter(self._summaries)

    def __len__(self) -> int:
        return len(self._summaries)

    def load_all(self) -> None:
        """Read every record not read yet in one query (before walking all of them)."""
        if len(self._records) < len(self._summaries):
            for rec in self._fetch_all():
                if rec.id in self._summaries:
                    self._records.setdefault(rec.id, rec)

    def values(self):  # type: ignore[override]  # noqa: ANN201 - a ValuesView, as Mapping's
        self.load_all()
        return super().values()

    def items(self):  # type: ignore[override]  # noqa: ANN201
        self.load_all()
        return super().items()

    # --- summaries and edits ------------------------------------------------------------------
    def summary(self, attribution_id: str) -> QuoteSummary | None:
        return self._summaries.get(attribution_id)

    def summaries(self) -> list[QuoteSummary]:
        """In the order they were given and added (not necessarily reading order)."""
        return list(self._summaries.values())

    def put(self, record: AttributionRecord) -> QuoteSummary:
        """The stored version of `record` (after an edit); returns its summary."""
        summary = QuoteSummary.of(record)
        self._summaries[record.id] = summary
        self._records[record.id] = record
        return summary

    def pop(self, attribution_id: str) -> None:
        self._summaries.pop(attribution_id, None)
        self._records.pop(attribution_id, None)

    def _from_summary(self, q: QuoteSummary) -> AttributionRecord:
        return AttributionRecord(
            id=q.id,
            document_id=self._document_id,
            annotator_id=self._annotator_id,
            content=tuple(Span(s, e) for s, e in q.content),
            cue=q.cue,
            mention=q.mention,
            speaker_id=q.speaker_id,
            via_id=q.via_id,
            kind=Kind(q.kind),
            target_id=q.target_id,
            polarity=Polarity(q.polarity) if q.polarity else None,
        )
