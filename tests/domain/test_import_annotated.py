"""Annotated imports keep every span exact: Citron, BRAT, text + .quotes.jsonl, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from annotator.importing.pipeline import import_paths
from annotator.model import Kind, Origin
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.text import normalize_text
from tests.conftest import TURAN_QUOTES, TURAN_TXT

# CRLF, a BOM, combining marks (NFD é, ç), an emoji and an astral letter before the quotes,
# so every offset has to move when the text is normalized.
RAW = (
    "\ufeffMayor Jose\u0301 Garci\u0301a \U0001f600 spoke.\r\n\r\n"
    "\u201cPrices will fall,\u201d Garci\u0301a said, \u201cbut not this year.\u201d\r\n\r\n"
    "The council, according to \U0001d400 reports, rejected the plan as fran\u00e7ais says.\r\n"
)


def span(raw: str, piece: str, occurrence: int = 0) -> dict[str, object]:
    start = -1
    for _ in range(occurrence + 1):
        start = raw.index(piece, start + 1)
    return {"start": start, "end": start + len(piece), "text": piece}


def rows(db: Database) -> tuple[list[schema.Document], list[schema.Attribution]]:
    with db.session() as s:
        docs = list(s.scalars(select(schema.Document).order_by(schema.Document.seq)))
        atts = list(s.scalars(select(schema.Attribution).order_by(schema.Attribution.created_at)))
        return docs, atts


def stored_texts(doc: schema.Document, att: schema.Attribution) -> list[str]:
    return [doc.text[s:e] for s, e in att.content_spans]


def citron_doc(raw: str) -> dict[str, object]:
    return {
        "text": raw,
        "quotes": [
            {
                "cue": span(raw, "said"),
                "sources": [span(raw, "Garci\u0301a", 1)],
                "contents": [
                    span(raw, "\u201cPrices will fall,\u201d"),
                    span(raw, "\u201cbut not this year.\u201d"),
                ],
                "confidence": 0.9,
            },
            {
                "cue": span(raw, "according to"),
                "sources": [span(raw, "\U0001d400 reports")],
                "contents": [span(raw, "rejected the plan")],
            },
        ],
    }


def test_citron_spans_exact_through_bom_crlf_nfc(db: Database, tmp_path: Path):
    path = tmp_path / "story.json"
    path.write_text(json.dumps(citron_doc(RAW), ensure_ascii=False), encoding="utf-8")
    report = import_paths(db, [path], annotator="ana")
    assert report.ok, report.errors
    assert (report.documents_added, report.attributions_added) == (1, 2)
    (doc,), atts = rows(db)
    assert doc.text == normalize_text(RAW)
    first, second = sorted(atts, key=lambda a: a.content_spans[0][0])
    assert stored_texts(doc, first) == [
        "\u201cPrices will fall,\u201d",
        "\u201cbut not this year.\u201d",
    ]
    assert doc.text[first.cue_start : first.cue_end] == "said"
    assert doc.text[first.mention_start : first.mention_end] == "García"  # now NFC
    assert first.kind == Kind.DIRECT and first.confidence == "high"
    assert stored_texts(doc, second) == ["rejected the plan"]
    assert doc.text[second.mention_start : second.mention_end] == "\U0001d400 reports"
    assert second.kind == Kind.INDIRECT and second.origin == Origin.IMPORTED
    with db.session() as s:
        speaker = s.get(schema.Actor, first.speaker_id)
        annotator = s.get(schema.Annotator, first.annotator_id)
        assert speaker.name == "García" and annotator.name == "ana"


def test_citron_offsets_counted_without_bom(db: Database, tmp_path: Path):
    # Tools that read with utf-8-sig count offsets after the BOM: detected by the span texts.
    doc = citron_doc(RAW[1:])
    doc["text"] = RAW
    path = tmp_path / "nobom.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = import_paths(db, [path])
    assert report.ok, report.errors
    (stored,), atts = rows(db)
    assert sorted(t for a in atts for t in stored_texts(stored, a))[0] == "rejected the plan"


BRAT_TXT = "Flynn says Trump 'right'.\r\n\r\n\u201cHe is right,\u201d Flynn, a top surrogate, said. \u201cI mean it.\u201d\r\n"


def brat_ann(raw: str) -> str:
    def off(piece: str, occurrence: int = 0) -> tuple[int, int]:
        s = span(raw, piece, occurrence)
        return int(s["start"]), int(s["end"])  # type: ignore[call-overload]

    c1, c2 = off("\u201cHe is right,\u201d"), off("\u201cI mean it.\u201d")
    src = off("Flynn, a top surrogate,")
    cue = off("said")
    s0, c0, t0 = off("Flynn"), off("says"), off("Trump 'right'")
    lines = [
        f"T1\tSource {s0[0]} {s0[1]}\tFlynn",
        f"T2\tCue {c0[0]} {c0[1]}\tsays",
        f"T3\tContent {t0[0]} {t0[1]}\tTrump 'right'",
        f"T4\tAttribution {c0[0]} {c0[1]}\tsays",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {src[0]} {src[1]}\tFlynn, a top surrogate,",
        f"T6\tCue {cue[0]} {cue[1]}\tsaid",
        f"T7\tContent {c1[0]} {c1[1]};{c2[0]} {c2[1]}\t\u201cHe is right,\u201d \u201cI mean it.\u201d",
        f"T8\tAttribution {cue[0]} {cue[1]}\tsaid",
        "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
        "#1\tAnnotatorNotes E2\tsplit quote",
    ]
    return "\n".join(lines) + "\n"


def test_brat_polnear_layout_discontinuous_spans(db: Database, tmp_path: Path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    raw = "\ufeff" + BRAT_TXT  # offsets below count the BOM, as brat does with plain utf-8
    (tmp_path / "text" / "flynn.txt").write_text(raw, encoding="utf-8", newline="")
    (tmp_path / "attributions" / "flynn_4b22.ann").write_text(brat_ann(raw), encoding="utf-8")
    report = import_paths(db, [tmp_path], annotator="coder")
    assert report.ok, report.errors
    assert (report.documents_added, report.attributions_added) == (1, 2)
    (doc,), atts = rows(db)
    assert doc.text == normalize_text(raw)
    split = next(a for a in atts if len(a.content_spans) == 2)
    assert stored_texts(doc, split) == ["\u201cHe is right,\u201d", "\u201cI mean it.\u201d"]
    assert doc.text[split.cue_start : split.cue_end] == "said"
    assert split.kind == Kind.DIRECT and split.note == "split quote"
    single = next(a for a in atts if len(a.content_spans) == 1)
    assert stored_texts(doc, single) == ["Trump 'right'"]
    # "Flynn, a top surrogate," and "Flynn" are one actor, found by alias matching
    assert single.speaker_id == split.speaker_id is not None


def test_brat_pair_beside_and_bad_offsets(db: Database, tmp_path: Path):
    (tmp_path / "a.txt").write_text(BRAT_TXT, encoding="utf-8", newline="")
    (tmp_path / "a.ann").write_text(brat_ann(BRAT_TXT), encoding="utf-8")
    (tmp_path / "b.txt").write_text("Short text said here.\n", encoding="utf-8")
    (tmp_path / "b.ann").write_text(
        "T1\tContent 0 400\tShort\nE1\tAttribution:T1 Content:T1\n", encoding="utf-8"
    )
    report = import_paths(db, [tmp_path])
    assert report.documents_added == 1 and report.attributions_added == 2
    (error,) = report.errors
    assert error.startswith(f"{tmp_path / 'b.ann'}:") and "outside the text" in error
    docs, _ = rows(db)
    assert len(docs) == 1  # b.txt is not stored without its annotations


def test_quotes_pair_attaches_all_14_records(db: Database, corpus: Path):
    report = import_paths(db, [TURAN_TXT, TURAN_QUOTES], annotator="ana")
    assert report.ok, report.errors
    assert (report.documents_added, report.attributions_added) == (1, 14)
    (doc,), atts = rows(db)
    expected = [json.loads(line) for line in TURAN_QUOTES.read_text(encoding="utf-8").splitlines()]
    got = sorted(doc.text[a.content_spans[0][0] : a.content_spans[0][1]] for a in atts)
    assert got == sorted(e["content"]["text"] for e in expected)
    with db.session() as s:
        names = {s.get(schema.Actor, a.speaker_id).name for a in atts}
        ahmadian = s.scalar(select(schema.Actor).where(schema.Actor.name == "Ali Akbar Ahmadian"))
        aliases = {al.alias for al in ahmadian.aliases}
    assert {"Ebrahim Raisi", "Khalaf Khalafov", "Mohammad Bagheri"} <= names
    assert "Ahmadiyyan" in aliases  # the spelling in the text became an alias
    assert all(a.origin == "imported" for a in atts)


def test_duplicate_document_collects_each_annotators_work(db: Database, tmp_path: Path):
    path = tmp_path / "story.json"
    path.write_text(json.dumps(citron_doc(RAW), ensure_ascii=False), encoding="utf-8")
    first = import_paths(db, [path], annotator="ana")
    second = import_paths(db, [path], annotator="ben")
    again = import_paths(db, [path], annotator="ben")
    assert (first.documents_added, first.attributions_added) == (1, 2)
    assert (second.documents_added, second.duplicates, second.attributions_added) == (0, 1, 2)
    assert (again.duplicates, again.attributions_added) == (1, 0)  # nothing doubled
    docs, atts = rows(db)
    assert len(docs) == 1 and len(atts) == 4
    assert len({a.annotator_id for a in atts}) == 2


def test_locked_database_is_retried_for_annotated_documents(
    db: Database, tmp_path: Path, monkeypatch
):
    """The app saving an edit mid-import can make a read-then-write transaction fail at once
    with "database is locked"; the document is retried instead of reported."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    import annotator.importing.annotated as annotated

    real = annotated.store_annotated
    calls = []

    def flaky(store, item):  # noqa: ANN001, ANN202
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
        return real(store, item)

    monkeypatch.setattr(annotated, "store_annotated", flaky)
    path = tmp_path / "story.json"
    path.write_text(json.dumps(citron_doc(RAW), ensure_ascii=False), encoding="utf-8")
    report = import_paths(db, [path])
    assert report.ok and report.attributions_added == 2 and len(calls) == 2


