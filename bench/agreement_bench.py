"""Agreement over a large project: time to compute the full report (all scopes).

    python bench/agreement_bench.py [--docs 2000] [--runs 5]

Builds a project of N documents (~300 words each) coded by 3 annotators with ~10 quotes each
(drifting boundaries, missed quotes, other speakers/polarities), then times project_agreement
(the Agreement window's report, computed in the background): median of >= 5 runs, wall time,
and peak memory of the process. Targets: < 10 s and < 500 MiB for 2,000 documents (the figure
scales with --docs: 5 ms and 0.25 MiB a document); the bench exits 1 if one misses.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import MIN_RUNS, Verdicts, machine_note, peak_rss_mib, repeat  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from vocabulary import NEWS_WORDS  # noqa: E402

from annotator.model import new_id, utcnow  # noqa: E402
from annotator.services.projects import get_or_create_annotator, get_or_create_project  # noqa: E402
from annotator.storage import schema  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402
from annotator.team.agreement_service import project_agreement  # noqa: E402
from annotator.text import sha256_text  # noqa: E402

WORDS = NEWS_WORDS
POLARITIES = ["support", "oppose", "neutral", "unclear"]


def build(db: Database, n_docs: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    project = get_or_create_project(db, "Bench")
    annotators = [get_or_create_annotator(db, n).id for n in ("ann", "ben", "cat")]
    now = utcnow()
    with db.session() as s:
        actors = [new_id() for _ in range(20)]
        s.execute(
            insert(schema.Actor),
            [
                {"id": a, "project_id": project.id, "name": f"Actor {k}"}
                for k, a in enumerate(actors)
            ],
        )
        docs, attrs = [], []
        for d in range(n_docs):
            text = " ".join(rnd.choice(WORDS) for _ in range(300)) + "."
            doc_id = new_id()
            docs.append(
                {
                    "id": doc_id,
                    "project_id": project.id,
                    "title": f"Doc {d}",
                    "text": text,
                    "text_sha256": sha256_text(text),
                    "length": len(text),
                }
            )
            for q in range(10):
                start, end = q * 180 + 12, q * 180 + 150
                speaker = rnd.choice(actors)
                polarity = rnd.choice(POLARITIES)
                for k, ann in enumerate(annotators):
                    if k and rnd.random() < 0.1:
                        continue
                    shift = rnd.choice([0, 0, 0, 7, -9]) if k else 0
                    attrs.append(
                        {
                            "id": new_id(),
                            "document_id": doc_id,
                            "annotator_id": ann,
                            "content_spans": [[start + shift, end]],
                            "speaker_id": speaker if rnd.random() > 0.1 else rnd.choice(actors),
                            "polarity": polarity if rnd.random() > 0.2 else rnd.choice(POLARITIES),
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
        s.execute(insert(schema.Document), docs)
        s.execute(insert(schema.Attribution), attrs)
    return project.id


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=MIN_RUNS)
    args = parser.parse_args()
    runs = max(args.runs, MIN_RUNS)
    v = Verdicts()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        t0 = time.perf_counter()
        pid = build(db, args.docs)
        print(f"built {args.docs} documents in {time.perf_counter() - t0:.1f} s (setup)")
        before = peak_rss_mib()
        reports = []
        t = repeat(lambda: reports.append(project_agreement(db, pid)), runs)
        fig = reports[-1].project
        print(
            f"agreement: median {t.median:.2f} s, worst {t.worst:.2f} s over {runs} runs"
            f" ({args.docs / t.median:.0f} documents/s) on {fig.quotes} attributions;"
            f" overlap F1 {fig.overlap_f1.value:.3f}, token alpha {fig.token_alpha.value:.3f}"
            f" over {fig.token_alpha.items} tokens, stance alpha {fig.stance.value:.3f}"
        )
        peak = peak_rss_mib()
        print(f"memory: {before:.0f} MiB after building, peak {peak:.0f} MiB")
        v.check("project agreement (median)", t.median, 10 * args.docs / 2000, "s")
        v.check("peak memory", peak, 500 * max(1.0, args.docs / 2000), "MiB")
        db.dispose()
    print(machine_note())
    return v.finish()


if __name__ == "__main__":
    raise SystemExit(main())
