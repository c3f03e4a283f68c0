"""Data that stays true to its source (issue 12): BRAT source ids through every export format,
skipped events named in the report, the corpus-layout BRAT export that re-imports per
annotator, the per-document policy, and the language detected at import."""

from __future__ import annotations

import csv
import hashlib
import json
import socket
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.exporting.base import ExportOptions
from annotator.exporting.selection import PerDocument, Selection, Status, preview_counts
from annotator.exporting.service import FORMATS, export_dataset
from annotator.importing.pipeline import import_paths
from annotator.language import detect_language
from annotator.services.projects import find_project
from annotator.storage.engine import Database
from tests.domain.brat_corpus_fixture import EVENTS_A_ANA, EVENTS_A_BOB, EVENTS_B, write_corpus
from tests.domain.test_export_fixtures import read_jsonl

DOC_A, DOC_B = "site_2016-01-01_rally", "presse_2016-01-02_accord"


def _imported(db: Database, tmp_path: Path) -> str:
    corpus = write_corpus(tmp_path / "corpus")
    report = import_paths(db, [corpus.root], project="P", annotator="me")
    assert report.ok, report.errors
    project = find_project(db, "P")
    assert project is not None
    return project.id


def _export(db: Database, project_id: str, fmt: str, out: Path, **kw) -> object:
    options = ExportOptions(fmt, out, project_id, status=Status.ALL, **kw)
    return export_dataset(db, options)