def test_brat_span_outside_text_names_the_line_of_the_span(db: Database, tmp_path: Path):
    (tmp_path / "c.txt").write_text("Short text said here.\n", encoding="utf-8")
    (tmp_path / "c.ann").write_text(
        "T1\tContent 0 5\tShort\nT2\tCue 11 15\tsaid\nT3\tContent 100 120\tzzz\n"
        "E1\tAttribution:T2 Content:T1\nE2\tAttribution:T3 Content:T3\n",
        encoding="utf-8",
    )
    report = import_paths(db, [tmp_path])
    (error,) = report.errors
    assert error.startswith(f"{tmp_path / 'c.ann'}:3: T3 (Content)"), error  # T3 is on line 3
    assert "outside the text" in error


def test_citron_extra_via_key_becomes_the_relaying_actor(db: Database, tmp_path: Path):
    """Our Citron export carries `via` (Citron ignores it); importing it back keeps the outlet."""
    doc = citron_doc(RAW)
    doc["quotes"][0]["via"] = "IRNA"  # type: ignore[index]
    path = tmp_path / "story.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert import_paths(db, [path], annotator="ana").ok
    _, atts = rows(db)
    first, second = sorted(atts, key=lambda a: a.content_spans[0][0])
    with db.session() as s:
        assert s.get(schema.Actor, first.via_id).name == "IRNA"
    assert second.via_id is None
