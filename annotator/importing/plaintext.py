"""Plain text and Markdown articles: title, agency dateline, conservative residue removal.

Residue is only removed in two places: a caption/title line repeated at the very top, and a
trailing block that starts at a page-furniture line ("Leave a review", "Follow us", "News Line",
...) after the article's end. A paragraph that looks like reporting (a reporting verb, or a
quoted passage of several words) is never dropped: if one sits in the trailing block, the block
is kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# A whole paragraph that marks the end of the article and the start of page furniture.
END_MARKERS = re.compile(
    r"^\s*(leave a (review|comment|reply)|follow us( on [\w ]+)?|news ?line|share( this( article)?)?"
    r"|related( (news|articles|stories))?|read (also|more)|advertisement|comments?( \(\d+\))?"
    r"|subscribe( to [\w ]+)?|most (read|popular)|latest news|tags?:.*|you may also like"
    r"|our standards:.*|related coverage"
    r"|оставить (отзыв|комментарий)|подписывайтесь.*|rəy bildir|bizi izləyin.*)\s*[.:!]?\s*$",
    re.IGNORECASE,
)
REPORTING_VERBS = re.compile(
    r"\b(said|says|say|told|tells|stated|states|added|adds|stressed|stresses|noted|notes"
    r"|emphasi[sz]ed|announced|declared|claimed|argued|insisted|warned|explained|according to"
    r"|asserted|remarked|reported|believes|believed|denied|confirmed|wrote|writes"
    r"|заявил[аи]?|сказал[аи]?|отметил[аи]?|подчеркнул[аи]?|сообщил[аи]?|по словам"
    r"|bildirib|deyib|qeyd edib|a déclaré|a dit|selon|powiedział[a]?|według|stwierdził[a]?)\b",
    re.IGNORECASE,
)
# A one-paragraph teaser link inside the article ("Read more: ...") is navigation, not text.
TEASER = re.compile(
    r"^\s*(read (more|also)|see also|also read|related|czytaj (także|też|więcej)|zobacz (też|także)"
    r"|dowiedz się więcej|lire aussi|à lire aussi|читайте также|по теме)\s*:.{0,200}$",
    re.IGNORECASE,
)
# Whole paragraphs that are page furniture wherever they stand.
FURNITURE = re.compile(
    r"^\s*(continue reading the main story|advertisement|more:|supported by|skip to (main )?content"
    r"|image copyright .{0,60}|image caption .{0,200}|reklama|publicité)\s*$",
    re.IGNORECASE,
)
# Bulleted page metadata before the article starts: "- 941 comments", "- 24 July 2015",
# "- From the section US & Canada". Other bullets (an article's key points) stay.
TOP_BULLET = re.compile(
    r"^\s*[-•·]\s+(\d{1,2} [A-Za-z]+ \d{4}|[A-Za-z]+ \d{1,2},? \d{4}|\d+ comments?|\d+ min read"
    r"|from the section .{1,40}|(published|updated|posted)\b.{0,40}|share|print|e-?mail)\s*$",
    re.IGNORECASE,
)
# A quoted passage of at least four words: speech, not a quoted name or programme title.
QUOTED_PASSAGE = re.compile(r"[\"“«„»”]\s*(?:[^\"“”«»„\n]+?\s+){3,}[^\"“”«»„\n]+?[\"”»“]")

# Agency datelines: `Baku /05.10.23/Turan:`, `BAKU, Oct 5 (Reuters) -`, `LONDON (AP) —`.
SLASH_DATELINE = re.compile(
    r"^(?P<place>[^\W\d][\w .'-]{0,40}?)\s*/\s*(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2,4})\s*/"
    r"\s*(?P<source>[^\W\d][\w .&-]{0,40}?)\s*:"
)
PAREN_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'-]{1,40}?)(?:,\s*(?P<when>[A-Z][a-z]{2,8}\.? \d{1,2}))?\s*"
    r"\((?P<source>[A-Z][\w .&-]{1,30})\)\s*[-–—]"
)


@dataclass(slots=True)
class Article:
    text: str
    title: str = ""
    place: str = ""
    published: str = ""
    source: str = ""
    report: dict[str, Any] = field(default_factory=dict)


def is_protected(paragraph: str) -> bool:
    """Reporting never counts as residue."""
    return bool(REPORTING_VERBS.search(paragraph) or QUOTED_PASSAGE.search(paragraph))


def first_line_title(text: str, markdown: bool = False) -> str:
    for line in text.split("\n"):
        line = line.strip()
        if markdown:
            line = line.lstrip("#").strip()
        if line:
            return line if len(line) <= 300 else line[:297].rstrip() + "…"
    return ""


def parse_dateline(text: str) -> dict[str, str]:
    """Place, ISO date and source from an agency dateline at the start of a paragraph."""
    for paragraph in text.split("\n\n")[:4]:
        paragraph = paragraph.strip()
        m = SLASH_DATELINE.match(paragraph)
        if m:
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
            try:
                iso = date(year, int(m["m"]), int(m["d"])).isoformat()
            except ValueError:
                iso = ""
            return {
                "place": m["place"].strip(),
                "date": iso,
                "source": m["source"].strip(),
                "text": m.group(0),
            }
        m = PAREN_DATELINE.match(paragraph)
        if m:
            return {
                "place": m["place"].strip().title() if m["place"].isupper() else m["place"],
                "date": "",
                "source": m["source"].strip(),
                "text": m.group(0),
                "when": m["when"] or "",
            }
    return {}


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def strip_residue(text: str) -> tuple[str, list[dict[str, str]]]:
    """Remove a repeated top line and a trailing page-furniture block. Returns (text, removed)."""
    removed: list[dict[str, str]] = []
    paras = _paragraphs(text)
    # Top: the first paragraph (a caption or title) repeated right after itself.
    nonempty = [i for i, p in enumerate(paras) if p.strip()]
    if len(nonempty) >= 3:
        a, b = nonempty[0], nonempty[1]
        first = paras[a].strip()
        if first == paras[b].strip() and "\n" not in first and not is_protected(first):
            removed.append(
                {
                    "where": "top",
                    "reason": "repeated caption/title line",
                    "text": paras[a] + "\n\n" + paras[b],
                }
            )
            paras = paras[b + 1 :]
    # End: the earliest furniture marker after which nothing looks like reporting.
    nonempty = [i for i, p in enumerate(paras) if p.strip()]
    if len(nonempty) >= 3:
        floor = nonempty[len(nonempty) // 3]  # never cut into the article's first third
        for i in nonempty:
            if i <= floor or not END_MARKERS.match(paras[i]):
                continue
            block = paras[i:]
            if any(is_protected(p) for p in block):
                continue
            removed.append(
                {
                    "where": "end",
                    "reason": f"page residue after {paras[i].strip()!r}",
                    "text": "\n\n".join(block),
                }
            )
            paras = paras[:i]
            break
    kept = []
    started = False  # the article proper starts at its first long paragraph
    for p in paras:
        one_line = "\n" not in p.strip()
        started = started or len(p.split()) >= 15
        if one_line and TEASER.match(p) and not is_protected(p.split(":", 1)[1]):
            removed.append({"where": "inside", "reason": "teaser link", "text": p})
        elif one_line and FURNITURE.match(p):
            removed.append({"where": "inside", "reason": "page furniture", "text": p})
        elif one_line and not started and TOP_BULLET.match(p) and not is_protected(p):
            removed.append({"where": "top", "reason": "page metadata bullet", "text": p})
        else:
            kept.append(p)
    paras = kept
    cleaned = "\n\n".join(paras).strip("\n")
    cleaned = re.sub(r"[ \t]+$", "", cleaned, flags=re.MULTILINE) if removed else cleaned
    return cleaned, removed


def parse_article(text: str, *, markdown: bool = False, clean: bool = True) -> Article:
    """`text` is normalized already. With `clean=False` the text is kept exactly (annotated)."""
    title = first_line_title(text, markdown)
    body, removed = strip_residue(text) if clean else (text, [])
    dateline = parse_dateline(body)
    report: dict[str, Any] = {"removed": removed}
    if dateline:
        report["dateline"] = dateline
    return Article(
        text=body,
        title=title,
        place=dateline.get("place", ""),
        published=dateline.get("date", ""),
        source=dateline.get("source", ""),
        report=report,
    )
