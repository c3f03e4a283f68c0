"""The workspace's fast read returns exactly what the ORM service returns."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.model import Confidence, Kind, Polarity, Span
from annotator.services.attributions import delete_attribution, list_attributions, new_attribution
from annotator.services.projects import get_or_create_annotator
from annotator.services.workspace_queries import document_attributions
from tests.ui.workspace_helpers import add_text, make_project

TEXT = "word " * 200
# A new text per example: hypothesis reuses the function-scoped db, and import dedupes texts.
_UNIQUE = itertools.count()

spans = st.tuples(st.integers(0, 900), st.integers(1, 90)).map(lambda t: Span(t[0], t[0] + t[1]))


@given(
    st.lists(
        st.tuples(
            st.lists(spans, min_size=1, max_size=3),
            st.none() | spans,
            st.sampled_from(list(Kind)),
            st.none() | st.sampled_from(list(Polarity)),
            st.none() | st.sampled_from(list(Confidence)),
            st.text(max_size=8),
            st.booleans(),
        ),
        max_size=12,
    )
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_document_attributions_equals_list_attributions(db, items) -> None:
    project_id, annotator_id = make_project(db)
    other = get_or_create_annotator(db, "someone else").id
    doc = add_text(db, project_id, TEXT + str(next(_UNIQUE)))
    for content, cue, kind, polarity, confidence, note, deleted in items:
        rec = new_attribution(
            db, doc, annotator_id, content, cue=cue, kind=kind, polarity=polarity,
            confidence=confidence, note=note,
        )  # fmt: skip
        new_attribution(db, doc, other, content)  # another annotator's: never listed
        if deleted:
            delete_attribution(db, rec.id)
    fast = document_attributions(db, doc, annotator_id)
    assert fast == list_attributions(db, doc, annotator_id)
    assert len(fast) == sum(not item[-1] for item in items)
    assert document_attributions(db, doc, None) == list_attributions(db, doc, None)