def test_skipped_brat_events_are_named_without_failing_the_batch(
    db: Database, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    report = import_paths(db, [corpus.root], project="P", annotator="me")
    assert report.ok and report.errors == []
    assert report.warnings == [
        f"{corpus.ann_a_ana}:{corpus.skipped_line}: skipped event E90: it has no Content"
        " argument (attribution:T90)"
    ]
    # the multi-line T91 did not stop the file: every annotator's events are in
    expected = len(EVENTS_A_ANA) + len(EVENTS_A_BOB) + len(EVENTS_B)
    assert (report.documents_added, report.attributions_added) == (2, expected)


def test_cli_import_prints_skipped_records_and_exits_0(tmp_path: Path, capsys) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    code = main(["--db", str(tmp_path / "a.sqlite3"), "import", str(corpus.root)])
    out, err = capsys.readouterr()
    assert code == 0
    assert f"{corpus.ann_a_ana}:{corpus.skipped_line}: skipped event E90" in err
    assert "1 records skipped" in out


def _native(db: Database, project_id: str, out: Path) -> list[dict]:
    _export(db, project_id, "native", out, per_document=PerDocument.ALL)
    return read_jsonl(out / "documents.jsonl")


def test_brat_import_keeps_source_ids_and_annotators(db: Database, tmp_path: Path) -> None:
    docs = _native(db, _imported(db, tmp_path), tmp_path / "n")
    by_name = {d["external_id"]: d for d in docs}
    assert set(by_name) == {DOC_A, DOC_B}
    assert by_name[DOC_A]["source_file"] == f"{DOC_A}.txt"
    ids = sorted((a["annotator"], a["external_id"]) for a in by_name[DOC_A]["attributions"])
    assert ids == [("ana", "E1"), ("ana", "E2"), ("ana", "E3"), ("ana", "E4")] + [
        ("bob", "E1"),
        ("bob", "E2"),
        ("bob", "E3"),
    ]


def _source_ids_in(fmt: str, out: Path) -> tuple[set[str], set[str]]:
    """(record source ids, document source ids) found in an export, read as its users would."""
    if fmt in ("quotes-jsonl", "stance"):
        rows = read_jsonl(out / ("quotes.jsonl" if fmt == "quotes-jsonl" else "stance.jsonl"))
        return {r["external_id"] for r in rows}, {r["document_external_id"] for r in rows}
    if fmt == "quotes-csv":
        with (out / "quotes.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return {r["external_id"] for r in rows}, {r["document_external_id"] for r in rows}
    if fmt == "hf":
        rows = read_jsonl(out / "attributions" / "train.jsonl")
        tokens = read_jsonl(out / "tokens" / "train.jsonl")
        docs = {r["document_external_id"] for r in rows} & {
            r["document_external_id"] for r in tokens
        }
        return {r["external_id"] for r in rows}, docs
    if fmt == "native":
        docs = read_jsonl(out / "documents.jsonl")
        return {a["external_id"] for d in docs for a in d["attributions"]}, {
            d["external_id"] for d in docs
        }
    if fmt == "citron":
        objs = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")]
        objs = [o for o in objs if "quotes" in o]
        return {q["external_id"] for o in objs for q in o["quotes"]}, {
            o["external_id"] for o in objs
        }
    if fmt == "brat":
        notes = " ".join(p.read_text(encoding="utf-8") for p in out.glob("*.ann"))
        return {f"E{n}" for n in range(1, 5) if f"source_id=E{n}" in notes}, set()
    if fmt == "brat-corpus":
        notes = " ".join(p.read_text(encoding="utf-8") for p in out.glob("attributions/*.ann"))
        names = {p.stem for p in out.glob("text/*.txt")}
        return {f"E{n}" for n in range(1, 5) if f"source_id=E{n}" in notes}, names
    if fmt == "conll":
        with (out / "corpus.documents.tsv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        return {"E1", "E2", "E3", "E4"}, {r["document_external_id"] for r in rows}
    if fmt == "spacy":
        spacy = pytest.importorskip("spacy")
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(out / "corpus.spacy").get_docs(spacy.blank("xx").vocab))
        return {a["external_id"] for d in docs for a in d.user_data["attributions"]}, {
            d.user_data["document"]["external_id"] for d in docs
        }
    raise AssertionError(fmt)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_links_back_to_the_source(db: Database, tmp_path: Path, fmt: str) -> None:
    if fmt == "spacy":
        pytest.importorskip("spacy")
    project_id = _imported(db, tmp_path)
    out = tmp_path / fmt
    _export(db, project_id, fmt, out, per_document=PerDocument.ALL)
    records, documents = _source_ids_in(fmt, out)
    if fmt == "stance":  # only records with a target and a polarity: none in this corpus
        assert records == set() and documents == set()
        return
    assert records == {"E1", "E2", "E3", "E4"}
    if fmt != "brat":  # our own BRAT layout names files by document id
        assert documents == {DOC_A, DOC_B}


def test_brat_corpus_layout_opens_in_brat_and_reimports_per_annotator(
    db: Database, tmp_path: Path
) -> None:
    project_id = _imported(db, tmp_path)
    out = tmp_path / "bc"
    _export(db, project_id, "brat-corpus", out, per_document=PerDocument.ALL)
    anns = sorted(p.name for p in (out / "attributions").glob("*.ann"))
    assert anns == [f"{DOC_B}_ana.ann", f"{DOC_A}_ana.ann", f"{DOC_A}_bob.ann"]
    for ann in (out / "attributions").glob("*.ann"):  # brat opens NAME.ann beside NAME.txt
        assert ann.with_suffix(".txt").read_text(encoding="utf-8") == (
            out / "text" / f"{ann.stem.rsplit('_', 1)[0]}.txt"
        ).read_text(encoding="utf-8")
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("E"):
                kind = line.split("\t")[1].split(":")[0]
                assert kind in ("Attribution", "Attribution-no-source")
                roles = {a.split(":")[0].rstrip("0123456789") for a in line.split("\t")[1].split()}
                assert roles <= {kind, "Source", "Cue", "Content"}
    conf = (out / "attributions" / "annotation.conf").read_text(encoding="utf-8")
    for needed in ("[entities]", "Source", "Cue", "Content", "Attribution\t", "[attributes]"):
        assert needed in conf
    copy = Database.open(tmp_path / "copy.sqlite3")
    try:
        report = import_paths(copy, [out], project="P", annotator="someone-else")
        assert report.ok, report.errors
        assert report.documents_added == 2  # text/ is not imported a second time
        project = find_project(copy, "P")
        assert project is not None
        before = _comparable(_native(db, project_id, tmp_path / "n1"))
        after = _comparable(_native(copy, project.id, tmp_path / "n2"))
        assert after == before
    finally:
        copy.dispose()


def _comparable(docs: list[dict]) -> dict:
    """What a BRAT round trip keeps: everything but registry ids, review state and times."""
    out = {}
    for d in docs:
        for a in d["attributions"]:
            keep = {k: v for k, v in a.items() if not k.endswith("_id") and k not in _NOT_KEPT}
            out[a["id"]] = (d["external_id"], d["text"], a["external_id"], keep)
    return out


_NOT_KEPT = {"origin", "review_state", "created_at", "updated_at", "reviewer", "confidence"}


@pytest.mark.parametrize(
    ("policy", "annotators"),
    [(PerDocument.ONE_ANNOTATOR, {"ana"}), (PerDocument.ALL, {"ana", "bob"})],
)
def test_per_document_policy(
    db: Database, tmp_path: Path, policy: PerDocument, annotators: set[str]
) -> None:
    project_id = _imported(db, tmp_path)
    out = tmp_path / "q"
    result = _export(db, project_id, "quotes-jsonl", out, per_document=policy)
    rows = read_jsonl(out / "quotes.jsonl")
    in_a = {r["annotator"] for r in rows if r["document_external_id"] == DOC_A}
    assert in_a == annotators  # ana has more records in article A, so she is the one kept
    preview = preview_counts(db, Selection(project_id, Status.ALL, None, policy))
    assert (preview.documents, preview.attributions) == (2, len(rows))
    card = (out / "README.md").read_text(encoding="utf-8")
    assert f"per document: `{policy}`" in card
    assert "1 document(s) had records of several annotators" in card
    left_out = 0 if policy == PerDocument.ALL else len(EVENTS_A_BOB)
    assert f"{left_out} record(s) of other annotators left out" in card
    assert json.loads((out / "manifest.json").read_text())["options"]["per_document"] == policy
    assert result.left_out_by_policy == left_out


def test_gold_policy_leaves_out_documents_without_gold(db: Database, tmp_path: Path) -> None:
    project_id = _imported(db, tmp_path)
    result = _export(db, project_id, "quotes-jsonl", tmp_path / "g", per_document="gold")
    assert result.counts["all"]["documents"] == 0
    preview = preview_counts(db, Selection(project_id, Status.ALL, None, PerDocument.GOLD))
    assert (preview.documents, preview.attributions) == (0, 0)


def test_language_detected_at_import_and_corrected_by_cli(tmp_path: Path, capsys) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    db_path = str(tmp_path / "a.sqlite3")
    assert main(["--db", db_path, "import", str(corpus.root), "--project", "P"]) == 0
    capsys.readouterr()
    assert main(["--db", db_path, "language"]) == 0
    listing = capsys.readouterr().out.splitlines()
    langs = {line.split("\t")[2]: line.split("\t")[1] for line in listing[:-1]}
    assert langs == {DOC_A: "en", DOC_B: "fr"}
    assert listing[-1] == "en 1, fr 1"
    assert main(["--db", db_path, "language", DOC_B, "--set", "fr-CA"]) == 0
    assert main(["--db", db_path, "language", "--only", "fr-CA"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "fr-CA 1"
    assert main(["--db", db_path, "language", DOC_B, "--set", "not a code"]) == 2
    assert "is not a language code" in capsys.readouterr().err
    assert main(["--db", db_path, "language", "--set", "en"]) == 2  # nothing chosen


def test_detection_reads_only_the_bundled_model(monkeypatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("language detection tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    samples = {
        "en": "The minister said the government would continue the talks on the peace accord.",
        "fr": "Le ministre a déclaré que le gouvernement poursuivrait les négociations.",
        "pl": "Minister powiedział, że rząd będzie kontynuował rozmowy w sprawie porozumienia.",
        "ar": "قال الوزير إن الحكومة ستواصل المفاوضات بشأن اتفاق السلام في المنطقة.",
        "de": "Die Regierung hat erklärt, dass sie die Verhandlungen fortsetzen werde.",
    }
    for code, text in samples.items():
        assert detect_language(text)[0] == code
    assert detect_language("12 345 -- 678")[0] == ""  # no letters: unknown, not a guess


def test_source_ids_travel_in_bundles_and_old_bundles_still_import(
    db: Database, tmp_path: Path
) -> None:
    import zipfile

    from annotator.team.bundle_export import export_bundle
    from annotator.team.bundle_format import FORMAT_VERSION
    from annotator.team.bundle_import import import_bundle

    project_id = _imported(db, tmp_path)
    export_bundle(db, tmp_path / "b.zip")
    other = Database.open(tmp_path / "other.sqlite3")
    try:
        import_bundle(other, tmp_path / "b.zip")
        moved = find_project(other, "P")
        assert moved is not None
        assert _source_pairs(other, moved.id, tmp_path / "o") == _source_pairs(
            db, project_id, tmp_path / "s"
        )
    finally:
        other.dispose()
    # a bundle written before the source ids existed: members without the keys
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(tmp_path / "b.zip") as src, zipfile.ZipFile(old, "w") as dst:
        manifest = json.loads(src.read("manifest.json"))
        assert manifest["format_version"] == FORMAT_VERSION
        for name in src.namelist():
            data = src.read(name)
            if name in ("documents.jsonl", "attributions.jsonl"):
                lines = [json.loads(x) for x in data.decode().splitlines() if x.strip()]
                for line in lines:
                    line.pop("external_id")
                data = "".join(json.dumps(x) + "\n" for x in lines).encode()
                manifest["members"][name]["sha256"] = hashlib.sha256(data).hexdigest()
                manifest["members"][name]["bytes"] = len(data)
            if name != "manifest.json":
                dst.writestr(name, data)
        dst.writestr("manifest.json", json.dumps(manifest))
    third = Database.open(tmp_path / "third.sqlite3")
    try:
        report = import_bundle(third, old)
        assert report is not None
        moved = find_project(third, "P")
        assert moved is not None
        pairs = _source_pairs(third, moved.id, tmp_path / "t")
        assert pairs and all(doc == "" and rec == "" for doc, rec in pairs)
    finally:
        third.dispose()


def _source_pairs(db: Database, project_id: str, out: Path) -> list[tuple[str, str]]:
    docs = _native(db, project_id, out)
    return sorted((d["external_id"], a["external_id"]) for d in docs for a in d["attributions"])
