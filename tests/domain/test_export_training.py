"""Exports that train without hand-fixing (issue 12): CoNLL read by `spacy convert` and seqeval,
BIO rows that never start with I-, a DocBin with doc.ents that `spacy train` takes from the card's
own commands (ner and spancat), and HF files that `datasets` loads. The tools are optional
extras (spacy, train-check): each test skips cleanly without its tool."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.exporting.base import ExportOptions
from annotator.exporting.selection import PerDocument, Status
from annotator.exporting.service import export_dataset
from annotator.exporting.tokens import tag_sentences
from annotator.importing.pipeline import import_paths
from annotator.model import AttributionRecord, Span
from annotator.services.projects import find_project
from annotator.storage.engine import Database
from tests.domain.brat_corpus_fixture import write_corpus
from tests.domain.test_export_fixtures import read_jsonl

OFFLINE = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}


def _project(db: Database, tmp_path: Path) -> str:
    corpus = write_corpus(tmp_path / "corpus")
    report = import_paths(db, [corpus.root], project="P", annotator="me")
    assert report.ok, report.errors
    project = find_project(db, "P")
    assert project is not None
    return project.id


def _export(db: Database, project_id: str, fmt: str, out: Path, **kw):
    kw.setdefault("per_document", PerDocument.ALL)
    return export_dataset(db, ExportOptions(fmt, out, project_id, status=Status.ALL, **kw))


def conll_sentences(path: Path) -> tuple[list[list[tuple[str, str]]], int]:
    """(sentences of (token, tag), -DOCSTART- count), read as a plain CoNLL-2003 reader does."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    docstarts = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            docstarts += 1
            continue
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        token, tag = line.split("\t")
        current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences, docstarts


def test_conll_is_plain_conll_2003_with_a_documents_sidecar(db: Database, tmp_path: Path):
    project_id = _project(db, tmp_path)
    out = tmp_path / "c"
    result = _export(db, project_id, "conll", out)
    text = (out / "corpus.conll").read_text(encoding="utf-8")
    assert not [line for line in text.splitlines() if line.startswith("#")]
    sentences, docstarts = conll_sentences(out / "corpus.conll")
    assert docstarts == result.counts["all"]["documents"] == 2
    rows = (out / "corpus.documents.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t")[:3] == ["document_id", "document_external_id", "source_file"]
    assert len(rows) == 1 + docstarts
    assert sum(int(r.split("\t")[-1]) for r in rows[1:]) == len(sentences)
    for sentence in sentences:  # a span over a sentence boundary restarts with B-
        assert_bio_row([t for _, t in sentence])


def test_conll_comments_only_when_asked(db: Database, tmp_path: Path) -> None:
    project_id = _project(db, tmp_path)
    _export(db, project_id, "conll", tmp_path / "c", conll_comments=True)
    lines = (tmp_path / "c" / "corpus.conll").read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("# doc_id = ") for line in lines) == 2
    assert any(line.startswith("# sent_id = ") for line in lines)


def test_spacy_convert_and_seqeval_read_the_conll(db: Database, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    seqeval = pytest.importorskip("seqeval.metrics.sequence_labeling")
    from spacy.tokens import DocBin

    project_id = _project(db, tmp_path)
    out = tmp_path / "c"
    _export(db, project_id, "conll", out)
    sentences, _ = conll_sentences(out / "corpus.conll")
    tags = [[t for _, t in s] for s in sentences]
    b_tags = sum(t.startswith("B-") for s in tags for t in s)
    chunks = sum(len(seqeval.get_entities(s)) for s in tags)
    assert chunks == b_tags > 0  # seqeval sees no chunk that is not one of ours
    converted = tmp_path / "converted"
    converted.mkdir()
    cmd = [sys.executable, "-m", "spacy", "convert", str(out / "corpus.conll"), str(converted)]
    run = subprocess.run([*cmd, "-c", "ner"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    docs = list(DocBin().from_disk(converted / "corpus.spacy").get_docs(spacy.blank("xx").vocab))
    assert len(docs) == 2
    assert sum(len(d.ents) for d in docs) == chunks
    tokens = [tok for s in sentences for tok, _ in s]
    assert [t.text for d in docs for t in d] == tokens  # no comment line became a token


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(["He", "said", "it", "works", ".", "Then", "no", "!"]), min_size=4, max_size=30),
    data=st.data(),
)  # fmt: skip
def test_no_sentence_starts_inside_a_chunk(words: list[str], data) -> None:
    text = " ".join(words)
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 1, len(text)))
    if not text[start:end].strip():
        return
    record = AttributionRecord("a", "d", None, (Span(start, end),))
    sentences, _ = tag_sentences(text, [record])
    for sentence in sentences:
        assert_bio_row([tag for _, tag in sentence])


