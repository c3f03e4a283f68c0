"""Probable slips in a real window: a second identical attribution, a cue found paragraphs
away, a cue and a mention on the same word are warned about and stored only when the analyst
insists; long values never push the inspector sideways; nothing selected shows no values."""

from __future__ import annotations

from annotator.services import attributions as attr
from tests.e2e import seed
from tests.e2e.real_app import RealApp
from tests.e2e.test_analyst_real import _choose, _find

TEXT = seed.ANALYST_TEXT
LONG_TARGET = (
    "Iran's opposition to any change of internationally recognised borders in the South"
    " Caucasus, including transport corridors through the Syunik province of Armenia"
)


def _warned(app: RealApp, words: str) -> bool:
    message = app.window.statusBar().currentMessage()
    return message.startswith("⚠") and words in message


def test_warnings_insisting_and_the_inspector(app: RealApp) -> None:
    e = seed.analyst_project(app.home, app.db_path)
    main = app.launch()
    workspace = main.workspace
    stored = lambda: seed.live_attributions(app.db(), e["doc"], e["annotator"])  # noqa: E731

    _find(app, "Iran opposes")
    app.press(*["Ctrl+Shift+Right"] * 8, "Q")
    [first] = stored()

    # The same words again: a warning, the existing one selected, nothing stored; Q insists.
    _find(app, "Iran opposes")
    app.press(*["Ctrl+Shift+Right"] * 8)
    app.press("Escape")  # nothing selected, so that selecting the existing one shows
    _find(app, "Iran opposes")
    app.press(*["Ctrl+Shift+Right"] * 8, "Q")
    assert len(stored()) == 1 and _warned(app, "identical attribution")
    assert workspace.selected_id == first.id
    assert workspace.inspector.heading.text() == "Attribution 1 of 1"
    app.press("Q")
    assert len(stored()) == 2
    app.press("Delete")  # the duplicate, selected once made
    assert [r.id for r in stored()] == [first.id]

    # A cue two paragraphs away (found with /): warned, not stored; C again stores it.
    app.press("K")  # the one before the cursor
    assert workspace.selected_id == first.id
    _find(app, "according to")
    app.press("C")
    assert attr.get_attribution(app.db(), first.id).cue is None
    assert _warned(app, "far from the quote")
    app.press("C")
    far = attr.get_attribution(app.db(), first.id).cue
    assert far is not None and TEXT[far.start : far.end] == "according to"
    app.press("Ctrl+Z")
    assert attr.get_attribution(app.db(), first.id).cue is None

    # The cue in its own sentence goes in at once; the mention on the same word is warned.
    _find(app, "said")
    app.press("C")
    cue = attr.get_attribution(app.db(), first.id).cue
    assert cue is not None and TEXT[cue.start : cue.end] == "said"
    _find(app, "said")
    app.press("M")
    assert attr.get_attribution(app.db(), first.id).mention is None
    assert _warned(app, "already the cue")
    _find(app, "Hossein Amir-Abdollahian")
    app.press("M")
    mention = attr.get_attribution(app.db(), first.id).mention
    assert mention is not None and TEXT[mention.start : mention.end] == "Hossein Amir-Abdollahian"

    # A very long target: the inspector wraps or elides, never scrolls sideways.
    app.press("T")
    _choose(app, LONG_TARGET, LONG_TARGET)
    scroll = workspace.inspector_scroll
    app.wait_until(lambda: workspace.inspector.target.text() == LONG_TARGET)
    assert not scroll.horizontalScrollBar().isVisible()
    room = scroll.viewport().width()
    assert workspace.inspector.width() <= room
    for field in (workspace.inspector.target, workspace.inspector.mention):
        right = field.mapTo(scroll.viewport(), field.rect().topRight()).x()
        assert field.isVisible() and right <= room, (field, right, room)
    app.check_window(main)

    # Nothing selected: no value of the last attribution shown, greyed or not.
    app.press("2")
    assert attr.get_attribution(app.db(), first.id).polarity.value == "oppose"
    app.press("Escape")
    inspector = workspace.inspector
    assert inspector.heading.text() == "No attribution selected"
    assert inspector.polarity.currentText() == "—" and inspector.kind.currentText() == ""
    assert inspector.target.text() == "—"
    app.quit()
