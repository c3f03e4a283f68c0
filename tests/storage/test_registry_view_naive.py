"""Usage counts and excerpts of the registries panel agree with a naive computation: several
documents, each read once for all its excerpts; speaker and via the same actor count once."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.model import Span
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services import registry_view as rv
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage.engine import Database

_UNIQUE = itertools.count()
BODY = "😀 The minister said “the pipeline will open” and\nofficials agreed. " * 6

usage = st.tuples(
    st.integers(0, 2),  # document
    st.integers(0, len(BODY) - 2),  # start
    st.integers(1, 250),  # length (some longer than an excerpt)
    st.sampled_from([None, 0, 1, 2]),  # speaker
    st.sampled_from([None, 0, 1]),  # via
    st.sampled_from([None, 0, 1]),  # target
    st.booleans(),  # deleted afterwards
)


@given(st.lists(usage, max_size=12))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_counts_and_usages_match_naive(db: Database, items) -> None:
    run = next(_UNIQUE)
    project = get_or_create_project(db, f"P{run}")
    ann = get_or_create_annotator(db, "ana")
    docs = []
    with db.session() as s:
        for d in range(3):
            text = f"{run}-{d} " + BODY
            row, _ = add_document(s, project.id, DocumentDraft(text=text, title=f"D{d}"))
            docs.append((row.id, text))
    actors = [reg.create_actor(db, project.id, f"Actor {i}").id for i in range(3)]
    targets = [reg.create_target(db, project.id, f"Topic {i}").id for i in range(2)]
    live = []
    for d, start, length, spk, via, tgt, deleted in items:
        doc_id, text = docs[d]
        span = Span(start, min(len(text), start + length))
        rec = attr.new_attribution(
            db, doc_id, ann.id, [span],
            speaker_id=None if spk is None else actors[spk],
            via_id=None if via is None else actors[via],
            target_id=None if tgt is None else targets[tgt],
        )  # fmt: skip
        if deleted:
            attr.delete_attribution(db, rec.id)
        else:
            live.append((d, rec))

    def naive(entry: str, fields: tuple[str, ...]) -> list[tuple[int, int, str, str, str]]:
        """(document, start, id, excerpt, role) of the live attributions naming `entry`."""
        out = []
        for d, r in live:
            if not any(getattr(r, f) == entry for f in fields):
                continue
            span, text = r.content[0], docs[d][1]
            cut = text[span.start : span.start + min(len(span), rv.EXCERPT_CHARS)]
            excerpt = " ".join(cut.split()) + ("…" if len(span) > rv.EXCERPT_CHARS else "")
            role = "speaker" if r.speaker_id == entry else fields[-1].removesuffix("_id")
            out.append((d, span.start, r.id, excerpt, role))
        return sorted(out)

    position = {doc_id: (d, text) for d, (doc_id, text) in enumerate(docs)}
    for entries, fields, count in (
        (actors, ("speaker_id", "via_id"), rv.actor_usage_counts),
        (targets, ("target_id",), rv.target_usage_counts),
    ):
        expected_counts = {e: len(naive(e, fields)) for e in entries}
        assert count(db, project.id) == {e: n for e, n in expected_counts.items() if n}
        for e in entries:
            got = rv.usages(db, e, actor=fields[0] != "target_id")
            expected = naive(e, fields)
            assert sorted((u.attribution_id, u.excerpt, u.role) for u in got) == sorted(
                x[2:] for x in expected
            )
            # reading order: by document, then by start
            order = [
                (
                    position[u.document_id][0],
                    next(x[1] for x in expected if x[2] == u.attribution_id),
                )
                for u in got
            ]
            assert order == sorted(order)
