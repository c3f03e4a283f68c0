"""Screenshots of the review views for docs/screenshots (light; `--dark` for the dark theme).

Run: QT_QPA_PLATFORM=offscreen python -m tests.ui.review_screenshots [OUTDIR] [--dark]
Two analysts code the Turan article from its 14 hand-made records; the second one differs on a
polarity, a boundary and a kind, and misses one quote. The lead has settled quote 1.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.model import Kind, Polarity, Span  # noqa: E402
from annotator.native import parse_attribution  # noqa: E402
from annotator.services import attributions as attr  # noqa: E402
from annotator.services import registries as reg  # noqa: E402
from annotator.services.documents import DocumentDraft, add_document  # noqa: E402
from annotator.services.projects import get_or_create_annotator, get_or_create_project  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402
from annotator.team import review  # noqa: E402
from annotator.ui.review import ReviewWindow  # noqa: E402
from annotator.ui.review_outcomes import ReviewOutcomesPanel  # noqa: E402
from annotator.ui.theme import apply_theme  # noqa: E402
from tests.conftest import TURAN_QUOTES, TURAN_TXT  # noqa: E402


def build(db: Database) -> tuple[str, str, list[str], str]:
    text = TURAN_TXT.read_text(encoding="utf-8")
    project = get_or_create_project(db, "Caucasus")
    title = "Khalafov in Tehran (Turan, 2023-10-05)"
    with db.session() as s:
        doc = add_document(s, project.id, DocumentDraft(text=text, title=title))[0].id
    anns = [get_or_create_annotator(db, n).id for n in ("Aynur", "Bahram")]
    lead = get_or_create_annotator(db, "Leyla (lead)").id
    lines = TURAN_QUOTES.read_text(encoding="utf-8").splitlines()
    for k, ann in enumerate(anns):
        for i, line in enumerate(lines):
            q = parse_attribution(json.loads(line), text)
            with db.session() as s:
                speaker = reg.ensure_actor(s, project.id, q.speaker).id if q.speaker else None
                via = reg.ensure_actor(s, project.id, q.via).id if q.via else None
                target = reg.ensure_target(s, project.id, q.target).id if q.target else None
            content, polarity, kind = list(q.content), q.polarity, q.kind
            if k == 1 and i == 5:
                continue  # the second analyst misses a quote
            if k == 1:
                polarity = Polarity.NEUTRAL if i == 1 else polarity
                content = [Span(content[0].start + 4, content[0].end)] if i == 3 else content
                kind = Kind.MIXED if i == 6 else kind
            attr.new_attribution(
                db, doc, ann, content, cue=q.cue, mention=q.mention, speaker_id=speaker,
                via_id=via, target_id=target, polarity=polarity, kind=kind,
                proposition=q.proposition,
            )  # fmt: skip
        review.submit_document(db, doc, ann)
    first = review.comparison(db, doc).groups[0]
    review.accept(db, next(iter(first.members.values())).id, lead)
    return project.id, doc, anns, lead


def main(out: Path, dark: bool) -> None:
    app = QApplication.instance() or QApplication([])
    apply_theme(app, dark)  # type: ignore[arg-type]
    out.mkdir(parents=True, exist_ok=True)
    db = Database.open(Path(tempfile.mkdtemp()) / "shots.sqlite3")
    project_id, doc, anns, lead = build(db)
    w = ReviewWindow(db, project_id, lead)
    w.show()
    while not w.queue_ready:
        app.processEvents()
    w.table.setCurrentIndex(w.model.index(1, 1))
    app.processEvents()
    suffix = "_dark" if dark else ""
    w.grab().save(str(out / f"review{suffix}.png"))
    w.table.setCurrentIndex(w.model.index(1, 2))
    w.edit_gold()
    app.processEvents()
    assert w.gold_editor is not None
    w.gold_editor.grab().save(str(out / f"review_gold_editor{suffix}.png"))
    w.gold_editor.reject()
    w.resize(1100, 720)
    w.table.setCurrentIndex(w.model.index(3, 2))
    w.start_reject()
    w.reject_edit.setText("Boundary: the quote starts at “Iran”, include it")
    app.processEvents()
    app.processEvents()
    w.grab().save(str(out / f"review_reject{suffix}.png"))
    third = review.comparison(db, doc).groups[2].members[anns[0]]
    review.reject(db, third.id, lead, "The speaker is Raisi, not Ahmadian: check the pronoun.")
    panel = ReviewOutcomesPanel(db, anns[0])
    panel.show()
    app.processEvents()
    panel.grab().save(str(out / f"review_outcomes{suffix}.png"))
    db.dispose()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(Path(args[0] if args else "docs/screenshots"), "--dark" in sys.argv)
