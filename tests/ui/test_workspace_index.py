"""The per-block span index agrees with a naive computation (astral chars, many blocks)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument

from annotator.model import AttributionRecord, Span
from annotator.ui.highlighter import CONTENT, CUE, MENTION, SpanIndex
from annotator.ui.offsets import OffsetMap
from annotator.ui.span_index import LONG_EXTENT

pieces = st.sampled_from(["ab", "c ", "😀", "\U0001d400", "\n", "\u0627\u0644", "e\u0301", " "])
texts = st.lists(pieces, min_size=1, max_size=30).map("".join)


def draw_records(draw: st.DrawFn, text: str, ids: list[str]) -> list[AttributionRecord]:
    n = len(text)
    span = st.tuples(st.integers(0, n - 1), st.integers(1, n)).map(
        lambda t: Span(min(t[0], n - 1), max(t[0] + 1, min(n, t[0] + t[1])))
    )
    records = []
    for att_id in ids:
        content = tuple(sorted(draw(st.lists(span, min_size=1, max_size=2))))
        records.append(
            AttributionRecord(
                id=att_id,
                document_id="d",
                annotator_id=None,
                content=content,
                cue=draw(st.none() | span),
                mention=draw(st.none() | span),
            )
        )
    return records


@st.composite
def text_and_records(draw: st.DrawFn) -> tuple[str, list[AttributionRecord]]:
    text = draw(texts)
    return text, draw_records(draw, text, [f"a{i}" for i in range(draw(st.integers(0, 6)))])


def expected_pieces(
    text: str, records: list[AttributionRecord]
) -> set[tuple[int, int, int, int, str]]:
    """(block, start16, end16, role, id) computed the slow, obvious way via QTextDocument."""
    doc = QTextDocument()
    doc.setPlainText(text)
    m = OffsetMap(text)
    out = set()
    for rec in records:
        roles = [(CONTENT, s) for s in rec.content]
        roles += [(CUE, rec.cue)] if rec.cue else []
        roles += [(MENTION, rec.mention)] if rec.mention else []
        for role, span in roles:
            block = doc.begin()
            while block.isValid():
                b0, b1 = block.position(), block.position() + block.length() - 1
                s, e = max(m.to_utf16(span.start), b0), min(m.to_utf16(span.end), b1)
                if s < e:
                    out.add((block.blockNumber(), s - b0, e - b0, role, rec.id))
                block = block.next()
    return out


def all_pieces(index: SpanIndex) -> set[tuple[int, int, int, int, str]]:
    return {
        (b, p.start, p.end, p.role, p.attribution_id)
        for b in range(len(index.block_starts))
        for p in index.pieces(b)
    }


@given(text_and_records())
@settings(max_examples=200, deadline=None)
def test_index_matches_naive_block_split(case) -> None:
    text, records = case
    index = SpanIndex(text, OffsetMap(text))
    index.add_all(records)
    assert all_pieces(index) == expected_pieces(text, records)
    # removing everything leaves nothing behind
    for rec in records:
        index.remove(rec.id)
    assert all_pieces(index) == set() and index.quotes == {}
    assert all(index.starts_in(b) == [] for b in range(len(index.block_starts)))


@given(text_and_records())
@settings(max_examples=100, deadline=None)
def test_margin_start_is_the_first_content_character(case) -> None:
    text, records = case
    m = OffsetMap(text)
    index = SpanIndex(text, m)
    index.add_all(records)
    for rec in records:
        [(block, offset)] = [
            (b, o)
            for b in range(len(index.block_starts))
            for o, i in index.starts_in(b)
            if i == rec.id
        ]
        assert index.block_starts[block] <= rec.start
        assert m.to_utf16(index.block_starts[block]) + offset == m.to_utf16(rec.start)


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, list[tuple[str, AttributionRecord | None]], int]:
    """A text, then a sequence of (id, new version, or None for a removal) over a few ids, and
    the length above which an extent counts as long (small, so both of the index's paths run)."""
    text = draw(texts)
    ids = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=10))
    ops: list[tuple[str, AttributionRecord | None]] = []
    for rec in draw_records(draw, text, ids):
        ops.append((rec.id, rec if draw(st.integers(0, 3)) else None))
    return text, ops, draw(st.sampled_from([0, 3, 6, LONG_EXTENT]))


@given(edits(), st.data())
@settings(max_examples=150, deadline=None)
def test_index_stays_exact_through_edits(case, data) -> None:
    """Adding, replacing and removing attributions one at a time, with blocks asked (and
    cached) in between, gives what indexing the survivors from scratch gives."""
    text, ops, long_extent = case
    index = SpanIndex(text, OffsetMap(text), long_extent=long_extent)
    live: dict[str, AttributionRecord] = {}
    blocks = range(len(index.block_starts))
    for att_id, rec in ops:
        if rec is None:
            touched = index.remove(att_id)
            old = live.pop(att_id, None)
            assert (touched == []) == (old is None)
        else:
            index.add(rec)
            live[att_id] = rec
        for b in data.draw(st.lists(st.sampled_from(blocks), max_size=3)):
            index.pieces(b)  # fills the cache, which the next edit must keep right
        assert all_pieces(index) == expected_pieces(text, list(live.values()))
    fresh = SpanIndex(text, OffsetMap(text), long_extent=long_extent)
    fresh.add_all(live.values())
    assert [index.starts_in(b) for b in blocks] == [fresh.starts_in(b) for b in blocks]
