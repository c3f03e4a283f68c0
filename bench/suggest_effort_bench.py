"""Analyst effort with and without suggestions: keystrokes of a scripted analyst.

Run on demand (not a test):  python bench/suggest_effort_bench.py [--articles 20] [--part held-out]

A scripted analyst reproduces the gold of PolNeAR articles (the held-out part of
bench/suggest_quality_bench.py by default, first N articles by name) twice:

* by hand: for each gold attribution, in text order, select each content segment (Q for the
  first, A for more), the cue (C), the speaker mention (M), choose the speaker (S, then Enter on
  the chooser pre-filled from the mention), and press D until the kind is right (the new
  attribution starts with the kind its quotation marks suggest);
* with suggestions (rule engine, default floor, empty registry): step through the suggestions
  (one key each), accept one that matches a gold attribution (one key) and fix what differs --
  the content (select it again + one key per segment), cue, mention (select + key, or one key to
  clear), the speaker (S + Enter), the kind (D) -- or reject one that matches nothing (one key);
  gold attributions no suggestion matched are made by hand as above.

Selecting a span by keyboard costs the cheaper of (a) Ctrl+Right once per word from the cursor
to the span's start, and (b) the find bar: "/" + the shortest prefix of the span's text whose
next match from the cursor is the span + Enter; then Ctrl+Shift+Right once per word of the
span. Matching is the evaluation's (token overlap >= 0.5, docs/agreement.md). Keystrokes spent
on a gold attribution count for its kind; a rejected suggestion counts for its own kind.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from suggest_quality_bench import CORPUS, part_of  # noqa: E402

from annotator.guess import guess_kind  # noqa: E402
from annotator.importing.annotated import SpanMapper  # noqa: E402
from annotator.importing.brat import brat_attributions  # noqa: E402
from annotator.model import (  # noqa: E402
    AttributionRecord,  # noqa: E402
    Kind,
    Span,
)
from annotator.suggest.evaluation import Item, same_speaker  # noqa: E402
from annotator.suggest.kinds import kind_of  # noqa: E402
from annotator.suggest.model import SuggestRequest  # noqa: E402
from annotator.suggest.quotes import QuoteMap  # noqa: E402
from annotator.suggest.rules import RuleEngine  # noqa: E402
from annotator.team.alignment import TokenIndex, align  # noqa: E402

WORD = re.compile(r"\w+")
CYCLE = [Kind.DIRECT, Kind.INDIRECT, Kind.MIXED]  # the D key's order
FLOOR = 0.6


class Analyst:
    """Keystroke costs on one text; `cursor` is where the last action left the caret."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.word_starts = [m.start() for m in WORD.finditer(text)]
        self.cursor = 0

    def _words_between(self, a: int, b: int) -> int:
        lo, hi = (a, b) if a <= b else (b, a)
        return sum(1 for s in self.word_starts if lo < s <= hi)

    def _find_cost(self, start: int) -> int | None:
        for k in range(1, 13):
            needle = self.text[start : start + k]
            if len(needle) < k:
                return None
            found = self.text.find(needle, self.cursor)
            if found == -1:
                found = self.text.find(needle)  # the find bar wraps around
            if found == start:
                return 2 + k
        return None

    def select(self, span: Span) -> int:
        move = self._words_between(self.cursor, span.start)
        found = self._find_cost(span.start)
        cost = min(move, found) if found is not None else move
        cost += max(1, len(WORD.findall(self.text[span.start : span.end])))
        self.cursor = span.end
        return cost


def kind_presses(start: Kind, goal: Kind) -> int:
    return (CYCLE.index(goal) - CYCLE.index(start)) % len(CYCLE)


def by_hand(a: Analyst, g: Item, kind: Kind) -> int:
    cost = 0
    for n, seg in enumerate(sorted(g.content)):
        cost += a.select(seg) + 1  # Q, then A for each further segment
        if n == 0:
            before, after = a.text[max(0, seg.start - 1) : seg.start], a.text[seg.end : seg.end + 1]
            start_kind = guess_kind(a.text[seg.start : seg.end], before, after)
    if g.cue is not None:
        cost += a.select(g.cue) + 1
    if g.mention is not None:
        cost += a.select(g.mention) + 1
    if g.speaker_names:
        cost += 2  # S, Enter on the chooser pre-filled from the mention
    return cost + kind_presses(start_kind, kind)


