"""The per-block span index agrees with a naive computation (astral chars, many blocks)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextDocument

from annotator.model import AttributionRecord, Span
from annotator.ui.highlighter import CONTENT, CUE, MENTION, SpanIndex
from annotator.ui.offsets import OffsetMap

pieces = st.sampled_from(["ab", "c ", "😀", "\U0001d400", "\n", "\u0627\u0644", "e\u0301", " "])
texts = st.lists(pieces, min_size=1, max_size=30).map("".join)


@st.composite
def text_and_records(draw: st.DrawFn) -> tuple[str, list[AttributionRecord]]:
    text = draw(texts)
    n = len(text)
    span = st.tuples(st.integers(0, n - 1), st.integers(1, n)).map(
        lambda t: Span(min(t[0], n - 1), max(t[0] + 1, min(n, t[0] + t[1])))
    )
    records = []
    for i in range(draw(st.integers(0, 6))):
        content = tuple(sorted(draw(st.lists(span, min_size=1, max_size=2))))
        records.append(
            AttributionRecord(
                id=f"a{i}",
                document_id="d",
                annotator_id=None,
                content=content,
                cue=draw(st.none() | span),
                mention=draw(st.none() | span),
            )
        )
    return text, records


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


@given(text_and_records())
@settings(max_examples=200, deadline=None)
def test_index_matches_naive_block_split(case) -> None:
    text, records = case
    index = SpanIndex(text, OffsetMap(text))
    index.add_all(records)
    got = {
        (b, p.start, p.end, p.role, p.attribution_id)
        for b, ps in index.by_block.items()
        for p in ps
    }
    assert got == expected_pieces(text, records)
    # removing everything leaves nothing behind
    for rec in records:
        index.remove(rec.id)
    assert index.by_block == {} and index.starts == {} and index.blocks_of == {}


@given(text_and_records())
@settings(max_examples=100, deadline=None)
def test_margin_start_is_the_first_content_character(case) -> None:
    text, records = case
    m = OffsetMap(text)
    index = SpanIndex(text, m)
    index.add_all(records)
    for rec in records:
        [(block, offset)] = [(b, o) for b, s in index.starts.items() for o, i in s if i == rec.id]
        assert index.block_starts[block] <= rec.start
        assert m.to_utf16(index.block_starts[block]) + offset == m.to_utf16(rec.start)
