"""Build resources/sample/sample.jsonl from the articles in articles/ and the annotations below.

Run after editing an article or an annotation:  python resources/sample/build_sample.py
Offsets are never typed by hand: each quote is given by its text and located here. Content must
occur exactly once in the article (a split quote lists its parts in order); a cue or speaker
mention is the whole-word occurrence nearest to the content. The output is deterministic.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parents[1]))  # run from a checkout without installing

from annotator.native import FORMAT  # noqa: E402
from annotator.text import normalize_text, sha256_text  # noqa: E402

ANNOTATOR = "sample-analyst"
OUT = ROOT / "sample.jsonl"


@dataclass(frozen=True)
class Q:
    """One attribution, by text: content (str, or parts of a split quote), cue, mention."""

    content: str | tuple[str, ...]
    cue: str | None
    mention: str | None
    speaker: str
    kind: str
    target: str
    polarity: str
    proposition: str
    via: str | None = None
    confidence: str = "high"
    note: str = ""


@dataclass(frozen=True)
class Article:
    file: str
    title: str
    source: str
    published: str
    place: str
    quotes: tuple[Q, ...] = ()
    notes: dict[str, Any] = field(default_factory=dict)


# name -> (type, role, affiliation, aliases)
ACTORS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "Ilse Brandauer": ("person", "Chair", "Veltra Basin Commission", ("Brandauer",)),
    "Farhad Rahimzadeh": ("person", "Energy minister", "", ("Rahimzade", "Rahimzadeh")),
    "Leyla Karimova": ("person", "Deputy energy minister", "", ("Karimova",)),
    "Tomasz Wierzba": ("person", "Deputy chair", "Veltra Basin Commission", ("Wierzba",)),
    "Lower Veltra farmers' unions": ("group", "", "", ("Farmers' unions",)),
    "Harbor Line": ("media", "News service", "", ("Harbor Line news service",)),
    "Katarina Lindqvist": ("person", "Governor", "Central Bank of Estavia", ("Lindqvist",)),
    "Estavian Exporters' Association": ("organization", "", "", ()),
    "Pavel Dvořák": ("person", "Finance Minister", "Government of Estavia", ("Dvorak",)),
    "Marek Holm": ("person", "Chief economist", "Northgate Bank", ("Holm",)),
    "Aino Rask": ("person", "Deputy governor", "Central Bank of Estavia", ("Rask",)),
    "Nordline Press Agency": ("media", "News agency", "", ("Nordline",)),
    "Oksana Melnyk": ("person", "Union leader", "Sarvik dockers' union", ("Melnyk",)),
    "Sarvik dockers' union": ("organization", "", "", ("dockers' union",)),
    "Emre Yıldırım": ("person", "Port director", "Port of Sarvik", ("Yildirim",)),
    "Grain Exporters' Council": ("organization", "", "", ()),
    "Anatoliy Krivenko": ("person", "Head of delegation", "", ("Krivenko",)),
    "Pontic News Agency": ("media", "News agency", "", ()),
    "Dana Whitfield": ("person", "Maritime analyst", "", ("Whitfield",)),
}

# name -> description
TARGETS: dict[str, str] = {
    "Water quota agreement for the Veltra": "A binding table of summer releases from upstream dams",
    "Upstream dams' summer releases": "More water released from upstream reservoirs in drought",
    "Sharing of river gauge data": "",
    "Interest rate cut": "A cut of the Central Bank of Estavia's main rate",
    "Strong krona": "The high exchange rate of the Estavian currency",
    "Support package for exporters": "",
    "Sarvik port pay deal": "The agreement that ended the dock workers' strike",
    "Waiver of late-delivery penalties": "",
    "Grain corridor agreement": "Extension of the sea corridor for grain shipments",
}

VELTRA = (
    Q(
        "We came here to sign a quota table, and we are leaving with a list of objections,",
        "said",
        "Ilse Brandauer",
        "Ilse Brandauer",
        "direct",
        "Water quota agreement for the Veltra",
        "support",
        "Brandauer: the talks ended with objections instead of a quota table",
    ),
    Q(
        "Nobody should pretend that is a success.",
        None,
        None,
        "Ilse Brandauer",
        "direct",
        "Water quota agreement for the Veltra",
        "support",
        "Brandauer: failing to agree is no success",
        note="speaker implied by the preceding sentence; no cue or mention",
        confidence="medium",
    ),
    Q(
        "the technical annex had been ready since April and that the delay was political",
        "said",
        "Brandauer",
        "Ilse Brandauer",
        "indirect",
        "Water quota agreement for the Veltra",
        "support",
        "Brandauer: the delay of the quota agreement is political",
    ),
    Q(
        "the commission would meet again within six weeks",
        "added",
        "She",
        "Ilse Brandauer",
        "indirect",
        "Water quota agreement for the Veltra",
        "neutral",
        "The commission will meet again within six weeks",
    ),
    Q(
        "the reservoirs were at their lowest level in a decade and that “releasing more now would"
        " simply empty them by August.”",
        "told reporters",
        "Rahimzade",
        "Farhad Rahimzadeh",
        "mixed",
        "Upstream dams' summer releases",
        "oppose",
        "Rahimzadeh: releasing more water now would empty the reservoirs",
    ),
    Q(
        "his government was ready to share real-time gauge data with every member state",
        "added",
        "He",
        "Farhad Rahimzadeh",
        "indirect",
        "Sharing of river gauge data",
        "support",
        "Rahimzadeh: ready to share real-time gauge data",
    ),
    Q(
        "the upstream states of “treating a shared river as a private battery”",
        "accused",
        "Farmers' unions in the lower valley",
        "Lower Veltra farmers' unions",
        "mixed",
        "Upstream dams' summer releases",
        "support",
        "Farmers: upstream states treat the river as a private battery",
    ),
    Q(
        "an emergency release of 40 cubic metres per second in July “has been postponed, not"
        " rejected.”",
        "told",
        "Leyla Karimova",
        "Leyla Karimova",
        "mixed",
        "Upstream dams' summer releases",
        "support",
        "Karimova: the emergency July release is postponed, not rejected",
        via="Harbor Line",
        confidence="medium",
    ),
    Q(
        ("A river does not recognise borders,", "and neither does a drought."),
        "said",
        "Tomasz Wierzba",
        "Tomasz Wierzba",
        "direct",
        "Water quota agreement for the Veltra",
        "support",
        "Wierzba: drought ignores borders, so states must share water",
    ),
    Q(
        "only a binding quota with automatic penalties would survive the next dry year",
        "In his view",
        "his",
        "Tomasz Wierzba",
        "indirect",
        "Water quota agreement for the Veltra",
        "support",
        "Wierzba: only a binding quota with penalties will last",
    ),
)

ESTAVIA = (
    Q(
        "price growth in services remained “stubbornly high” and that the bank saw no room for a"
        " cut before the autumn",
        "told a news conference",
        "Katarina Lindqvist",
        "Katarina Lindqvist",
        "mixed",
        "Interest rate cut",
        "oppose",
        "Lindqvist: no room for a rate cut before the autumn",
    ),
    Q(
        "We would rather be late and right than early and wrong,",
        "said",
        "she",
        "Katarina Lindqvist",
        "direct",
        "Interest rate cut",
        "oppose",
        "Lindqvist: better to cut late than too early",
    ),
    Q(
        "the strong krona was costing its members orders in Germany and Poland",
        "said",
        "Estavian Exporters' Association",
        "Estavian Exporters' Association",
        "indirect",
        "Strong krona",
        "oppose",
        "Exporters: the strong krona costs them orders",
    ),
    Q(
        "the bank to “stop pretending the exchange rate is someone else's problem.”",
        "urged",
        "Estavian Exporters' Association",
        "Estavian Exporters' Association",
        "mixed",
        "Interest rate cut",
        "support",
        "Exporters urge the bank to act on the exchange rate",
    ),
    Q(
        "the government respected the bank's independence",
        "said",
        "Dvorak",
        "Pavel Dvořák",
        "indirect",
        "Interest rate cut",
        "neutral",
        "Dvořák: the government respects the bank's independence",
    ),
    Q(
        "fiscal policy could not carry the whole burden of supporting growth",
        "added",
        "he",
        "Pavel Dvořák",
        "indirect",
        "Interest rate cut",
        "support",
        "Dvořák: fiscal policy alone cannot support growth",
        confidence="medium",
        note="implicit call on the central bank to share the burden",
    ),
    Q(
        "the cabinet would present a targeted support package for small exporters next month",
        "said",
        "He",
        "Pavel Dvořák",
        "indirect",
        "Support package for exporters",
        "support",
        "Dvořák: a support package for small exporters comes next month",
    ),
    Q(
        "the decision “defensible but timid,”",
        "called",
        "Marek Holm",
        "Marek Holm",
        "mixed",
        "Interest rate cut",
        "support",
        "Holm: holding rates was defensible but timid",
        confidence="medium",
    ),
    Q(
        "“the balance of risks has shifted towards weaker demand.”",
        "was quoted by the agency as saying",
        "Aino Rask",
        "Aino Rask",
        "mixed",
        "Interest rate cut",
        "support",
        "Rask: risks have shifted towards weaker demand",
        via="Nordline Press Agency",
    ),
    Q(
        ("Seven people, one decision,", "and a very ordinary amount of disagreement."),
        "said",
        "she",
        "Katarina Lindqvist",
        "direct",
        "Interest rate cut",
        "neutral",
        "Lindqvist: the board disagrees only ordinarily",
    ),
)

SARVIK = (
    Q(
        "its members had accepted an 11% rise over two years",
        "said",
        "dockers' union",
        "Sarvik dockers' union",
        "indirect",
        "Sarvik port pay deal",
        "support",
        "The union accepted an 11% rise over two years",
    ),
    Q(
        "This is not a victory, it is a correction,",
        "told a rally",
        "Oksana Melnyk",
        "Oksana Melnyk",
        "direct",
        "Sarvik port pay deal",
        "support",
        "Melnyk: the pay deal corrects an injustice",
    ),
    Q(
        "the agreement also guaranteed rest breaks during night shifts",
        "said",
        "She",
        "Oksana Melnyk",
        "indirect",
        "Sarvik port pay deal",
        "support",
        "Melnyk: the deal guarantees rest breaks on night shifts",
    ),
    Q(
        "eight vessels would be loaded by Thursday",
        "said",
        "Emre Yıldırım",
        "Emre Yıldırım",
        "indirect",
        "Sarvik port pay deal",
        "support",
        "Yıldırım: eight vessels loaded by Thursday",
    ),
    Q(
        "the port authority would ask insurers to waive late-delivery penalties incurred during"
        " the strike",
        "added",
        "Yildirim",
        "Emre Yıldırım",
        "indirect",
        "Waiver of late-delivery penalties",
        "support",
        "Yıldırım: insurers will be asked to waive late-delivery penalties",
    ),
    Q(
        'buyers in North Africa had already turned to other suppliers and that "some of those'
        ' contracts will not come back."',
        "warned",
        "Grain Exporters' Council",
        "Grain Exporters' Council",
        "mixed",
        "Sarvik port pay deal",
        "unclear",
        "Traders: some lost contracts will not come back",
        confidence="medium",
    ),
    Q(
        'the corridor "is working, and nobody wants to be the one who closes it."',
        "was quoted by the agency as saying",
        "Anatoliy Krivenko",
        "Anatoliy Krivenko",
        "mixed",
        "Grain corridor agreement",
        "support",
        "Krivenko: the corridor works and nobody wants to close it",
        via="Pontic News Agency",
    ),
    Q(
        (
            "An agreement that is renewed every three months is not a corridor,",
            "it is a waiting room.",
        ),
        "said",
        "Dana Whitfield",
        "Dana Whitfield",
        "direct",
        "Grain corridor agreement",
        "oppose",
        "Whitfield: short renewals make the corridor a waiting room",
        note="opposes the current short-term form, not a corridor as such",
    ),
    Q(
        "only a multi-year arrangement would bring insurance costs down",
        "argued",
        "She",
        "Dana Whitfield",
        "indirect",
        "Grain corridor agreement",
        "support",
        "Whitfield: a multi-year corridor deal would lower insurance costs",
    ),
)

ARTICLES = (
    Article(
        "veltra-dam-quotas.txt",
        "Upstream dam quotas split river commission as drought deepens",
        "Meridian News Agency",
        "2025-06-12",
        "Linz",
        VELTRA,
    ),
    Article(
        "estavia-rates.txt",
        "Central bank holds rates at 6.5% as exporters warn of strong currency",
        "Nordline Press Agency",
        "2025-09-03",
        "Estavia",
        ESTAVIA,
    ),
    Article(
        "sarvik-port-strike.txt",
        "Grain loading resumes at Sarvik after dock strike ends",
        "Pontic News Agency",
        "2025-10-20",
        "Sarvik",
        SARVIK,
    ),
    Article(
        "geneva-climate-fund.txt",
        "Climate adaptation fund pledges fall short as Geneva talks close",
        "Lakeside Financial Wire",
        "2025-11-14",
        "Geneva",
    ),
)


class BuildError(ValueError):
    pass


def find_unique(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    at = text.find(needle, start)
    if at < 0:
        raise BuildError(f"not found: {needle!r}")
    if text.find(needle, at + 1) >= 0:
        raise BuildError(f"occurs more than once: {needle!r}")
    return at, at + len(needle)


def find_near(text: str, needle: str, around: list[tuple[int, int]]) -> tuple[int, int]:
    """The whole-word occurrence of `needle` nearest to the content, not inside it."""
    lo, hi = around[0][0], around[-1][1]
    best: tuple[int, int] | None = None
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


def span(text: str, se: tuple[int, int]) -> dict[str, Any]:
    return {"start": se[0], "end": se[1], "text": text[se[0] : se[1]]}


def attribution(text: str, q: Q) -> dict[str, Any]:
    parts = (q.content,) if isinstance(q.content, str) else q.content
    content: list[tuple[int, int]] = []
    for part in parts:
        content.append(find_unique(text, part, content[-1][1] if content else 0))
    if q.speaker not in ACTORS or (q.via and q.via not in ACTORS):
        raise BuildError(f"unregistered actor in {q.proposition!r}")
    if q.target not in TARGETS:
        raise BuildError(f"unregistered target {q.target!r}")
    return {
        "annotator": ANNOTATOR,
        "content": [span(text, c) for c in content],
        "cue": span(text, find_near(text, q.cue, content)) if q.cue else None,
        "mention": span(text, find_near(text, q.mention, content)) if q.mention else None,
        "speaker": q.speaker,
        "via": q.via,
        "kind": q.kind,
        "target": q.target,
        "polarity": q.polarity,
        "proposition": q.proposition,
        "note": q.note,
        "confidence": q.confidence,
        "origin": "manual",
        "review_state": "submitted",
    }


def document(article: Article) -> dict[str, Any]:
    text = normalize_text((ROOT / "articles" / article.file).read_text(encoding="utf-8")).strip()
    return {
        "format": FORMAT,
        "title": article.title,
        "text": text,
        "text_sha256": sha256_text(text),
        "source": article.source,
        "url": "",
        "published": article.published,
        "place": article.place,
        "author": "",
        "language": "en",
        "metadata": {"sample": True, "file": article.file},
        "attributions": sorted(
            (attribution(text, q) for q in article.quotes),
            key=lambda a: (a["content"][0]["start"], a["content"][0]["end"]),
        ),
    }


def lines() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, (kind, role, affiliation, aliases) in ACTORS.items():
        out.append(
            {
                "record": "actor",
                "name": name,
                "type": kind,
                "role": role,
                "affiliation": affiliation,
                "wikidata_id": "",
                "aliases": sorted(aliases),
            }
        )
    for name, description in TARGETS.items():
        out.append({"record": "target", "name": name, "description": description, "aliases": []})
    out.extend(document(a) for a in ARTICLES)
    return out


def main() -> int:
    rows = lines()
    body = "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)
    OUT.write_text(body, encoding="utf-8")
    docs = [r for r in rows if r.get("format") == FORMAT]
    n_attr = sum(len(d["attributions"]) for d in docs)
    print(f"wrote {OUT.name}: {len(docs)} documents, {n_attr} attributions")
    for d in docs:
        for a in d["attributions"]:
            parts = " … ".join(c["text"] for c in a["content"])
            cue = (a["cue"] or {}).get("text")
            mention = (a["mention"] or {}).get("text")
            print(f"  {a['kind']:8} {mention!s:>38} | {cue!s:>34} | {parts[:60]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