def fix(a: Analyst, g: Item, kind: Kind, s, index: TokenIndex, s_kind: Kind) -> int:
    """Keys to turn an accepted suggestion into the gold attribution."""
    cost = 0
    if index.covered(g.content) != index.covered(s.content):
        cost += sum(a.select(seg) + 1 for seg in sorted(g.content))
    for field, key_cost in (("cue", 1), ("mention", 1)):
        gs, ss = getattr(g, field), getattr(s, field)
        same = (gs is None and ss is None) or (
            gs is not None and ss is not None and index.covered([gs]) == index.covered([ss])
        )
        if not same:
            cost += a.select(gs) + key_cost if gs is not None else 1
    if g.speaker_names and not same_speaker(g.speaker_names, (s.speaker_name,)):
        cost += 2
    return cost + kind_presses(s_kind, kind)


def article(text: str, gold: list[Item]) -> dict[str, dict[str, float]]:
    quotes, index = QuoteMap(text), TokenIndex(text)
    kinds = [kind_of(text, g.content, quotes) for g in gold]
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    a = Analyst(text)
    for g, k in sorted(zip(gold, kinds, strict=True), key=lambda x: min(x[0].content)):
        out["manual"][str(k)] += by_hand(a, g, k)
        out["count"][str(k)] += 1
    found = [s for s in RuleEngine().suggest(SuggestRequest(text, "en")) if s.confidence >= FLOOR]
    g_recs = [AttributionRecord(f"g{i}", "", "g", g.content) for i, g in enumerate(gold)]
    s_recs = [AttributionRecord(f"s{i}", "", "s", s.content) for i, s in enumerate(found)]
    pairs = {}
    for group in align({"g": g_recs, "s": s_recs}, text, index=index):
        if "g" in group.members and "s" in group.members:
            pairs[int(group.members["s"].id[1:])] = int(group.members["g"].id[1:])
    events = [(min(s.content).start, "s", i) for i, s in enumerate(found)]
    matched = set(pairs.values())
    events += [(min(g.content).start, "g", i) for i, g in enumerate(gold) if i not in matched]
    a = Analyst(text)
    for _pos, what, i in sorted(events):
        if what == "s":
            s = found[i]
            a.cursor = s.end
            if i in pairs:
                gi = pairs[i]
                out["assisted"][str(kinds[gi])] += 2 + fix(a, gold[gi], kinds[gi], s, index, s.kind)
            else:
                out["assisted"][str(s.kind)] += 2  # step to it, reject it
        else:
            out["assisted"][str(kinds[i])] += by_hand(a, gold[i], kinds[i])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--part", choices=("dev", "held-out"), default="held-out")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 1
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    done: set[str] = set()
    for ann in sorted((CORPUS / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if name in done or part_of(name) != args.part:
            continue
        raw = (CORPUS / "text" / f"{name}.txt").read_text(encoding="utf-8")
        try:
            parsed = brat_attributions(raw, ann.read_text(encoding="utf-8"), ann)
        except ValueError:
            continue
        done.add(name)
        text = SpanMapper(raw).text
        gold = [
            Item(p.content, p.cue, p.mention, (p.speaker,) if p.speaker else ()) for p in parsed
        ]
        for mode, per_kind in article(text, gold).items():
            for kind, v in per_kind.items():
                totals[mode][kind] += v
        if len(done) >= args.articles:
            break
    print(f"{len(done)} articles ({args.part}), floor {FLOOR}")
    print(f"  {'kinds':16}{'gold':>6}{'by hand':>10}{'assisted':>10}{'per quote':>18}{'ratio':>8}")
    for label, kinds in (
        ("direct", ("direct",)),
        ("mixed", ("mixed",)),
        ("direct+mixed", ("direct", "mixed")),
        ("indirect", ("indirect",)),
        ("all", ("direct", "mixed", "indirect")),
    ):
        n = sum(totals["count"][k] for k in kinds)
        manual = sum(totals["manual"][k] for k in kinds)
        assisted = sum(totals["assisted"][k] for k in kinds)
        if not n:
            continue
        per = f"{manual / n:.1f} -> {assisted / n:.1f}"
        print(
            f"  {label:16}{n:>6.0f}{manual:>10.0f}{assisted:>10.0f}{per:>18}"
            f"{assisted / manual:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