def assert_bio_row(tags: list[str]) -> None:
    """A row read alone: no I- at its start, every I- continues a chunk of its label."""
    assert not tags[0].startswith("I-"), tags
    for prev, tag in zip(tags, tags[1:], strict=False):
        assert not tag.startswith("I-") or (prev != "O" and prev[2:] == tag[2:]), tags


def test_unspaced_languages_are_tokenized_per_character() -> None:
    text = "部长表示，政府将继续谈判。Reuters reported."
    rec = AttributionRecord("a", "d", None, (Span(0, text.index("。")),))
    (first, *_), _ = tag_sentences(text, [rec], "zh")
    assert [t.text for t, _ in first][:4] == ["部", "长", "表", "示"]
    assert first[0][1] == "B-CONTENT" and first[1][1] == "I-CONTENT"
    (whole, *_), _ = tag_sentences(text, [rec], "en")
    assert whole[0][0].text == "部长表示"  # a spaced-language tokenizer keeps the run whole


def test_spacy_docbin_has_ents_and_all_spans(db: Database, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    project_id = _project(db, tmp_path)
    out = tmp_path / "s"
    result = _export(db, project_id, "spacy", out)
    docs = list(DocBin().from_disk(out / "corpus.spacy").get_docs(spacy.blank("en").vocab))
    assert len(docs) == 2
    spans = sum(len(d.spans["attributions"]) for d in docs)
    distinct = sum(len({(s.label_, s.start, s.end) for s in d.spans["attributions"]}) for d in docs)
    ents = sum(len(d.ents) for d in docs)
    assert 0 < ents < distinct < spans  # copies of one span count once; overlaps are left out
    for d in docs:
        ordered = sorted(d.ents, key=lambda e: e.start)
        assert all(a.end <= b.start for a, b in zip(ordered, ordered[1:], strict=False))
        assert {e.label_ for e in d.ents} <= {"CONTENT", "CUE", "SPEAKER"}
    left = next(n for n in result.notes if n.startswith("spacy:"))
    assert int(left.split()[1]) == distinct - ents
    card = (out / "README.md").read_text(encoding="utf-8")
    assert f"`doc.ents` leaves out {distinct - ents} overlapping span(s)" in card
    assert "spaCy tokenizers (documents): `en` 1, `fr` 1" in card
    for name in ("config.ner.cfg", "config.spancat.cfg"):
        assert 'train = "corpus.spacy"' in (out / name).read_text(encoding="utf-8")


def card_commands(card: str) -> list[str]:
    return re.findall(r"^(python -m spacy train .+)$", card, flags=re.MULTILINE)


@pytest.mark.slow
def test_spacy_trains_from_the_cards_own_commands(db: Database, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    project_id = _project(db, tmp_path)
    out = tmp_path / "s"
    _export(db, project_id, "spacy", out)
    commands = card_commands((out / "README.md").read_text(encoding="utf-8"))
    assert [c.split()[4] for c in commands] == ["config.ner.cfg", "config.spancat.cfg"]
    for command in commands:  # as written, from the export folder, plus a step limit
        argv = [sys.executable if a == "python" else a for a in shlex.split(command)]
        argv += ["--training.max_steps", "2", "--training.eval_frequency", "1"]
        run = subprocess.run(argv, cwd=out, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        model = out / argv[argv.index("--output") + 1] / "model-last"
        assert (model / "meta.json").is_file()


def test_datasets_loads_the_hf_export(db: Database, tmp_path: Path, monkeypatch) -> None:
    datasets = pytest.importorskip("datasets")
    for key, value in OFFLINE.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    project_id = _project(db, tmp_path)
    out = tmp_path / "hf"
    result = _export(db, project_id, "hf", out)
    quotes = datasets.load_dataset(str(out), "attributions", cache_dir=str(tmp_path / "cache"))
    tokens = datasets.load_dataset(str(out), "tokens", cache_dir=str(tmp_path / "cache"))
    assert quotes["train"].num_rows == result.counts["all"]["attributions"]
    assert tokens["train"].num_rows == len(read_jsonl(out / "tokens" / "train.jsonl"))
    for row in tokens["train"]:
        assert_bio_row(row["tags"])
    assert set(quotes["train"]["external_id"]) == {"E1", "E2", "E3", "E4"}
    assert os.listdir(tmp_path / "cache")  # read from the export, cached locally
