"""Export core: selection, verification, context, manifest, atomic writes, CSV neutralization."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text as sql

from annotator.exporting.base import ExportOptions
from annotator.exporting.context import ContextFinder, ContextMode, sentence_bounds
from annotator.exporting.quotes import neutralize
from annotator.exporting.selection import Status
from annotator.exporting.service import ExportError, export_dataset
from annotator.model import AttributionRecord, Origin, ReviewState, Span, new_id
from annotator.services.attributions import insert_attribution
from annotator.services.projects import annotator_row
from annotator.services.registries import ensure_actor
from tests.conftest import TURAN_QUOTES
from tests.domain import test_export_fixtures as fx
from tests.domain.test_export_fixtures import Loaded, read_jsonl

turan = fx.turan  # fixtures
synthetic = fx.synthetic


def export(loaded: Loaded, fmt: str, out: Path, **kw: object):
    opts = ExportOptions(fmt, out, loaded.project_id, project_name=loaded.project_name, **kw)  # type: ignore[arg-type]
    return export_dataset(loaded.db, opts)


def test_turan_native_spans_equal_the_hand_made_records(turan: Loaded, tmp_path: Path) -> None:
    result = export(turan, "native", tmp_path)
    assert result.problems == []
    (doc,) = read_jsonl(tmp_path / "documents.jsonl")
    assert doc["text"] == turan.text
    expected = sorted(
        json.loads(line)["content"]["text"]
        for line in TURAN_QUOTES.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    got = sorted(a["content"][0]["text"] for a in doc["attributions"])
    assert got == expected
    for a in doc["attributions"]:
        for span in [*a["content"], a["cue"], a["mention"]]:
            if span:
                assert doc["text"][span["start"] : span["end"]] == span["text"]
    speakers = {a["speaker"] for a in doc["attributions"]}
    assert "Ebrahim Raisi" in speakers
    actors = read_jsonl(tmp_path / "actors.jsonl")
    assert {a["name"] for a in actors} >= speakers - {None}


def test_quotes_rows_carry_context_and_registry_fields(turan: Loaded, tmp_path: Path) -> None:
    export(turan, "quotes-jsonl", tmp_path)
    rows = read_jsonl(tmp_path / "quotes.jsonl")
    assert len(rows) == 14
    starts = [r["content_spans"][0][0] for r in rows]
    assert starts == sorted(starts)  # document order
    for r in rows:
        ctx = r["context"]
        assert r["content"].split(" … ")[0] in ctx
        assert turan.text[r["context_start"] : r["context_start"] + len(ctx)] == ctx
        assert r["stance_label"] in {"FAVOR", "AGAINST", "NONE"}
        assert r["annotator"] == "ana" and r["review_state"] == "accepted"
    raisi = next(r for r in rows if r["mention"] == "Raisi")
    assert raisi["speaker"] == "Ebrahim Raisi" and raisi["via"] == "IRNA"
    assert raisi["speaker_type"] == "person"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_neutralize(cell: str, safe: str) -> None:
    assert neutralize(cell) == safe


def test_csv_cells_that_would_run_as_formulas_are_neutralized(
    turan: Loaded, tmp_path: Path
) -> None:
    with turan.db.session() as s:
        speaker = ensure_actor(s, turan.project_id, "=cmd|' /C calc'!A0").id
        doc_id = s.execute(sql("SELECT id FROM documents")).scalar_one()
        ann = annotator_row(s, "ana").id
        insert_attribution(
            s,
            AttributionRecord(
                id=new_id(),
                document_id=doc_id,
                annotator_id=ann,
                content=(Span(0, 5),),
                speaker_id=speaker,
                proposition="@SUM(1+1)*cmd",
                review_state=ReviewState.ACCEPTED,
            ),
        )
        insert_attribution(  # ids from imported files need not be UUIDs
            s,
            AttributionRecord(
                id="-2+3",
                document_id=doc_id,
                annotator_id=ann,
                content=(Span(6, 9),),
                review_state=ReviewState.ACCEPTED,
            ),
        )
    export(turan, "quotes-csv", tmp_path)
    with open(tmp_path / "quotes.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 16
    assert any(r["id"] == "'-2+3" for r in rows)
    evil = next(r for r in rows if r["proposition"].startswith("'@"))
    assert evil["speaker"] == "'=cmd|' /C calc'!A0"
    assert evil["content_spans"] == "0-5"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_broken_span_is_refused_with_a_message_and_the_rest_written(
    turan: Loaded, tmp_path: Path
) -> None:
    with turan.db.session() as s:
        ids = [r[0] for r in s.execute(sql("SELECT id FROM attributions ORDER BY id"))]
        s.execute(
            sql("UPDATE attributions SET content_spans = '[[5000, 90000]]' WHERE id = :i"),
            {"i": ids[0]},
        )
        s.execute(
            sql("UPDATE attributions SET content_spans = '[[40, 10]]' WHERE id = :i"),
            {"i": ids[1]},
        )
        s.execute(
            sql("UPDATE attributions SET cue_start = 99990, cue_end = 99999 WHERE id = :i"),
            {"i": ids[2]},
        )
    result = export(turan, "quotes-jsonl", tmp_path)
    assert sorted(p.attribution_id for p in result.problems) == sorted(ids[:3])
    first = next(p for p in result.problems if p.attribution_id == ids[0])
    assert "Khalafov in Tehran" in first.message and ids[0] in first.message
    assert "outside the text" in first.message
    cue = next(p for p in result.problems if p.attribution_id == ids[2])
    assert "cue span" in cue.message
    written = {r["id"] for r in read_jsonl(tmp_path / "quotes.jsonl")}
    assert written == set(ids[3:])
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert {r["attribution_id"] for r in manifest["rejected"]} == set(ids[:3])
    assert manifest["counts"]["all"]["attributions"] == 11


def test_changed_document_text_refuses_the_whole_document(turan: Loaded, tmp_path: Path) -> None:
    with turan.db.session() as s:
        s.execute(sql("UPDATE documents SET text = 'X' || text"))
    result = export(turan, "native", tmp_path)
    assert len(result.problems) == 1 and "SHA-256" in result.problems[0].message
    assert (tmp_path / "documents.jsonl").read_text() == ""


def test_manifest_hashes_counts_and_no_paths(turan: Loaded, tmp_path: Path) -> None:
    result = export(turan, "native", tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert set(manifest["files"]) == {"documents.jsonl", "actors.jsonl", "targets.jsonl"}
    for name, entry in manifest["files"].items():
        data = (tmp_path / "out" / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    assert manifest["counts"]["all"]["polarity"] == {"oppose": 7, "support": 7}
    assert manifest["app_version"]
    assert manifest["options"]["status"] == "auto"
    assert str(tmp_path) not in (tmp_path / "out" / "manifest.json").read_text()
    card = (tmp_path / "out" / "README.md").read_text()
    assert "| all | 1 | 14 |" in card and "docs/export.md" in card
    assert sorted(result.files) == sorted([*manifest["files"], "manifest.json", "README.md"])


def _ids(path: Path) -> list[tuple[str, str, str]]:
    return [(r["id"], r["review_state"], r["origin"]) for r in read_jsonl(path)]


@pytest.mark.parametrize(
    ("status", "states"),
    [
        (Status.ACCEPTED, {("accepted", "manual"), ("accepted", "adjudicated")}),
        (Status.SUBMITTED, {("submitted", "manual")}),
        (Status.DRAFT, {("draft", "manual")}),
        (Status.GOLD, {("accepted", "adjudicated")}),
        (
            Status.ALL,
            {
                ("accepted", "manual"),
                ("submitted", "manual"),
                ("draft", "manual"),
                ("accepted", "adjudicated"),
            },
        ),
    ],
)
def test_status_selects_review_states(
    synthetic: Loaded, tmp_path: Path, status: Status, states: set[tuple[str, str]]
) -> None:
    export(synthetic, "quotes-jsonl", tmp_path, status=status)
    got = {(s, o) for _, s, o in _ids(tmp_path / "quotes.jsonl")}
    assert got == states


def test_default_status_is_gold_where_present_else_accepted(
    synthetic: Loaded, tmp_path: Path
) -> None:
    export(synthetic, "quotes-jsonl", tmp_path)
    rows = read_jsonl(tmp_path / "quotes.jsonl")
    by_doc: dict[str, set[str]] = {}
    for r in rows:
        by_doc.setdefault(r["document_title"], set()).add(r["origin"])
    assert by_doc["Article 1"] == {"adjudicated"}  # the analyst's accepted record is replaced
    assert all(o == {"manual"} for t, o in by_doc.items() if t != "Article 1")
    assert {r["review_state"] for r in rows} == {"accepted"}
    assert len(by_doc) >= 10


def test_annotator_filter_and_tombstones(synthetic: Loaded, tmp_path: Path) -> None:
    with synthetic.db.session() as s:
        lead = annotator_row(s, "lead").id
        gone = s.execute(
            sql("SELECT id FROM attributions WHERE origin = :o"), {"o": str(Origin.ADJUDICATED)}
        ).scalar_one()
    export(synthetic, "quotes-jsonl", tmp_path / "a", status=Status.ALL, annotator_id=lead)
    assert [r[0] for r in _ids(tmp_path / "a" / "quotes.jsonl")] == [gone]
    with synthetic.db.session() as s:
        s.execute(
            sql("UPDATE attributions SET deleted_at = '2024-01-01' WHERE id = :i"), {"i": gone}
        )
    export(synthetic, "quotes-jsonl", tmp_path / "b", status=Status.ALL)
    assert gone not in {r[0] for r in _ids(tmp_path / "b" / "quotes.jsonl")}


def test_cancel_leaves_no_files(synthetic: Loaded, tmp_path: Path) -> None:
    out = tmp_path / "out"
    opts = ExportOptions("native", out, synthetic.project_id)
    result = export_dataset(synthetic.db, opts, cancelled=lambda: True)
    assert result.cancelled and result.files == []
    assert not out.exists()  # not even an empty folder
    assert list(tmp_path.glob(".out.export-*")) == []  # nor the staging folder


def test_progress_reaches_total(synthetic: Loaded, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    opts = ExportOptions("native", tmp_path, synthetic.project_id, split=(0.8, 0.1, 0.1))
    export_dataset(synthetic.db, opts, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] == 2 * 13  # two passes over 13 documents


def test_unknown_format(synthetic: Loaded, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown format"):
        export(synthetic, "xml", tmp_path)


def test_context_modes() -> None:
    text = "Dr. Smith arrived. He said the talks failed.\nNew line here! Done.\n\nSecond para."
    start = text.index("the talks")
    end = start + len("the talks failed")
    assert ContextFinder(text, ContextMode.SENTENCE).around(start, end).text == (
        "He said the talks failed."
    )
    assert ContextFinder(text, ContextMode.PARAGRAPH).around(start, end).text == (
        "Dr. Smith arrived. He said the talks failed."
    )
    assert ContextFinder(text, ContextMode.DOCUMENT).around(start, end).text == text
    assert sentence_bounds(text)[0] == len("Dr. Smith arrived.")  # "Dr." is no sentence end


@given(
    st.text(alphabet=st.sampled_from('ab .!?\n"”🙂\u00a0'), min_size=1, max_size=80),
    st.data(),
    st.sampled_from(list(ContextMode)),
)
def test_context_always_covers_the_span(text: str, data: st.DataObject, mode: ContextMode) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    ctx = ContextFinder(text, mode).around(start, end)
    assert ctx.start <= start and end <= ctx.end
    assert text[ctx.start : ctx.end] == ctx.text


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Smith came. He left.", ["Mr. Smith came.", "He left."]),
        ("The U.S. said no. Fine!", ["The U.S. said no.", "Fine!"]),
        ("J. R. Ewing spoke. Then?", ["J. R. Ewing spoke.", "Then?"]),
        ('He said "stop." Then… nothing.', ['He said "stop."', "Then…", "nothing."]),
        ("Wait... what? Yes.", ["Wait...", "what?", "Yes."]),
        ("etc. and so on. End", ["etc. and so on.", "End"]),
        ("Line one\nLine two.", ["Line one", "Line two."]),
    ],
)
def test_sentence_split(text: str, sentences: list[str]) -> None:
    out, lo = [], 0
    for end in sentence_bounds(text):
        if text[lo:end].strip():
            out.append(text[lo:end].strip())
        lo = end
    assert out == sentences


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("annotator", [None, "ana", "lead"])
def test_preview_counts_equal_export_counts(
    synthetic: Loaded, tmp_path: Path, status: Status, annotator: str | None
) -> None:
    from annotator.exporting.selection import Selection, preview_counts

    annotator_id = None
    if annotator:
        with synthetic.db.session() as s:
            annotator_id = annotator_row(s, annotator).id
    preview = preview_counts(synthetic.db, Selection(synthetic.project_id, status, annotator_id))
    result = export(synthetic, "quotes-jsonl", tmp_path, status=status, annotator_id=annotator_id)
    counts = result.counts["all"]
    assert (preview.documents, preview.attributions) == (
        counts["documents"],
        counts["attributions"],
    )
    assert preview.polarity == counts["polarity"]


def test_files_of_an_earlier_export_are_noted_not_deleted(
    synthetic: Loaded, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    export(synthetic, "quotes-jsonl", out, split=(0.8, 0.1, 0.1))
    result = export(synthetic, "quotes-jsonl", out)
    assert (out / "train.jsonl").exists()  # never deleted: it is the user's folder
    assert any("3 other file(s)" in n for n in result.notes)
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == {"quotes.jsonl"}


def test_card_summarizes_per_document_files(synthetic: Loaded, tmp_path: Path) -> None:
    export(synthetic, "brat", tmp_path / "b", split=(0.6, 0.2, 0.2))
    card = (tmp_path / "b" / "README.md").read_text()
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    train_ann = sum(1 for f in manifest["files"] if f.startswith("train/") and f.endswith(".ann"))
    assert f"- `train/`: {train_ann} `.ann`, {train_ann} `.txt` files" in card
    assert "- `./`: 1 `.conf` files" in card


@pytest.mark.parametrize("fmt", ["hf", "quotes-csv", "brat"])
def test_cancel_midway_discards_every_file(synthetic: Loaded, tmp_path: Path, fmt: str) -> None:
    calls = 0

    def cancel_after_three() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3 + 13  # the split pass (13 documents), then three written

    out = tmp_path / "out"
    opts = ExportOptions(fmt, out, synthetic.project_id, split=(0.6, 0.2, 0.2))
    result = export_dataset(synthetic.db, opts, cancelled=cancel_after_three)
    assert result.cancelled and calls == 17
    assert not out.exists()  # no files, and no split folders left behind
    assert list(tmp_path.glob(".out.export-*")) == []


def test_export_reads_one_snapshot_while_the_app_keeps_editing(
    synthetic: Loaded, tmp_path: Path
) -> None:
    before = export(synthetic, "native", tmp_path / "before", split=(0.6, 0.2, 0.2))
    edited = False

    def edit_midway() -> bool:  # runs between documents, like the GUI thread editing
        nonlocal edited
        if not edited:
            edited = True
            with synthetic.db.session() as s:
                s.execute(sql("UPDATE actors SET name = name || ' (renamed)'"))
                s.execute(sql("UPDATE attributions SET review_state = 'accepted'"))
        return False

    opts = ExportOptions(
        "native",
        tmp_path / "during",
        synthetic.project_id,
        project_name=synthetic.project_name,
        split=(0.6, 0.2, 0.2),
    )
    during = export_dataset(synthetic.db, opts, cancelled=edit_midway)
    assert edited and during.counts == before.counts
    for name in before.files:
        assert (tmp_path / "before" / name).read_bytes() == (
            tmp_path / "during" / name
        ).read_bytes()
    after = export(synthetic, "native", tmp_path / "after", split=(0.6, 0.2, 0.2))
    assert sum(c["attributions"] for c in after.counts.values()) > sum(
        c["attributions"] for c in before.counts.values()
    )
    assert "(renamed)" in (tmp_path / "after" / "actors.jsonl").read_text()
