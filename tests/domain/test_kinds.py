"""The one kind guesser (annotator.kinds): apostrophes are not quotation marks, other scripts'
marks are, scare-quoted names do not make a quote mixed, and the importers guess exactly what
the workspace guesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from annotator import guess
from annotator.importing.pipeline import import_paths
from annotator.kinds import guess_kind, guess_kind_of_spans
from annotator.model import Kind, Span
from annotator.storage import schema
from annotator.storage.engine import Database


@pytest.mark.parametrize(
    "content",
    [
        "Donald Trump's presidential campaign",
        "Trump’s campaign won’t stop",
        "l’État ne cédera pas sur l'essentiel",  # French elisions
        "dell'Italia e l’Europa",  # Italian
        "the voters’ choice",  # plural possessive: a closing-looking mark, never opened
        "what the ’90s and the '80s were like",  # elided years
        "rock ’n’ roll fans",
    ],
)
def test_apostrophes_and_elisions_are_not_quotation_marks(content: str) -> None:
    assert guess_kind(content) == Kind.INDIRECT


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        ("‘We will not give up,’", Kind.DIRECT),  # single quotation marks do count
        ("he called it ‘a disgrace to the party’ and left", Kind.MIXED),
        ("«Nous ne céderons pas»", Kind.DIRECT),
        ("»Wir schaffen das«", Kind.DIRECT),
        ("„Das ist gut“.", Kind.DIRECT),
        ("‚Das ist gut‘", Kind.DIRECT),
        ("「我们不会放弃」", Kind.DIRECT),
        ("『これは本当だ』", Kind.DIRECT),
        ("＂全角の引用符＂", Kind.DIRECT),
        ("‹Non›", Kind.DIRECT),
        ("''No matter how they explained it, the state is falling apart,''", Kind.DIRECT),
        ("the plan would ``fail´´ badly", Kind.INDIRECT),  # not quotation marks at all
    ],
)
def test_quotation_marks_of_other_scripts(content: str, kind: Kind) -> None:
    assert guess_kind(content) == kind


def test_scare_quotes_around_a_name_leave_reported_speech_indirect() -> None:
    """Issue 9: the Turan record with "Nagorno-Karabakh" is reported speech, not mixed."""
    content = (
        'Iran\'s policy regarding the fact that "Nagorno-Karabakh" is a part of the territory'
        " of Azerbaijan"
    )
    assert guess_kind(content) == Kind.INDIRECT
    assert guess_kind("the so-called “Islamic State” took the town") == Kind.INDIRECT
    assert guess_kind("he praised the «Party of the Regions» again") == Kind.INDIRECT
    # quoted words of the speaker, even one lower-case word, still make it mixed
    assert guess_kind("he called the plan “disgusting” on Monday") == Kind.MIXED


def test_a_selection_inside_the_marks_is_direct() -> None:
    assert guess_kind("we will not give up", before="“", after="”") == Kind.DIRECT
    assert guess_kind("we will not give up", before=" ", after=" ") == Kind.INDIRECT


def test_split_content_is_direct_only_when_every_segment_is() -> None:
    text = "“Prices will fall,” García said, “but not this year.” He also said costs rise."
    first = Span(0, text.index(" García"))
    second = Span(text.index("“but"), text.index(" He"))
    rest = Span(text.index("costs"), len(text) - 1)
    assert guess_kind_of_spans(text, [first, second]) == Kind.DIRECT
    assert guess_kind_of_spans(text, [first, rest]) == Kind.MIXED
    assert guess_kind_of_spans(text, [rest]) == Kind.INDIRECT


def test_the_workspace_and_the_importers_share_one_guesser() -> None:
    assert guess.guess_kind is guess_kind


_PIECES = st.sampled_from(
    ["he", "said", "Trump's", "l’État", "won’t", "voters’", "'90s", "“", "”", '"', "'", "‘",
     "’", "«", "»", "„", ",", ".", "Nagorno-Karabakh", "we", "will", "win", "\n", "(", ")"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_PIECES, min_size=1, max_size=14), data=st.data())
def test_import_guess_equals_workspace_guess_on_any_text(words: list[str], data) -> None:
    text = " ".join(words)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    expected = guess_kind(text[start:end], text[max(start - 1, 0) : start], text[end : end + 1])
    assert guess_kind_of_spans(text, [Span(start, end)]) == expected


@given(
    st.lists(
        st.sampled_from(
            ["Trump's", "won’t", "l’État", "dell'Italia", "it's", "aujourd’hui", "the"]
        ),
        min_size=1,
        max_size=10,
    )
)
def test_words_with_inner_apostrophes_are_never_quoted(words: list[str]) -> None:
    assert guess_kind(" ".join(words)) == Kind.INDIRECT


def _kinds(db: Database) -> dict[str, str]:
    with db.reader() as s:
        doc = s.scalars(select(schema.Document)).first()
        assert doc is not None
        atts = s.scalars(select(schema.Attribution)).all()
        return {doc.text[a.content_spans[0][0] : a.content_spans[0][1]]: a.kind for a in atts}


TEXT = (
    "Donald Trump's presidential campaign is failing, Smith said. "
    'The ministry stressed that "Nagorno-Karabakh" belongs to Azerbaijan. '
    "“We will win,” Jones said.\n"
)
CONTENTS = [
    "Donald Trump's presidential campaign is failing",
    'that "Nagorno-Karabakh" belongs to Azerbaijan',
    "“We will win,”",
]


def test_brat_import_uses_the_shared_guesser(db: Database, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    lines = []
    for n, piece in enumerate(CONTENTS, 1):
        start = TEXT.index(piece)
        lines.append(f"T{n}\tContent {start} {start + len(piece)}\t{piece}")
        lines.append(f"E{n}\tAttribution:T{n} Content:T{n}")
    (tmp_path / "a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(db, [tmp_path / "a.ann"], annotator="ana")
    assert report.ok, report.errors
    assert _kinds(db) == dict(zip(CONTENTS, ["indirect", "indirect", "direct"], strict=True))


def test_citron_import_uses_the_shared_guesser(db: Database, tmp_path: Path) -> None:
    quotes = []
    for piece in CONTENTS:
        start = TEXT.index(piece)
        quotes.append({"cue": None, "contents": [{"start": start, "end": start + len(piece)}]})
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"text": TEXT, "quotes": quotes}), encoding="utf-8")
    report = import_paths(db, [path], annotator="ana")
    assert report.ok, report.errors
    assert _kinds(db) == dict(zip(CONTENTS, ["indirect", "indirect", "direct"], strict=True))
