"""Speed of suggestions: one long article, and `annotator suggest` over a whole project.

Run on demand (not a test):
    python bench/suggest_speed_bench.py [--words 5000] [--runs 15] [--docs 10000]

1. Article: a 5,000-word article made of real news text (PolNeAR articles back to back when
   ../shared/corpus is there, else the team's sample articles), run through the rule engine
   `--runs` times. Prints the median wall time and peak traced memory, with the floor measured
   in the same run: preparing the text alone (tokens, sentences, quotations).
2. Project: a temporary SQLite project of `--docs` documents (real articles, each made unique by
   a numbered first line), then `suggest_documents` as `annotator suggest` runs it, with a
   progress callback. Prints total time, documents per second, the longest write transaction
   (what another window of the app could wait for), and the peak resident memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert  # noqa: E402

from annotator.model import new_id, utcnow  # noqa: E402
from annotator.services.projects import get_or_create_project  # noqa: E402
from annotator.services.suggest_batch import suggest_documents  # noqa: E402
from annotator.storage import schema  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402
from annotator.suggest.draft import Doc  # noqa: E402
from annotator.suggest.language import lexicon  # noqa: E402
from annotator.suggest.model import SuggestRequest  # noqa: E402
from annotator.suggest.rules import RuleEngine  # noqa: E402
from annotator.text import normalize_text, sha256_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "corpus" / "polnear-train" / "text"
SAMPLE = ROOT / "resources" / "sample" / "articles"


def articles() -> list[str]:
    folder = POLNEAR if POLNEAR.is_dir() else SAMPLE
    texts = [normalize_text(p.read_text(encoding="utf-8")) for p in sorted(folder.rglob("*.txt"))]
    if not texts:
        raise SystemExit(f"no articles under {folder}")
    return texts


def long_article(texts: list[str], words: int) -> str:
    out, n = [], 0
    for t in texts:
        out.append(t.strip())
        n += len(t.split())
        if n >= words:
            break
    return "\n\n".join(out)


def time_article(text: str, runs: int) -> None:
    engine = RuleEngine()
    request = SuggestRequest(text, "en")
    engine.suggest(request)  # warm the lexicon
    full, floor = [], []
    for _ in range(runs):
        began = time.perf_counter()
        Doc(text, lexicon("en"))
        floor.append(time.perf_counter() - began)
        began = time.perf_counter()
        found = engine.suggest(request)
        full.append(time.perf_counter() - began)
    tracemalloc.start()
    engine.suggest(request)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"article: {len(text.split())} words, {len(found)} suggestions;"
        f" median {statistics.median(full) * 1000:.0f} ms (min {min(full) * 1000:.0f},"
        f" max {max(full) * 1000:.0f}) over {runs} runs;"
        f" floor (text preparation alone) {statistics.median(floor) * 1000:.0f} ms;"
        f" peak traced memory {peak / 1e6:.1f} MB  (target < 200 ms)"
    )


def time_project(texts: list[str], docs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="suggest-bench-") as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        project = get_or_create_project(db, "Bench")
        now = utcnow()
        rows = []
        for n in range(docs):
            text = f"Story {n}.\n{texts[n % len(texts)]}"
            rows.append(
                {
                    "id": new_id(),
                    "project_id": project.id,
                    "title": f"Story {n}",
                    "text": text,
                    "text_sha256": sha256_text(text),
                    "length": len(text),
                    "created_at": now,
                    "updated_at": now,
                }  # fmt: skip
            )
        with db.session() as s:
            for first in range(0, len(rows), 1000):
                s.execute(insert(schema.Document), rows[first : first + 1000])
        longest = [0.0]
        began_tx: dict[int, float] = {}

        @event.listens_for(db.engine, "begin")
        def _begin(conn) -> None:  # type: ignore[no-untyped-def]
            began_tx[id(conn)] = time.perf_counter()

        @event.listens_for(db.engine, "commit")
        def _commit(conn) -> None:  # type: ignore[no-untyped-def]
            if conn.get_execution_options().get("annotator_session") == "write":
                longest[0] = max(longest[0], time.perf_counter() - began_tx.get(id(conn), 0))

        last = [0.0]

        def progress(done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 5 or done == total:
                last[0] = time.perf_counter()
                print(f"  {done}/{total}", file=sys.stderr)

        report = suggest_documents(db, project.id, progress=progress)
        db.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"project: {report.documents} documents in {report.seconds:.1f} s"
        f" ({report.documents / report.seconds:.0f}/s), {report.suggestions} suggestions;"
        f" longest write transaction {longest[0] * 1000:.0f} ms; peak RSS {peak:.0f} MB"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--docs", type=int, default=10000, help="0 skips the project run")
    args = parser.parse_args()
    texts = articles()
    time_article(long_article(texts, args.words), args.runs)
    if args.docs:
        time_project(texts, args.docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
