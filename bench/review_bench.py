"""Review over a large project: queue, one document's comparison, one decision + undo.

Run on demand (not a test):  /work/venv/bin/python bench/review_bench.py [--docs 2000]
Builds N documents (~300 words) with 2 analysts x ~10 submitted quotes each (half with drifted
boundaries or another polarity), then times what the review window does on the GUI thread:
review_queue (the left pane; loaded off the GUI thread), one queue entry (refreshed after each
decision, on the GUI thread), comparison of a document, accept + revert + reapply.
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


def timed(label: str, fn, repeat: int = 5) -> object:  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    print(f"{label:<40} {best * 1000:8.1f} ms (best of {repeat})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        t = time.perf_counter()
        project_id, (doc_id,), lead = build(db, args.docs, random.Random(7))
        print(f"built {args.docs} documents, {args.docs * 20} attributions "
              f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
        queue = timed(
            f"review_queue ({args.docs} documents)", lambda: review.review_queue(db, project_id)
        )
        assert len(queue) == args.docs  # type: ignore[arg-type]
        timed(
            "review_queue, one entry (after a decision)",
            lambda: review.review_queue(db, project_id, [doc_id]),
        )
        cmp = timed("comparison (1 document, 20 quotes)", lambda: review.comparison(db, doc_id))
        member = next(iter(cmp.groups[0].members.values()))  # type: ignore[attr-defined]
        change = timed("accept into gold", lambda: review.accept(db, member.id, lead), 1)
        timed("revert (undo)", lambda: review.revert_change(db, change, lead), 1)  # type: ignore[arg-type]
        timed("reapply (redo)", lambda: review.reapply_change(db, change, lead), 1)  # type: ignore[arg-type]
        db.dispose()


if __name__ == "__main__":
    main()
