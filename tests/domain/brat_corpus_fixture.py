"""A small BRAT corpus in PolNeAR's layout, written by the tests: text/NAME.txt and
attributions/NAME_ANNOTATOR.ann, two annotators on one article, and the awkward cases of the
real corpus (an event without Content, a span whose text holds a line break, a quote that runs
over a sentence boundary, a speaker mention inside another quote, apostrophes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ARTICLE_A = (
    "Trump's rally drew a crowd.\n\n"
    "Donald Trump's campaign is failing, Smith said on Monday. "
    "The senator argued that the plan would fail. It would cost too much, he added.\n\n"
    "“We will win,” Jones told reporters, adding that “the voters’ choice is clear.”\n"
)
ARTICLE_B = (
    "Le ministre a déclaré que le gouvernement poursuivrait les négociations sur l’accord.\n\n"
    "Selon l’opposition, le projet de loi « ne passera pas » au Sénat cette année.\n"
)


@dataclass(frozen=True)
class Event:
    source: str | None
    cue: str | None
    contents: tuple[str, ...]


def _span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def ann_lines(text: str, events: list[Event], extra: list[str] = ()) -> list[str]:
    """PolNeAR-style lines: Source, Cue, Content(s), Attribution trigger, then the event."""
    lines: list[str] = []
    t = 0

    def tb(label: str, piece: str) -> str:
        nonlocal t
        t += 1
        s, e = _span(text, piece)
        lines.append(f"T{t}\t{label} {s} {e}\t{piece}")
        return f"T{t}"

    for n, ev in enumerate(events, 1):
        args = []
        src = tb("Source", ev.source) if ev.source else None
        cue = tb("Cue", ev.cue) if ev.cue else None
        contents = [tb("Content", c) for c in ev.contents]
        trigger = tb("Attribution", ev.cue or ev.contents[0])
        kind = "Attribution" if src else "Attribution-no-source"
        args.append(f"{kind}:{trigger}")
        args += [f"Content{'' if i == 0 else i + 1}:{c}" for i, c in enumerate(contents)]
        args += [f"Cue:{cue}"] if cue else []
        args += [f"Source:{src}"] if src else []
        lines.append(f"E{n}\t{' '.join(args)}")
    return lines + list(extra)


EVENTS_A_ANA = [
    Event("Smith", "said", ("Donald Trump's campaign is failing",)),
    # runs over the sentence boundary: "... would fail. It would cost too much"
    Event("The senator", "argued", ("that the plan would fail. It would cost too much",)),
    Event("Jones", "told", ("“We will win,”",)),
    Event(None, "adding", ("that “the voters’ choice is clear.”",)),
]
EVENTS_A_BOB = [
    Event("Smith", "said", ("Donald Trump's campaign is failing",)),
    Event("Jones", "told", ("“We will win,”",)),
    # overlaps ana's content with other bounds: one of the two cannot be in doc.ents / BIO
    Event(None, "argued", ("the plan would fail",)),
]
EVENTS_B = [
    Event("Le ministre", "a déclaré", ("que le gouvernement poursuivrait les négociations",)),
    Event("l’opposition", "Selon", ("le projet de loi « ne passera pas » au Sénat",)),
]


@dataclass(frozen=True)
class Corpus:
    root: Path
    ann_a_ana: Path
    skipped_line: int  # the line of the event without Content in ann_a_ana


def write_corpus(root: Path) -> Corpus:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "site_2016-01-01_rally.txt").write_text(ARTICLE_A, encoding="utf-8")
    (root / "text" / "presse_2016-01-02_accord.txt").write_text(ARTICLE_B, encoding="utf-8")
    lines = ann_lines(ARTICLE_A, EVENTS_A_ANA)
    # an event with a trigger only (no Content): skipped, and named in the report
    s, e = _span(ARTICLE_A, "drew")
    lines += [f"T90\tAttribution {s} {e}\tdrew", "E90\tAttribution:T90"]
    skipped_line = len(lines)
    # a Content span over the paragraph break, its text written with the line breaks
    s, e = _span(ARTICLE_A, "a crowd.\n\nDonald")
    lines += [f"T91\tContent {s} {e}\ta crowd.", "", "Donald"]
    ann_a_ana = root / "attributions" / "site_2016-01-01_rally_ana.ann"
    ann_a_ana.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "attributions" / "site_2016-01-01_rally_bob.ann").write_text(
        "\n".join(ann_lines(ARTICLE_A, EVENTS_A_BOB)) + "\n", encoding="utf-8"
    )
    (root / "attributions" / "presse_2016-01-02_accord_ana.ann").write_text(
        "\n".join(ann_lines(ARTICLE_B, EVENTS_B)) + "\n", encoding="utf-8"
    )
    return Corpus(root, ann_a_ana, skipped_line)
