"""Databases and settings the real-window tests start from, written before the app starts."""

from __future__ import annotations

from pathlib import Path

from annotator.storage.engine import Database
from tests.domain.test_review import Setup, make_setup, two_analysts


def settings(home: Path, *, annotator: str, project: str) -> None:
    """The settings file of someone who has used the app before (no first-run dialog)."""
    from annotator.ui.settings import Settings

    s = Settings(home / "config" / "annotator.ini")
    s.annotator_name = annotator
    s.last_project = project
    s.sync()


def review_project(home: Path, db_path: Path) -> tuple[Setup, dict[str, str]]:
    """Project "P": one article, two analysts' submitted work (they differ on quote 1, agree on
    quote 2, only ann1 marked quote 3); the lead "lead" opens the app."""
    db = Database.open(db_path)
    try:
        x = make_setup(db)
        ids = two_analysts(db, x)
    finally:
        db.dispose()
    settings(home, annotator="lead", project="P")
    return x, ids


REGISTRY_TEXT = "Ali Akbar Ahmadian said Iran opposes the plan. Ahmadiyyan added that talks go on."
WIRE_QUOTES = 594  # more than the 500 usages the registries panel lists


def registry_project(home: Path, db_path: Path) -> dict[str, str]:
    """Project "P" of analyst "ana": an actor under two names ("Ali Akbar Ahmadian" and the
    duplicate "Ahmadiyyan"), and IRNA relaying 594 quotes of a wire digest."""
    from annotator.model import AttributionRecord, Span, new_id
    from annotator.services import attributions as attr
    from annotator.services import registries as reg
    from annotator.services.documents import DocumentDraft, add_document
    from annotator.services.projects import get_or_create_annotator, get_or_create_project

    db = Database.open(db_path)
    try:
        project = get_or_create_project(db, "P")
        ana = get_or_create_annotator(db, "ana")
        keep = reg.create_actor(db, project.id, "Ali Akbar Ahmadian", aliases=("Ahmadian",))
        dupe = reg.create_actor(db, project.id, "Ahmadiyyan")
        irna = reg.create_actor(db, project.id, "IRNA")
        line = "The agency reported that talks go on.\n"
        with db.session() as s:
            doc = add_document(
                s, project.id, DocumentDraft(text=REGISTRY_TEXT, title="Tehran talks")
            )
            digest = add_document(
                s, project.id, DocumentDraft(text=line * WIRE_QUOTES, title="Wire digest")
            )
            doc_id, digest_id = doc[0].id, digest[0].id
        quote1, quote2 = (
            _span(REGISTRY_TEXT, q) for q in ("Iran opposes the plan", "that talks go on")
        )
        a1 = attr.new_attribution(db, doc_id, ana.id, [quote1], speaker_id=keep.id)
        a2 = attr.new_attribution(db, doc_id, ana.id, [quote2], speaker_id=dupe.id)
        with db.session() as s:  # one transaction: 594 quotes in well under a second
            for i in range(WIRE_QUOTES):
                start = i * len(line) + len("The agency reported that ")
                attr.insert_attribution(
                    s,
                    AttributionRecord(
                        new_id(), digest_id, ana.id, (Span(start, start + 12),), via_id=irna.id
                    ),  # fmt: skip
                )
    finally:
        db.dispose()
    settings(home, annotator="ana", project="P")
    return {"keep": keep.id, "dupe": dupe.id, "irna": irna.id, "a1": a1.id, "a2": a2.id,
            "doc": doc_id}  # fmt: skip


def _span(text: str, words: str):  # noqa: ANN202 - a Span
    from annotator.model import Span

    start = text.index(words)
    return Span(start, start + len(words))


ANALYST_TEXT = (
    "Foreign Minister Hossein Amir-Abdollahian said on Tuesday that Iran opposes any change to"
    " the borders of the region. He told reporters in Tehran: \u201cWe will not accept it.\u201d\n"
    "\n"
    "Officials in Baku did not comment on the visit, which lasted two days and ended with a"
    " joint statement on trade, transport and energy.\n"
    "\n"
    "The presence of extra-regional powers in the South Caucasus only brings instability,"
    " according to Abdollahian.\n"
)
EXISTING_TARGET = "Presence of extra-regional powers in the South Caucasus"


def analyst_project(home: Path, db_path: Path) -> dict[str, str]:
    """Project "P" of analyst "ana": one article, an actor and a target in the registries."""
    from annotator.services import registries as reg
    from annotator.services.documents import DocumentDraft, add_document
    from annotator.services.projects import get_or_create_annotator, get_or_create_project

    db = Database.open(db_path)
    try:
        project = get_or_create_project(db, "P")
        ana = get_or_create_annotator(db, "ana")
        minister = reg.create_actor(db, project.id, "Hossein Amir-Abdollahian")
        target = reg.create_target(db, project.id, EXISTING_TARGET)
        with db.session() as s:
            [row, *_] = add_document(
                s, project.id, DocumentDraft(text=ANALYST_TEXT, title="Minister in Baku")
            )
            doc_id = row.id
    finally:
        db.dispose()
    settings(home, annotator="ana", project="P")
    return {"project": project.id, "annotator": ana.id, "doc": doc_id, "minister": minister.id,
            "target": target.id}  # fmt: skip


def live_attributions(db: Database, document_id: str, annotator_id: str) -> list:
    """The annotator's live attributions on the document, in reading order."""
    from annotator.services.workspace_queries import document_attributions

    return list(document_attributions(db, document_id, annotator_id))


def with_quotes(db_path: Path, ids: dict[str, str]) -> list[str]:
    """Two drafts of the analyst on the article of `analyst_project`."""
    from annotator.model import Polarity
    from annotator.services import attributions as attr

    db = Database.open(db_path)
    try:
        made = [
            attr.new_attribution(
                db, ids["doc"], ids["annotator"], [_span(ANALYST_TEXT, words)],
                speaker_id=ids["minister"], target_id=ids["target"], polarity=polarity,
            ).id
            for words, polarity in (
                ("Iran opposes any change to the borders of the region", Polarity.OPPOSE),
                ("only brings instability", Polarity.OPPOSE),
            )
        ]  # fmt: skip
    finally:
        db.dispose()
    return made


def colleague_bundle(home: Path) -> Path:
    """A bundle from a colleague's laptop: project "P", one article, two quotes by "bob"."""
    from annotator.services import attributions as attr
    from annotator.services.documents import DocumentDraft, add_document
    from annotator.services.projects import get_or_create_annotator, get_or_create_project
    from annotator.team.bundle_export import ExportOptions, export_bundle

    text = "Bob's article. The mayor said the bridge will open in May. Critics disagreed loudly."
    laptop = Database.open(home / "laptop.sqlite3")
    try:
        project = get_or_create_project(laptop, "P")
        bob = get_or_create_annotator(laptop, "bob")
        with laptop.session() as s:
            [row, *_] = add_document(s, project.id, DocumentDraft(text=text, title="Bridge"))
            doc_id = row.id
        for words in ("the bridge will open in May", "Critics disagreed loudly"):
            attr.new_attribution(laptop, doc_id, bob.id, [_span(text, words)])
        out = home / "bob-work.zip"
        export_bundle(laptop, out, ExportOptions(project="P"))
    finally:
        laptop.dispose()
    return out
