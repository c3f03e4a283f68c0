"""Every export format on the annotated Turan article and the synthetic project: output parsed
back and compared with the stored spans; determinism; native round trip through the importer."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from annotator.exporting.base import ExportOptions
from annotator.exporting.selection import Status
from annotator.exporting.service import FORMATS, export_dataset
from annotator.exporting.tokens import TAGS
from tests.domain import test_export_fixtures as fx
from tests.domain.test_export_fixtures import Loaded, read_jsonl

turan = fx.turan  # fixtures
synthetic = fx.synthetic
sample = fx.sample


def export(loaded: Loaded, fmt: str, out: Path, **kw: object):
    opts = ExportOptions(fmt, out, loaded.project_id, project_name=loaded.project_name, **kw)  # type: ignore[arg-type]
    return export_dataset(loaded.db, opts)


def stored(loaded: Loaded, tmp_path: Path) -> dict[str, dict]:
    """attribution id -> native record (the reference the other formats are compared with)."""
    out = tmp_path / "_native"
    export(loaded, "native", out)
    return {a["id"]: a for d in read_jsonl(out / "documents.jsonl") for a in d["attributions"]}


def texts(loaded: Loaded, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "_native"
    return {d["id"]: d["text"] for d in read_jsonl(out / "documents.jsonl")}


def _needs(fmt: str) -> None:
    if fmt == "spacy":
        pytest.importorskip("spacy")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_is_deterministic(synthetic: Loaded, tmp_path: Path, fmt: str) -> None:
    _needs(fmt)
    a = export(synthetic, fmt, tmp_path / "a", split=(0.6, 0.2, 0.2), seed=3)
    b = export(synthetic, fmt, tmp_path / "b", split=(0.6, 0.2, 0.2), seed=3)
    assert a.files == b.files and len(a.files) >= 3
    for name in a.files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    names = " ".join(a.files)
    assert "train" in names and "dev" in names and "test" in names
    assert not [p for p in (tmp_path / "a").rglob("*.tmp")]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_on_the_sample_project(sample: Loaded, tmp_path: Path, fmt: str) -> None:
    _needs(fmt)
    ref = stored(sample, tmp_path)
    result = export(sample, fmt, tmp_path / fmt, split=(0.5, 0.25, 0.25), seed=1)
    assert result.problems == []
    assert sum(c["attributions"] for c in result.counts.values()) == len(ref) > 20
    assert sum(c["documents"] for c in result.counts.values()) == 3  # the annotated articles
    manifest = json.loads((tmp_path / fmt / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        assert (tmp_path / fmt / name).stat().st_size == entry["bytes"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_on_turan(turan: Loaded, tmp_path: Path, fmt: str) -> None:
    _needs(fmt)
    result = export(turan, fmt, tmp_path / fmt)
    assert result.problems == [] and result.counts["all"]["attributions"] == 14
    manifest = json.loads((tmp_path / fmt / "manifest.json").read_text())
    assert manifest["files"] and all((tmp_path / fmt / f).stat().st_size for f in manifest["files"])


def test_native_round_trip_is_byte_identical(turan: Loaded, tmp_path: Path) -> None:
    from annotator.importing.pipeline import import_paths
    from annotator.services.projects import find_project
    from annotator.storage.engine import Database

    for loaded in (turan, fx.load_synthetic(turan.db)):
        for status in (Status.AUTO, Status.ALL):
            first = tmp_path / f"{loaded.project_name}-{status}-1"
            export(loaded, "native", first, status=status)
            empty = Database.open(tmp_path / f"{loaded.project_name}-{status}.sqlite3")
            files = [first / "actors.jsonl", first / "targets.jsonl", first / "documents.jsonl"]
            report = import_paths(empty, files, project="Copy", annotator="someone-else")
            assert report.errors == [] and report.attributions_added > 0
            project = find_project(empty, "Copy")
            assert project is not None
            second = tmp_path / f"{loaded.project_name}-{status}-2"
            export_dataset(empty, ExportOptions("native", second, project.id, status=status))
            empty.dispose()
            for name in ("documents.jsonl", "actors.jsonl", "targets.jsonl"):
                assert (first / name).read_bytes() == (second / name).read_bytes(), name
            assert (first / "documents.jsonl").read_text().count("\n") >= 1


def _parse_ann(path: Path) -> tuple[dict[str, tuple[str, list[tuple[int, int]], str]], list[str]]:
    tb: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    other: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, mid, words = line.split("\t")
            label, where = mid.split(" ", 1)
            frags = [tuple(int(x) for x in f.split()) for f in where.split(";")]
            tb[tid] = (label, frags, words)  # type: ignore[assignment]
        else:
            other.append(line)
    return tb, other


@pytest.mark.parametrize("which", ["turan", "synthetic", "sample"])
def test_brat_reparsed_spans_equal_stored(
    request: pytest.FixtureRequest, tmp_path: Path, which: str
) -> None:
    if which == "turan":
        request.getfixturevalue("corpus")
    loaded: Loaded = request.getfixturevalue(which)
    ref = stored(loaded, tmp_path)
    doc_texts = texts(loaded, tmp_path)
    export(loaded, "brat", tmp_path / "brat")
    seen = 0
    for ann in (tmp_path / "brat").glob("*.ann"):
        text = (tmp_path / "brat" / ann.with_suffix(".txt").name).read_text(encoding="utf-8")
        assert text == doc_texts[ann.stem]
        tb, other = _parse_ann(ann)
        for _tid, (_label, frags, words) in tb.items():
            assert words == " ".join(text[s:e] for s, e in frags)
        notes = {ln.split("\t")[1].split()[1]: ln.split("\t")[2] for ln in other if ln[0] == "#"}
        attrs = [ln.split("\t")[1].split() for ln in other if ln[0] == "A"]
        for line in (ln for ln in other if ln[0] == "E"):
            eid, args = line.split("\t")
            roles = dict(a.split(":") for a in args.split())
            rec_id = re.search(r"id=([0-9a-f-]+)", notes[eid]).group(1)  # type: ignore[union-attr]
            rec = ref[rec_id]
            label, frags, _ = tb[roles["Content"]]
            assert label == "Content"
            assert frags == [(c["start"], c["end"]) for c in rec["content"]]
            if rec["mention"]:
                assert tb[roles["Source"]][1] == [(rec["mention"]["start"], rec["mention"]["end"])]
            if rec["cue"]:
                assert tb[roles["Attribution"]][0] == "Cue"
                assert tb[roles["Attribution"]][1] == [(rec["cue"]["start"], rec["cue"]["end"])]
            if rec["speaker"]:
                assert f"speaker={rec['speaker']}" in notes[eid]
            assert ["Kind", eid, rec["kind"]] in attrs
            if rec["polarity"]:
                assert ["Polarity", eid, rec["polarity"]] in attrs
            seen += 1
    assert seen == len(ref)
    assert (tmp_path / "brat" / "annotation.conf").read_text().startswith("#")


@pytest.mark.parametrize("which", ["turan", "synthetic", "sample"])
def test_citron_reparsed_spans_equal_stored(
    request: pytest.FixtureRequest, tmp_path: Path, which: str
) -> None:
    if which == "turan":
        request.getfixturevalue("corpus")
    loaded: Loaded = request.getfixturevalue(which)
    ref = stored(loaded, tmp_path)
    export(loaded, "citron", tmp_path / "c", split=(0.5, 0.5, 0.0))
    seen = 0
    for path in (tmp_path / "c").glob("*/*.json"):
        assert path.parent.name in ("train", "dev")
        obj = json.loads(path.read_text(encoding="utf-8"))
        for q in obj["quotes"]:
            rec = ref[q["id"]]
            assert q["contents"] == rec["content"]
            assert q["cue"] == rec["cue"]
            assert q["sources"] == ([rec["mention"]] if rec["mention"] else [])
            assert (q["speaker"], q["via"], q["target"]) == (
                rec["speaker"],
                rec["via"],
                rec["target"],
            )
            for span in [*q["contents"], *q["sources"]]:
                assert obj["text"][span["start"] : span["end"]] == span["text"]
            seen += 1
    assert seen == len(ref)


def test_spacy_docbin_loads_back(turan: Loaded, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    ref = stored(turan, tmp_path)
    export(turan, "spacy", tmp_path / "s")
    nlp = spacy.blank("en")
    (doc,) = DocBin().from_disk(tmp_path / "s" / "corpus.spacy").get_docs(nlp.vocab)
    assert doc.text == turan.text
    spans = doc.spans["attributions"]
    expected = sum(len(a["content"]) + bool(a["cue"]) + bool(a["mention"]) for a in ref.values())
    assert len(spans) == expected
    for span in spans:
        rec = ref[span.id_]
        chars = {"CONTENT": rec["content"], "CUE": [rec["cue"]], "SPEAKER": [rec["mention"]]}
        # "expand" alignment: the token span covers the stored character span
        assert any(
            span.start_char <= c["start"] and c["end"] <= span.end_char and c["text"] in span.text
            for c in chars[span.label_]
            if c
        )
    assert {a["id"] for a in doc.user_data["attributions"]} == set(ref)
    assert doc.user_data["document"]["title"] == "Khalafov in Tehran"


def test_hf_jsonl_and_parquet_per_split(synthetic: Loaded, tmp_path: Path) -> None:
    result = export(synthetic, "hf", tmp_path, split=(0.6, 0.2, 0.2))
    card = (tmp_path / "README.md").read_text()
    assert card.startswith("---\nconfigs:\n- config_name: attributions")
    total = 0
    for split in ("train", "dev", "test"):
        rows = read_jsonl(tmp_path / "attributions" / f"{split}.jsonl")
        assert len(rows) == result.counts[split]["attributions"]
        total += len(rows)
        for row in read_jsonl(tmp_path / "tokens" / f"{split}.jsonl"):
            assert len(row["tokens"]) == len(row["tags"]) == len(row["tag_ids"])
            assert [TAGS[i] for i in row["tag_ids"]] == row["tags"]
    assert total == sum(c["attributions"] for c in result.counts.values())
    pq = pytest.importorskip("pyarrow.parquet")
    for config in ("attributions", "tokens"):
        for split in ("train", "dev", "test"):
            table = pq.read_table(tmp_path / config / f"{split}.parquet")
            assert table.to_pylist() == read_jsonl(tmp_path / config / f"{split}.jsonl")


def test_conll_bio_layer(turan: Loaded, tmp_path: Path) -> None:
    ref = stored(turan, tmp_path)
    result = export(turan, "conll", tmp_path / "c")
    lines = (tmp_path / "c" / "corpus.conll").read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t") for ln in lines if ln and not ln.startswith("-DOCSTART-")]
    assert all(tag in TAGS for _, tag in rows)
    # an I- tag always continues a span of the same label
    for (_, prev), (_, tag) in zip(rows, rows[1:], strict=False):
        if tag.startswith("I-"):
            assert prev[2:] == tag[2:]
    contents = sum(len(a["content"]) for a in ref.values())
    b_content = sum(1 for _, t in rows if t == "B-CONTENT")
    assert 0 < b_content <= contents
    dropped = sum(int(n.split()[1]) for n in result.notes if n.startswith("conll"))
    cues = sum(1 for a in ref.values() if a["cue"])
    mentions = sum(1 for a in ref.values() if a["mention"])
    b_all = sum(1 for _, t in rows if t.startswith("B-"))
    assert b_all + dropped <= contents + cues + mentions
    first = next(a for a in ref.values() if a["content"][0]["text"].startswith("maintaining"))
    words = first["content"][0]["text"].split()[:3]
    i = next(k for k, (tok, _) in enumerate(rows) if tok == "maintaining")
    assert [r[0] for r in rows[i : i + 3]] == words
    assert rows[i][1] == "B-CONTENT" and rows[i + 1][1] == "I-CONTENT"


def test_stance_rows(turan: Loaded, tmp_path: Path) -> None:
    ref = stored(turan, tmp_path)
    export(turan, "stance", tmp_path)
    rows = read_jsonl(tmp_path / "stance.jsonl")
    assert len(rows) == sum(1 for a in ref.values() if a["target"] and a["polarity"])
    mapping = {"support": "FAVOR", "oppose": "AGAINST", "neutral": "NONE", "unclear": "NONE"}
    for row in rows:
        rec = ref[row["id"]]
        assert row["label"] == mapping[rec["polarity"]]
        assert row["target"] == rec["target"] and row["speaker"] == rec["speaker"]
        assert rec["content"][0]["text"] in row["context"]


def test_quotes_csv_parses_back(synthetic: Loaded, tmp_path: Path) -> None:
    export(synthetic, "quotes-csv", tmp_path)
    export(synthetic, "quotes-jsonl", tmp_path)
    with open(tmp_path / "quotes.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ref = read_jsonl(tmp_path / "quotes.jsonl")
    assert [r["id"] for r in rows] == [r["id"] for r in ref]
    for row, want in zip(rows, ref, strict=True):
        assert row["content"] == want["content"] and row["context"] == want["context"]
        assert row["content_spans"] == ";".join(f"{s}-{e}" for s, e in want["content_spans"])


def test_native_split_export_folder_reimports_byte_identical(
    synthetic: Loaded, tmp_path: Path
) -> None:
    """`annotator import DIR` on a split export folder, then the same export: same bytes, same
    split of every document (ids are kept, and the split depends on ids and texts only)."""
    from annotator.importing.pipeline import import_paths
    from annotator.services.projects import find_project
    from annotator.storage.engine import Database

    first = tmp_path / "first"
    export(synthetic, "native", first, split=(0.5, 0.3, 0.2), seed=5)
    empty = Database.open(tmp_path / "empty.sqlite3")
    report = import_paths(empty, [first], project="Copy", annotator="someone-else")
    assert report.errors == []
    project = find_project(empty, "Copy")
    assert project is not None
    second = tmp_path / "second"
    export_dataset(
        empty, ExportOptions("native", second, project.id, split=(0.5, 0.3, 0.2), seed=5)
    )
    empty.dispose()
    data = sorted(p.name for p in first.iterdir() if p.suffix == ".jsonl")
    assert data == ["actors.jsonl", "dev.jsonl", "targets.jsonl", "test.jsonl", "train.jsonl"]
    for name in data:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_identical_bytes_across_processes_with_different_hash_seeds(
    synthetic: Loaded, tmp_path: Path
) -> None:
    """Nothing may depend on PYTHONHASHSEED (set iteration, hash()): two fresh processes."""
    import os
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path;"
        "from annotator.storage.engine import Database;"
        "from annotator.exporting.base import ExportOptions;"
        "from annotator.exporting.service import export_dataset;"
        "db = Database.open(sys.argv[1]);"
        "[export_dataset(db, ExportOptions(f, Path(sys.argv[2]) / f, sys.argv[3],"
        " split=(0.6, 0.2, 0.2), seed=9)) for f in sys.argv[4:]]"
    )
    formats = ["native", "quotes-csv", "hf", "conll"]
    if __import__("importlib").util.find_spec("spacy"):
        formats.append("spacy")
    db_path = str(synthetic.db.path)
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-c",
                script,
                db_path,
                str(tmp_path / seed),
                synthetic.project_id,
                *formats,
            ],
            check=True,
            env=env,
        )
    files = sorted(
        p.relative_to(tmp_path / "1") for p in (tmp_path / "1").rglob("*") if p.is_file()
    )
    assert len(files) > 20
    for rel in files:
        assert (tmp_path / "1" / rel).read_bytes() == (tmp_path / "2" / rel).read_bytes(), rel


def test_native_lines_are_formatted_fast_and_match_the_serializers() -> None:
    """The native writer formats lines directly (exporting/native_fast.py) only while they equal
    annotator/native.py's serializers; after a change there it falls back (slower, still right)."""
    from annotator.exporting.native import FAST_LINES, dumps
    from annotator.exporting.native_fast import fast_line_matches

    assert fast_line_matches(dumps)
    assert FAST_LINES, "native_fast.py no longer matches annotator/native.py: update it"
