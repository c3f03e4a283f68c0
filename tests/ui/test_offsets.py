"""Code points <-> UTF-16: property tests over astral chars, combining marks, RTL and NBSP."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument

from annotator.ui.offsets import OffsetMap

# The troublesome characters of news text, mixed with plain letters and spaces.
SPECIALS = [
    "😀",  # emoji (astral)
    "\U0001d400",  # MATHEMATICAL BOLD CAPITAL A (astral)
    "\U0001f1e6\U0001f1ff",  # flag: two astral regional indicators
    "e\u0301",  # combining acute (not composed: NFC would, the map must not care)
    "\u0627\u0644\u0633\u0644\u0627\u0645",  # Arabic (RTL)
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew (RTL)
    "\u00a0",  # NBSP
    "İ",  # dotted capital I
    "\n",
]
pieces = st.one_of(st.sampled_from(SPECIALS), st.text(alphabet="ab c.", min_size=1, max_size=4))
texts = st.lists(pieces, max_size=40).map("".join)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@given(texts, st.data())
@settings(max_examples=300)
def test_to_utf16_counts_code_units_and_round_trips(text: str, data: st.DataObject) -> None:
    m = OffsetMap(text)
    assert m.utf16_length == utf16_len(text)
    cp = data.draw(st.integers(0, len(text)))
    assert m.to_utf16(cp) == utf16_len(text[:cp])
    assert m.to_cp(m.to_utf16(cp)) == cp


@given(texts, st.data())
@settings(max_examples=300)
def test_to_cp_never_splits_a_surrogate_pair(text: str, data: st.DataObject) -> None:
    m = OffsetMap(text)
    u = data.draw(st.integers(0, m.utf16_length))
    cp = m.to_cp(u)
    assert 0 <= cp <= len(text)
    # snaps back to the start of the character the unit belongs to
    assert m.to_utf16(cp) <= u < m.to_utf16(cp) + 2 or u == m.utf16_length
    assert m.to_utf16(cp) == u or (cp < len(text) and ord(text[cp]) > 0xFFFF)


@given(texts, st.data())
@settings(max_examples=150, deadline=None)
def test_qt_selection_of_mapped_span_is_the_same_text(text: str, data: st.DataObject) -> None:
    """Selecting the mapped range in a real QTextDocument yields exactly text[start:end]."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    m = OffsetMap(text)
    doc = QTextDocument()
    doc.setPlainText(text)
    cursor = QTextCursor(doc)
    cursor.setPosition(m.to_utf16(start))
    cursor.setPosition(m.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
    # Qt reports paragraph breaks as U+2029
    assert cursor.selectedText() == text[start:end].replace("\n", "\u2029")
    # and back: Qt's positions map to the same code points
    assert m.span_to_cp(cursor.selectionStart(), cursor.selectionEnd()) == (start, end)


def test_bmp_only_text_is_identity() -> None:
    m = OffsetMap("Ali Akbar Ahmadiyyan said\u00a0so. مرحبا")
    assert m.identity
    assert m.to_utf16(10) == 10 and m.to_cp(10) == 10


def test_end_inside_surrogate_pair_extends_to_whole_character() -> None:
    text = "a😀b"
    m = OffsetMap(text)
    assert m.to_utf16(2) == 3
    assert m.to_cp(2) == 1  # inside the emoji: start of it
    assert m.span_to_cp(0, 2) == (0, 2)  # end inside: the emoji is included
    assert text[slice(*m.span_to_cp(0, 2))] == "a😀"


def test_large_text_with_astral_characters_converts_many_offsets() -> None:
    text = ("word 😀 " * 20_000) + "end"
    m = OffsetMap(text)
    last = len(text) - 3
    assert m.to_utf16(last) == utf16_len(text[:last])
    assert m.to_cp(m.to_utf16(last)) == last
