"""Build resources/sample/sample.jsonl from articles/*.txt, articles/*.toml and registry.toml.

Run after editing an article or an annotation:  python resources/sample/build_sample.py
Each article NAME.txt has NAME.toml beside it: title, source, date, place, and its [[quote]]
annotations given by text. Offsets are never typed by hand: content must occur exactly once in
the article (a split quote lists its parts in order); a cue or speaker mention is the whole-word
occurrence nearest to the content. The output is deterministic (a test rebuilds and compares).
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parents[1]))  # run from a checkout without installing

from annotator.native import FORMAT  # noqa: E402
from annotator.text import normalize_text, sha256_text  # noqa: E402

ANNOTATOR = "sample-analyst"
OUT = ROOT / "sample.jsonl"
Span = tuple[int, int]


class BuildError(ValueError):
    pass


def find_unique(text: str, needle: str, start: int = 0) -> Span:
    at = text.find(needle, start)
    if at < 0:
        raise BuildError(f"not found: {needle!r}")
    if text.find(needle, at + 1) >= 0:
        raise BuildError(f"occurs more than once: {needle!r}")
    return at, at + len(needle)


def find_near(text: str, needle: str, around: list[Span]) -> Span:
    """The whole-word occurrence of `needle` nearest to the content, not inside it."""
    lo, hi = around[0][0], around[-1][1]
    best: Span | None = None
    best_distance = len(text) + 1
    for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text):
        s, e = m.span()
        if any(s < ce and cs < e for cs, ce in around):
            continue
        # between the parts of a split quote counts as nearest of all
        distance = lo - e if e <= lo else s - hi if s >= hi else 0
        if 0 <= distance < best_distance:
            best, best_distance = (s, e), distance
    if best is None:
        raise BuildError(f"no whole-word {needle!r} near {text[lo:hi]!r}")
    return best


def span(text: str, se: Span) -> dict[str, Any]:
    return {"start": se[0], "end": se[1], "text": text[se[0] : se[1]]}


def attribution(
    text: str, q: dict[str, Any], actors: set[str], targets: set[str]
) -> dict[str, Any]:
    parts = [q["content"]] if isinstance(q["content"], str) else q["content"]
    content: list[Span] = []
    for part in parts:
        content.append(find_unique(text, part, content[-1][1] if content else 0))
    for name in (q["speaker"], q.get("via")):
        if name and name not in actors:
            raise BuildError(f"{name!r} is not in registry.toml")
    if q["target"] not in targets:
        raise BuildError(f"target {q['target']!r} is not in registry.toml")
    return {
        "annotator": ANNOTATOR,
        "content": [span(text, c) for c in content],
        "cue": span(text, find_near(text, q["cue"], content)) if q.get("cue") else None,
        "mention": span(text, find_near(text, q["mention"], content)) if q.get("mention") else None,
        "speaker": q["speaker"],
        "via": q.get("via"),
        "kind": q["kind"],
        "target": q["target"],
        "polarity": q["polarity"],
        "proposition": q["proposition"],
        "note": q.get("note", ""),
        "confidence": q.get("confidence", "high"),
        "origin": "manual",
        "review_state": "submitted",
    }


def document(txt: Path, actors: set[str], targets: set[str]) -> dict[str, Any]:
    text = normalize_text(txt.read_text(encoding="utf-8")).strip()
    meta = tomllib.loads(txt.with_suffix(".toml").read_text(encoding="utf-8"))
    atts = [attribution(text, q, actors, targets) for q in meta.get("quote", [])]
    return {
        "format": FORMAT,
        "title": meta["title"],
        "text": text,
        "text_sha256": sha256_text(text),
        "source": meta["source"],
        "url": "",
        "published": meta["published"],
        "place": meta["place"],
        "author": "",
        "language": "en",
        "metadata": {"sample": True, "file": txt.name},
        "attributions": sorted(
            atts, key=lambda a: (a["content"][0]["start"], a["content"][0]["end"])
        ),
    }


def lines() -> list[dict[str, Any]]:
    registry = tomllib.loads((ROOT / "registry.toml").read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = []
    for a in registry["actor"]:
        out.append(
            {
                "record": "actor",
                "name": a["name"],
                "type": a["type"],
                "role": a.get("role", ""),
                "affiliation": a.get("affiliation", ""),
                "wikidata_id": "",
                "aliases": sorted(a.get("aliases", [])),
            }
        )
    for t in registry["target"]:
        out.append(
            {
                "record": "target",
                "name": t["name"],
                "description": t.get("description", ""),
                "aliases": [],
            }
        )
    actors = {a["name"] for a in registry["actor"]}
    targets = {t["name"] for t in registry["target"]}
    docs = [document(p, actors, targets) for p in (ROOT / "articles").glob("*.txt")]
    out.extend(sorted(docs, key=lambda d: (d["published"], d["title"])))
    return out


def main() -> int:
    rows = lines()
    OUT.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    docs = [r for r in rows if r.get("format") == FORMAT]
    print(
        f"wrote {OUT.name}: {len(docs)} documents, {sum(len(d['attributions']) for d in docs)} attributions"
    )
    for d in docs:
        for a in d["attributions"]:
            parts = " … ".join(c["text"] for c in a["content"])
            cue = (a["cue"] or {}).get("text")
            mention = (a["mention"] or {}).get("text")
            print(f"  {a['kind']:8} {mention!s:>32} | {cue!s:>34} | {parts[:56]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
