"""Proof that exports train without hand-fixing, on demand (not a test):

    python bench/train_check.py [--corpus ../shared/corpus/polnear-train] [--articles N]
                                [--steps 200] [--keep DIR]

1. imports a BRAT corpus (PolNeAR's layout) with `annotator import` into a new database;
2. exports `spacy`, `hf` and `conll` with `--status all --split 0.8,0.1,0.1 --seed 1`;
3. trains spaCy (blank pipelines, ner and spancat) with the commands written in the spaCy
   export's README.md, run as written from the export folder (only a step limit is appended);
4. loads the HF export with `datasets` (offline), both configs;
5. reads the CoNLL files as a plain CoNLL-2003 reader does, runs seqeval on them, converts them
   with `spacy convert -c ner`, and scores the trained ner model's predictions on the dev split
   with seqeval;
then prints one row per format: what loaded it, the problems seen, what was fixed by hand
(nothing may be). Needs the extras: pip install -e '.[spacy,parquet,train-check]'.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "polnear-train"
OFFLINE = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "annotator", *args]
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd)
    if run.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{run.stdout}\n{run.stderr}")
    return run


def subset(corpus: Path, articles: int | None, work: Path) -> Path:
    """The corpus, or its first N articles (text + every annotator's .ann) in a copy."""
    if not articles:
        return corpus
    out = work / "corpus"
    (out / "text").mkdir(parents=True)
    (out / "attributions").mkdir()
    for text in sorted((corpus / "text").glob("*.txt"))[:articles]:
        shutil.copy(text, out / "text")
        for ann in (corpus / "attributions").glob(f"{text.stem}_*.ann"):
            shutil.copy(ann, out / "attributions")
    return out


def conll_rows(path: Path) -> list[list[tuple[str, str]]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-") or not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        token, tag = line.split("\t")
        current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def check_conll(out: Path, ner_model: Path | None) -> dict[str, object]:
    from seqeval.metrics import classification_report, f1_score
    from seqeval.metrics.sequence_labeling import get_entities

    problems = []
    result: dict[str, object] = {}
    for split in ("train", "dev", "test"):
        rows = conll_rows(out / f"{split}.conll")
        tags = [[t for _, t in s] for s in rows]
        b = sum(t.startswith("B-") for s in tags for t in s)
        chunks = sum(len(get_entities(s)) for s in tags)
        starts_i = sum(s[0].startswith("I-") for s in tags)
        if chunks != b or starts_i:
            problems.append(
                f"{split}: {chunks} seqeval chunks for {b} B- tags, {starts_i} I- starts"
            )
        result[f"{split}_sentences"] = len(rows)
        result[f"{split}_chunks"] = chunks
    conv = out / "converted"
    conv.mkdir(exist_ok=True)
    run = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(out / "dev.conll"), str(conv), "-c", "ner"],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        problems.append(f"spacy convert failed: {run.stderr[-300:]}")
    else:
        import spacy
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(conv / "dev.spacy").get_docs(spacy.blank("xx").vocab))
        ents = sum(len(d.ents) for d in docs)
        if ents != result["dev_chunks"]:
            problems.append(f"spacy convert: {ents} entities for {result['dev_chunks']} chunks")
        result["spacy_convert_dev_entities"] = ents
    if ner_model is not None:  # the quick ner model, scored by seqeval on the dev CoNLL
        import spacy
        from spacy.tokens import Doc

        nlp = spacy.load(ner_model)
        gold, pred = [], []
        for sentence in conll_rows(out / "dev.conll"):
            words = [t for t, _ in sentence]
            doc = nlp(Doc(nlp.vocab, words=words))
            labels = {"SPEAKER": "SOURCE"}  # spaCy's label for the mention, CoNLL's name
            pred.append(
                [
                    "O"
                    if t.ent_iob_ in ("O", "")
                    else f"{t.ent_iob_}-{labels.get(t.ent_type_, t.ent_type_)}"
                    for t in doc
                ]
            )
            gold.append([t for _, t in sentence])
        result["seqeval_ner_dev_f1"] = round(f1_score(gold, pred), 4)
        result["seqeval_report"] = classification_report(gold, pred, digits=3)
    result["problems"] = problems
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--articles", type=int, default=0, help="only the first N articles")
    ap.add_argument("--steps", type=int, default=200, help="spaCy training steps")
    ap.add_argument("--keep", type=Path, help="work here and keep the files")
    args = ap.parse_args()
    if not (args.corpus / "text").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    os.environ.update(OFFLINE)
    work = args.keep or Path(tempfile.mkdtemp(prefix="train-check-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["HF_HOME"] = str(work / "hf-home")
    db = str(work / "check.sqlite3")
    table: list[tuple[str, str, str, str]] = []
    t0 = time.perf_counter()
    corpus = subset(args.corpus, args.articles, work)
    run = cli("--db", db, "import", str(corpus), "--project", "Check")
    summary = run.stdout.strip().splitlines()[-1]
    skipped = [line for line in run.stderr.splitlines() if "skipped event" in line]
    print(f"import: {summary} [{time.perf_counter() - t0:.0f} s]")
    table.append(
        (
            "import (BRAT)",
            "annotator import",
            f"{len(skipped)} events without Content, named in the report",
            "none",
        )
    )
    exports = {}
    for fmt in ("spacy", "hf", "conll"):
        out = work / f"export-{fmt}"
        shutil.rmtree(out, ignore_errors=True)
        cli("--db", db, "export", "--format", fmt, "--out", str(out), "--status", "all",
            "--split", "0.8,0.1,0.1", "--seed", "1")  # fmt: skip
        exports[fmt] = out
    manifest = json.loads((exports["spacy"] / "manifest.json").read_text())
    counts = {s: c["attributions"] for s, c in manifest["counts"].items()}
    print(f"exported attributions per split: {counts}")

    # spaCy: the card's own commands, as written, from the export folder
    card = (exports["spacy"] / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^(python -m spacy train .+)$", card, flags=re.MULTILINE)
    scores = {}
    problems = [] if len(commands) == 2 else [f"{len(commands)} train commands in the card"]
    for command in commands:
        argv = [sys.executable if a == "python" else a for a in shlex.split(command)]
        argv += ["--training.max_steps", str(args.steps), "--training.eval_frequency",
                 str(max(args.steps // 4, 1))]  # fmt: skip
        t = time.perf_counter()
        run = subprocess.run(argv, cwd=exports["spacy"], capture_output=True, text=True)
        if run.returncode != 0:
            problems.append(f"{command}: exit {run.returncode}: {run.stderr[-400:]}")
            continue
        output = exports["spacy"] / argv[argv.index("--output") + 1]
        meta = json.loads((output / "model-best" / "meta.json").read_text())
        perf = meta.get("performance", {})
        key = "ents_f" if "ner" in command else "spans_attributions_f"
        scores[command.split()[4]] = (perf.get(key), time.perf_counter() - t)
        print(f"{command}  ->  {key} {perf.get(key)}  [{time.perf_counter() - t:.0f} s]")
    table.append(
        (
            "spacy (DocBin)",
            "spacy train (card's commands: ner, spancat)",
            "; ".join(problems) or "none",
            "none",
        )
    )

    # HF: datasets, offline
    import datasets

    hf_problems = []
    for config in ("attributions", "tokens"):
        ds = datasets.load_dataset(str(exports["hf"]), config, cache_dir=str(work / "hf-cache"))
        print(f"datasets {config}: " + ", ".join(f"{k} {v.num_rows}" for k, v in ds.items()))
        if config == "attributions":
            got = {k: v.num_rows for k, v in ds.items()}
            if got != counts:
                hf_problems.append(f"rows {got} != manifest {counts}")
        else:
            bad = sum(r["tags"][0].startswith("I-") for split in ds.values() for r in split)
            if bad:
                hf_problems.append(f"{bad} token rows start with I-")
    table.append(
        (
            "hf (JSONL + Parquet)",
            "datasets.load_dataset (both configs)",
            "; ".join(hf_problems) or "none",
            "none",
        )
    )

    ner_model = exports["spacy"] / "model-ner" / "model-best"
    conll = check_conll(exports["conll"], ner_model if ner_model.is_dir() else None)
    table.append(
        (
            "conll",
            "plain CoNLL-2003 reader, seqeval, spacy convert -c ner",
            "; ".join(conll["problems"]) or "none",
            "none",
        )
    )  # type: ignore[arg-type]
    print(conll.pop("seqeval_report", ""))
    print({k: v for k, v in conll.items() if k != "problems"})

    print("\n| format | loaded with | problems | fixed by hand |\n|---|---|---|---|")
    for row in table:
        print("| " + " | ".join(row) + " |")
    for name, (f1, secs) in scores.items():
        print(f"quick training ({args.steps} steps): {name} F1 {f1} in {secs:.0f} s")
    print(f"files in {work}" if args.keep else "")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    bad = problems or hf_problems or conll["problems"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
