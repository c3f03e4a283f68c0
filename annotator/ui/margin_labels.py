"""Where the margin's labels go: each beside the line its quote starts on, never overlapping.

Pure arithmetic (no Qt), so the rule is testable on its own: a label is two lines (speaker,
stance) when there is room, one line (sign and speaker) when the next quote starts close below,
and when even that would push the next more than one label line below its own line, that one is
counted in the label above it ("(+2)") instead of drifting down the page in a dense passage.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class LabelSlot:
    y: int  # top of the label, in margin coordinates
    want: int  # top of the line its (first) quote starts on
    ids: list[str] = field(default_factory=list)  # the first is named; the others counted
    lines: int = 2  # 2: speaker and stance; 1: speaker only


def line_heights(text_height: int) -> tuple[int, int]:
    """(a two-line label, a one-line label) for label text `text_height` pixels high."""
    return 2 * text_height + 4, text_height + 2


def place_labels(starts: list[tuple[int, str]], text_height: int) -> list[LabelSlot]:
    """Labels for quotes starting at (line top, attribution id), in reading order."""
    full, compact = line_heights(text_height)
    slots: list[LabelSlot] = []
    for want, att_id in starts:
        y = want
        if slots:
            prev = slots[-1]
            free = prev.y + (full if prev.lines == 2 else compact)
            if free > want and prev.lines == 2:
                prev.lines = 1  # its stance gives way (the bar's colour still shows it)
                free = prev.y + compact
            if free - want > compact:
                prev.ids.append(att_id)  # no room near its line: counted in the label above
                continue
            y = max(want, free)
        slots.append(LabelSlot(y, want, [att_id]))
    return slots
