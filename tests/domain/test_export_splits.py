"""Splits: grouped by document, near-duplicates kept together, seeded, stratified by polarity."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.exporting.base import ExportOptions
from annotator.exporting.service import export_dataset
from annotator.exporting.splits import (
    DocStats,
    assign_splits,
    near_duplicate_groups,
    parse_ratios,
    signature,
    similarity,
)
from tests.domain import test_export_fixtures as fx
from tests.domain.test_export_fixtures import Loaded, read_jsonl

synthetic = fx.synthetic  # fixture

VOCAB = [f"w{i}" for i in range(400)]
LABELS = ["support", "oppose", "neutral", "unclear"]


def article(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(words)) + "."


def near_copy(rng: random.Random, text: str, edits: int) -> str:
    """A wire copy: a dateline added and a few words changed (on 80+ words, up to 3 edits keep
    the word 4-gram Jaccard similarity above 0.55: "near-identical" in the splitter's sense)."""
    words = text.split()
    for _ in range(edits):
        words[rng.randrange(len(words))] = rng.choice(["Reuters", "AFP", "said", "today"])
    return "LONDON (Wire) - " + " ".join(words)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    originals=st.integers(2, 25),
    copies=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 3)), max_size=12),
    ratios=st.sampled_from([(0.8, 0.1, 0.1), (0.5, 0.5, 0.0), (0.34, 0.33, 0.33)]),
    split_seed=st.integers(0, 5),
)
def test_near_duplicates_never_cross_splits(
    seed: int,
    originals: int,
    copies: list[tuple[int, int]],
    ratios: tuple[float, float, float],
    split_seed: int,
) -> None:
    rng = random.Random(seed)
    docs: list[DocStats] = []
    texts: list[str] = []
    for _ in range(originals):
        texts.append(article(rng, rng.randint(80, 200)))
    planted: list[tuple[int, int]] = []
    for n, (of, edits) in enumerate(copies):
        source = of % originals
        texts.append(near_copy(rng, texts[source], edits))
        planted.append((source, originals + n))
    for i, text in enumerate(texts):
        labels = Counter(rng.choice(LABELS) for _ in range(rng.randint(1, 4)))
        docs.append(DocStats(f"doc-{i:03d}-{seed}", signature(text), labels))
    rng.shuffle(docs)  # input order must not matter
    mapping, _ = assign_splits(docs, ratios, split_seed)
    by_index = {int(d.id.split("-")[1]): mapping[d.id] for d in docs}
    assert set(mapping) == {d.id for d in docs}  # every document in exactly one split
    assert set(mapping.values()) <= {"train", "dev", "test"}
    for a, b in planted:
        assert by_index[a] == by_index[b], (a, b)
    if ratios[2] == 0:
        assert "test" not in mapping.values()
    again, _ = assign_splits(list(reversed(docs)), ratios, split_seed)
    assert again == mapping  # seeded and order-independent


def test_similarity_separates_copies_from_other_articles() -> None:
    rng = random.Random(1)
    a = article(rng, 300)
    b = article(rng, 300)
    assert similarity(signature(a), signature(near_copy(rng, a, 3))) > 0.7
    assert similarity(signature(a), signature(b)) < 0.2
    groups = near_duplicate_groups([signature(a), signature(b), signature(near_copy(rng, a, 2))])
    assert sorted(map(sorted, groups)) == [[0, 2], [1]]


def test_stratified_by_polarity_where_counts_allow() -> None:
    rng = random.Random(5)
    docs = [
        DocStats(f"d{i}", signature(article(rng, 80)), Counter({LABELS[i % 4]: 2}))
        for i in range(200)
    ]
    mapping, groups = assign_splits(docs, (0.8, 0.1, 0.1), seed=11)
    assert groups == 0
    per_split: dict[str, Counter[str]] = {}
    for d in docs:
        per_split.setdefault(mapping[d.id], Counter()).update(d.labels)
    assert Counter(mapping.values()) == {"train": 160, "dev": 20, "test": 20}
    for split in ("dev", "test"):
        assert all(per_split[split][lab] == 10 for lab in LABELS), per_split[split]


def test_seed_changes_the_assignment() -> None:
    rng = random.Random(9)
    docs = [DocStats(f"d{i}", signature(article(rng, 60)), Counter(support=1)) for i in range(50)]
    a, _ = assign_splits(docs, (0.5, 0.25, 0.25), seed=1)
    b, _ = assign_splits(docs, (0.5, 0.25, 0.25), seed=2)
    assert a != b
    assert a == assign_splits(docs, (0.5, 0.25, 0.25), seed=1)[0]


def test_small_projects_still_fill_every_split() -> None:
    rng = random.Random(2)
    docs = [DocStats(f"d{i}", signature(article(rng, 60)), Counter(oppose=1)) for i in range(3)]
    mapping, _ = assign_splits(docs, (0.8, 0.1, 0.1), seed=0)
    assert sorted(mapping.values()) == ["dev", "test", "train"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.8,0.1,0.1", (0.8, 0.1, 0.1)), ("8,1,1", (0.8, 0.1, 0.1)), ("0.9,0.1", (0.9, 0.1, 0.0))],
)
def test_parse_ratios(value: str, expected: tuple[float, float, float]) -> None:
    assert parse_ratios(value) == pytest.approx(expected)


@pytest.mark.parametrize("value", ["a,b,c", "1", "0,0,0", "-1,1,1", "1,1,1,1"])
def test_parse_ratios_rejects(value: str) -> None:
    with pytest.raises(ValueError, match="--split"):
        parse_ratios(value)


def test_export_split_files_share_no_document(synthetic: Loaded, tmp_path: Path) -> None:
    for seed in range(4):
        out = tmp_path / str(seed)
        result = export_dataset(
            synthetic.db,
            ExportOptions("native", out, synthetic.project_id, split=(0.6, 0.2, 0.2), seed=seed),
        )
        ids = {
            s: [d["id"] for d in read_jsonl(out / f"{s}.jsonl")] for s in ("train", "dev", "test")
        }
        flat = [i for v in ids.values() for i in v]
        assert len(flat) == len(set(flat)) == sum(c["documents"] for c in result.counts.values())
        titles = {d["title"]: s for s in ids for d in read_jsonl(out / f"{s}.jsonl")}
        # Article 12 is a wire copy of Article 0: always in the same split
        assert titles["Article 0"] == titles["Article 12"]
        assert result.near_duplicate_groups >= 1
        assert all(ids.values())
