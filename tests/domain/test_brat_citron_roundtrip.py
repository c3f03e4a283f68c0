"""BRAT and Citron exports read back by their importers: values with `; `, `=`, `%`, quotes,
line breaks and unicode survive; bad kind / polarity values are reported, not dropped."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.exporting.base import ExportOptions
from annotator.exporting.brat import note_line, parse_note
from annotator.exporting.selection import Status
from annotator.exporting.service import export_dataset
from annotator.importing.pipeline import import_paths
from annotator.native import FORMAT
from annotator.services.projects import find_project
from annotator.storage.engine import Database

TEXT = "Mayor Jones said, \u201cTaxes will rise.\u201d\nThe council disagreed, a spokesman said.\n"
TESTER = {
    "speaker": "Jones; Smith=Lee",
    "target": "Tax; policy=up",
    "proposition": "taxes rise; target=Evil; speaker=Nobody",
    "note": 'checked 100% "twice";\nsee id=x',
    "via": "Radio=Free; Europe",
}
AWKWARD = st.text(
    alphabet=st.sampled_from(list("ab ;=%\"'\n\t\u00e9\u4e2d\U0001f600\u2028\r")), max_size=12
)


def span(piece: str) -> dict[str, Any]:
    start = TEXT.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece}


def native_doc(values: dict[str, str]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "id": "0b9f0c5e-1d8e-4a35-9c43-3f1f6f8f1a01",
        "title": "Tax row",
        "source": "Daily; Post=1",
        "url": "https://example.org/a?b=1;c=%20",
        "published": "2024-05-01",
        "place": "S\u00e3o Paulo",
        "metadata": {"section": "politics; local", "pages": [1, 2]},
        "text": TEXT,
        "attributions": [
            {
                "id": "6a3e2a4e-0c1b-4f7e-8b9d-2d7c6b1e9f11",
                "content": [span("\u201cTaxes will rise.\u201d")],
                "cue": span("said"),
                "mention": span("Mayor Jones"),
                "kind": "direct",
                "polarity": "support",
                **values,
            },
            {
                "id": "7b4f3b5f-1d2c-4a8f-9cae-3e8d7c2f0a22",
                "content": [span("The council disagreed")],
                "kind": "indirect",
                "speaker": "Council",
                "proposition": "plain",
            },
        ],
    }


def load(db: Database, folder: Path, doc: dict[str, Any]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "docs.jsonl"
    # ASCII-escaped: the JSONL reader splits lines at U+2028 (a reader matter, not this test's)
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    report = import_paths(db, [path], project="P", annotator="ana")
    assert report.ok and report.attributions_added == 2, report.errors
    project = find_project(db, "P")
    assert project is not None
    return project.id


def export(db: Database, project_id: str, fmt: str, out: Path) -> None:
    result = export_dataset(db, ExportOptions(fmt, out, project_id, status=Status.ALL))
    assert result.problems == []


def native(db: Database, out: Path) -> list[dict[str, Any]]:
    project = find_project(db, "P")
    assert project is not None
    export(db, project.id, "native", out)
    # split at \n only: the native export writes U+2028 inside strings unescaped
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").split("\n")
    return [json.loads(line) for line in lines if line]


ATT_KEYS = ("id", "speaker", "via", "target", "proposition", "note", "kind", "polarity", "content")
DOC_KEYS = ("source", "url", "published", "place", "metadata")


def roundtrip(values: dict[str, str], work: Path) -> None:
    source = Database.open(work / "source.sqlite3")
    try:
        project_id = load(source, work / "in", native_doc(values))
        (before,) = native(source, work / "n0")
        for fmt in ("brat", "citron"):
            export(source, project_id, fmt, work / fmt)
            fresh = Database.open(work / f"{fmt}.sqlite3")
            try:
                report = import_paths(fresh, [work / fmt], project="P", annotator="ana")
                assert report.ok and report.attributions_added == 2, (fmt, report.errors)
                (after,) = native(fresh, work / f"n-{fmt}")
            finally:
                fresh.dispose()
            got = {a["id"]: {k: a[k] for k in ATT_KEYS} for a in after["attributions"]}
            want = {a["id"]: {k: a[k] for k in ATT_KEYS} for a in before["attributions"]}
            assert got == want, fmt
            if fmt == "citron":
                assert {k: after[k] for k in DOC_KEYS} == {k: before[k] for k in DOC_KEYS}
        # The BRAT export imported into the database it came from adds nothing.
        again = import_paths(source, [work / "brat"], project="P", annotator="ana")
        assert again.ok, again.errors
        assert (again.documents_added, again.attributions_added) == (0, 0)
    finally:
        source.dispose()


def test_tester_values_survive_brat_and_citron(tmp_path: Path) -> None:
    roundtrip(TESTER, tmp_path)
    ann = next((tmp_path / "brat").glob("*.ann")).read_text(encoding="utf-8")
    assert "speaker=Jones%3B Smith%3DLee" in ann  # escaped, still readable


def _name(prefix: str, x: str) -> str:
    return " ".join(f"{prefix}{x}".split())  # names are single-spaced, as the registry keeps them


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=AWKWARD, b=AWKWARD, c=AWKWARD, d=AWKWARD)
def test_awkward_values_survive_brat_and_citron(a: str, b: str, c: str, d: str) -> None:
    values = {
        "speaker": _name("Jones", a),
        "via": _name("Via", d),
        "target": _name("Tax", b),
        "proposition": c,
        "note": d + a,
    }
    with tempfile.TemporaryDirectory() as work:
        roundtrip(values, Path(work))


@given(
    st.dictionaries(st.sampled_from(["speaker", "via", "target", "proposition", "note"]), AWKWARD)
)
def test_note_line_parses_back(fields: dict[str, str]) -> None:
    fields = {"id": "6a3e2a4e-0c1b-4f7e-8b9d-2d7c6b1e9f11", **fields}
    line = note_line(fields)
    assert len(line.splitlines()) == 1 and "\t" not in line
    assert parse_note(line) == {k: v for k, v in fields.items() if v}


def test_old_unescaped_notes_still_parse() -> None:
    old = "id=X; speaker=Jones; Smith=Lee; target=Tax; policy=up; proposition=taxes rise"
    assert parse_note(old) == {
        "id": "X",
        "speaker": "Jones; Smith=Lee",
        "target": "Tax; policy=up",
        "proposition": "taxes rise",
    }
    # keys out of order belong to the value before them
    assert parse_note("id=X; proposition=a; target=Evil")["proposition"] == "a; target=Evil"
    assert parse_note("free text; id=3") is None


def test_bad_enum_values_are_reported(db: Database, tmp_path: Path) -> None:
    quote = {
        "contents": [span("\u201cTaxes will rise.\u201d")],
        "sources": [span("Mayor Jones")],
        "cue": span("said"),
    }
    good = {"text": TEXT, "quotes": [quote]}
    bad = {"text": TEXT, "quotes": [quote, quote, {**quote, "kind": "weird", "polarity": "maybe"}]}
    (tmp_path / "x.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "ok.json").write_text(json.dumps({**good, "text": TEXT + "More.\n"}), "utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.ann").write_text(
        "T1\tContent 18 36\t\u201cTaxes will rise.\u201d\n"
        "E1\tAttribution:T1 Content:T1\n"
        "A1\tKind E1 direct\n"
        "A2\tPolarity E1 maybe\n",
        encoding="utf-8",
    )
    report = import_paths(db, [tmp_path], project="P", annotator="ana")
    assert report.documents_added == 1  # ok.json: the rest of the batch goes through
    assert sorted(report.errors) == [
        f"{tmp_path / 'b.ann'}:4: E1: polarity 'maybe' is not one of support, oppose, neutral,"
        " unclear (document not imported)",
        f"{tmp_path / 'x.json'}: quote 3: kind 'weird' is not one of direct, indirect, mixed;"
        " polarity 'maybe' is not one of support, oppose, neutral, unclear",
    ]


def test_someone_elses_note_that_looks_like_ours_is_kept_as_text(db: Database, tmp_path: Path):
    from annotator.services.attributions import list_attributions
    from annotator.services.documents import list_document_ids

    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.ann").write_text(
        "T1\tContent 18 36\t\u201cTaxes will rise.\u201d\n"
        "E1\tAttribution:T1 Content:T1\n"
        "#1\tAnnotatorNotes E1\tid=see ticket 12; speaker=unsure\n",
        encoding="utf-8",
    )
    report = import_paths(db, [tmp_path], project="P", annotator="ana")
    assert report.errors == [] and report.attributions_added == 1
    project = find_project(db, "P")
    assert project is not None
    (doc,) = list_document_ids(db, project.id)
    (rec,) = list_attributions(db, doc, all_annotators=True)
    assert rec.note == "id=see ticket 12; speaker=unsure"
    assert rec.speaker_id is None
