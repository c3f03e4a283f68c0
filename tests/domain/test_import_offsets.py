"""Property tests: normalization and the offset maps used for annotated imports."""

from __future__ import annotations

import itertools
import json
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from annotator.importing.pipeline import import_paths
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.text import normalize_text, normalize_with_map, normalize_with_maps

# The characters that move offsets: CR/LF, combining marks (incl. reordering ones), precomposed
# letters, Hangul jamo, emoji and other astral characters, RTL letters and marks, NBSP, and a
# few singletons/expansions (Angstrom sign, Greek dialytika tonos, Hebrew presentation form).
ALPHABET = st.sampled_from(
    list('aeiouAOnc \n\r.,"')
    + ["\u0301", "\u0308", "\u0327", "\u0323", "\u031b", "\u0345", "\u05b4", "\u0651"]
    + ["\u00e9", "\u00c5", "\u0130", "\u0131", "\u01d7", "\u1e69"]
    + ["\u1100", "\u1161", "\u11a8", "\uac00", "\u0b47", "\u0b3e", "\u0f73"]
    + ["\U0001f600", "\U0001f44d\U0001f3fd", "\U0001d400", "\U00020000"]
    + ["\u05d0", "\u0627", "\u0644", "\u200f", "\u200e", "\u00a0", "\u202f"]
    + ["\u212b", "\u0344", "\ufb2c", "\u2126", "\u0958"]
)
RAW = st.builds(
    lambda bom, chars: ("\ufeff" if bom else "") + "".join(chars),
    st.booleans(),
    st.lists(ALPHABET, max_size=40),
)


@given(RAW)
def test_text_is_normalize_text(raw: str):
    text, floor, ceil = normalize_with_maps(raw)
    assert text == normalize_text(raw)
    assert unicodedata.is_normalized("NFC", text) and "\r" not in text
    assert not text.startswith("\ufeff")
    assert len(floor) == len(ceil) == len(raw) + 1
    assert floor[0] == 0 and floor[-1] == ceil[-1] == len(text)
    assert all(a <= b for a, b in zip(floor, floor[1:], strict=False))
    assert all(a <= b for a, b in zip(ceil, ceil[1:], strict=False))
    assert all(f <= c for f, c in zip(floor, ceil, strict=True))
    assert normalize_with_map(raw) == (text, floor)


@given(RAW, st.data())
def test_spans_cover_the_same_characters(raw: str, data: st.DataObject):
    """A span [start, end) maps to [floor[start], ceil[end]), which holds exactly the normalized
    text of the span widened to the nearest piece boundaries (floor == ceil): a span never
    gains or loses characters except the rest of a piece NFC merged (a base + its marks)."""
    text, floor, ceil = normalize_with_maps(raw)
    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, len(raw)))
    a = max(i for i in range(start + 1) if floor[i] == ceil[i])
    b = min(j for j in range(end, len(raw) + 1) if floor[j] == ceil[j])
    assert (floor[a], ceil[b]) == (floor[start], ceil[end])
    piece = raw[a:b]
    if a == 0 or "\ufeff" not in piece:  # a BOM is only stripped at the very start
        assert text[floor[start] : ceil[end]] == normalize_text(piece)


@given(st.lists(ALPHABET, min_size=1, max_size=30))
def test_identity_when_already_normal(chars: list[str]):
    raw = normalize_text("".join(chars))
    text, floor, ceil = normalize_with_maps(raw)
    assert text == raw and floor == ceil == list(range(len(raw) + 1))


WORDS = st.sampled_from(
    [
        "said",
        "Jose\u0301",
        "\U0001f600",
        "\u05e9\u05dc\u05d5\u05dd",
        "Ba\u0307ku",
        "\u00a0",
        "\u0130RNA",
        "\r\n",
        '"',
        "\u1100\u1161",
        "x",
    ]
)


_COUNTER = itertools.count()


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = Database.open(tmp_path_factory.mktemp("prop") / "p.sqlite3")
    yield database
    database.dispose()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WORDS, min_size=3, max_size=25), st.data())
def test_citron_import_keeps_spans(shared_db: Database, tmp_path_factory, words, data):
    """End to end: spans over random text survive import with the same (normalized) text."""
    body = " ".join(words) + " end"
    # draws depend only on `body` (hypothesis replays them); the prefix just keeps texts unique
    lo = data.draw(st.integers(0, len(body) - 1))
    hi = data.draw(st.integers(lo + 1, len(body)))
    prefix = f"doc{next(_COUNTER)} "
    raw = prefix + body
    start, end = lo + len(prefix), hi + len(prefix)
    folder = tmp_path_factory.mktemp("prop")
    doc = {
        "text": raw,
        "quotes": [{"cue": None, "sources": [], "contents": [{"start": start, "end": end}]}],
    }
    (folder / "d.json").write_text(json.dumps(doc), encoding="utf-8")
    report = import_paths(shared_db, [folder / "d.json"])
    assert report.ok, report.errors
    text, floor, ceil = normalize_with_maps(raw)
    with shared_db.session() as s:
        doc_id = s.scalar(select(schema.Document.id).where(schema.Document.text == text))
        (row,) = s.scalars(
            select(schema.Attribution).where(schema.Attribution.document_id == doc_id)
        )
    (span,) = row.content_spans
    assert span == [floor[start], ceil[end]]
    if floor[start] == ceil[start] and floor[end] == ceil[end]:
        assert text[span[0] : span[1]] == normalize_text(raw[start:end])
