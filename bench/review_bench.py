"""Review over a large project: queue, one document's comparison, decisions and their undo.

    python bench/review_bench.py [--docs 2000] [--runs 5]

Builds N documents (~300 words) with 2 analysts x ~10 submitted quotes each (half with drifted
boundaries or another polarity), then times what the review window does: review_queue (the left
pane, loaded off the GUI thread), one queue entry (refreshed after each decision, on the GUI
thread), the comparison of a document, and accept / revert / reapply (each on a different
quote in every run). Medians of >= 5 runs, wall time; the bench checks each against its target
and exits 1 if one misses. Targets: on the GUI thread < 100 ms each (a user's keystroke); the
whole queue (a background load) < 2 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import MIN_RUNS, Verdicts, machine_note, repeat  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from vocabulary import NEWS_WORDS  # noqa: E402

from annotator.model import new_id, utcnow  # noqa: E402
from annotator.services.projects import get_or_create_annotator, get_or_create_project  # noqa: E402
from annotator.storage import schema  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402
from annotator.team import review  # noqa: E402
from annotator.text import sha256_text  # noqa: E402

WORDS = NEWS_WORDS


def build(db: Database, docs: int, rng: random.Random) -> tuple[str, list[str], str]:
    project = get_or_create_project(db, "bench")
    anns = [get_or_create_annotator(db, f"analyst{i}").id for i in range(2)]
    lead = get_or_create_annotator(db, "lead").id
    now = utcnow()
    doc_rows, att_rows, work_rows = [], [], []
    first = ""
    for d in range(docs):
        text = " ".join(rng.choice(WORDS) for _ in range(300))
        doc_id = new_id()
        first = first or doc_id
        doc_rows.append(
            dict(id=doc_id, project_id=project.id, title=f"Article {d}", text=text,
                 text_sha256=sha256_text(text), length=len(text), created_at=now, updated_at=now)
        )  # fmt: skip
        for q in range(10):
            start = q * (len(text) // 10)
            for k, ann in enumerate(anns):
                drift = rng.randint(0, 6) if k and rng.random() < 0.5 else 0
                pol = "oppose" if k and rng.random() < 0.2 else "support"
                att_rows.append(
                    dict(id=new_id(), document_id=doc_id, annotator_id=ann,
                         content_spans=[[start + drift, start + 120]], kind="indirect",
                         polarity=pol, origin="manual", review_state="submitted",
                         proposition="", note="", review_comment="", source_ids=[],
                         created_at=now, updated_at=now)
                )  # fmt: skip
        for ann in anns:
            work_rows.append(
                dict(id=new_id(), document_id=doc_id, annotator_id=ann, status="done",
                     created_at=now, updated_at=now)
            )  # fmt: skip
    with db.session() as s:
        s.execute(insert(schema.Document), doc_rows)
        s.execute(insert(schema.Attribution), att_rows)
        s.execute(insert(schema.DocumentWork), work_rows)
    return project.id, [first], lead


def timed(label: str, fn: Callable[[], object], runs: int, limit_ms: float, v: Verdicts) -> None:
    t = repeat(fn, runs)
    print(f"{label:<44} median {t.median * 1000:8.1f} ms, worst {t.worst * 1000:8.1f} ms"
          f" (n={runs})")  # fmt: skip
    v.check(label, t.median * 1000, limit_ms, "ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=MIN_RUNS)
    args = parser.parse_args()
    runs = max(args.runs, MIN_RUNS)
    v = Verdicts()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        t = time.perf_counter()
        project_id, (doc_id,), lead = build(db, args.docs, random.Random(7))
        print(f"built {args.docs} documents, {args.docs * 20} attributions "
              f"in {time.perf_counter() - t:.1f} s (setup)")  # fmt: skip
        queue = review.review_queue(db, project_id)
        assert len(queue) == args.docs
        timed(f"review_queue ({args.docs} documents)",
              lambda: review.review_queue(db, project_id), runs, 2000, v)  # fmt: skip
        timed("review_queue, one entry (after a decision)",
              lambda: review.review_queue(db, project_id, [doc_id]), runs, 100, v)  # fmt: skip
        timed("comparison (1 document, 20 quotes)",
              lambda: review.comparison(db, doc_id), runs, 100, v)  # fmt: skip
        members = [next(iter(g.members.values())) for g in review.comparison(db, doc_id).groups][
            :runs
        ]
        assert len(members) >= MIN_RUNS
        changes: list[object] = []
        decisions = {"accept into gold": [], "revert (undo)": [], "reapply (redo)": []}
        for member in members:
            for name, fn in (
                (
                    "accept into gold",
                    lambda m=member: changes.append(review.accept(db, m.id, lead)),
                ),
                ("revert (undo)", lambda: review.revert_change(db, changes[-1], lead)),  # type: ignore[arg-type]
                ("reapply (redo)", lambda: review.reapply_change(db, changes[-1], lead)),  # type: ignore[arg-type]
            ):
                t0 = time.perf_counter()
                fn()
                decisions[name].append(time.perf_counter() - t0)
        for name, values in decisions.items():
            values.sort()
            median = values[len(values) // 2] * 1000
            print(f"{name:<44} median {median:8.1f} ms, worst {values[-1] * 1000:8.1f} ms"
                  f" (n={len(values)}, a different quote each)")  # fmt: skip
            v.check(name, median, 100, "ms")
        db.dispose()
    print(machine_note())
    return v.finish()


if __name__ == "__main__":
    raise SystemExit(main())
