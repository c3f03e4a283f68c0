"""The analyst's keyboard flow in a real window: find and select words, create attributions,
choose speakers (existing, new, through an alias) and targets (new, existing), set polarity and
proposition, delete, undo and redo; every step checked in the database."""

from __future__ import annotations

from annotator.services import registries as reg
from tests.e2e import seed
from tests.e2e.real_app import RealApp

TEXT = seed.ANALYST_TEXT


def _find(app: RealApp, words: str, nth: int = 1) -> None:
    """`/`, type, Enter until the nth match of the article is selected (as a user watches the
    article), Esc: the match stays selected."""
    at = -1
    for _ in range(nth):
        at = TEXT.lower().index(words.lower(), at + 1)
    view = app.window.workspace.view
    app.press("/")
    app.type_text(words)
    for _ in range(TEXT.lower().count(words.lower()) + 1):
        app.press("Return")
        if view.selected_span() == (at, at + len(words)):
            break
    app.press("Escape")
    assert view.hasFocus() and view.selected_span() == (at, at + len(words))


def _choose(app: RealApp, typed: str, expected_row_text: str) -> None:
    """The chooser floats over the article, shown and usable; type, check the offer, Enter."""
    chooser = app.window.workspace._chooser
    assert chooser is not None and chooser.isVisible() and chooser.edit.hasFocus()
    app.check_window(chooser)
    window = chooser.window()
    top = window.childAt(chooser.edit.mapTo(window, chooser.edit.rect().center()))
    assert top is chooser.edit, "the chooser is covered"
    chooser.edit.selectAll()
    app.type_text(typed)
    current = chooser.list.currentItem()
    assert current is not None and current.text().startswith(expected_row_text), [
        chooser.list.item(i).text() for i in range(chooser.list.count())
    ]
    app.press("Return")
    assert not chooser.isVisible()


def test_create_choose_edit_delete_undo_redo(app: RealApp) -> None:
    e = seed.analyst_project(app.home, app.db_path)
    main = app.launch()
    workspace = main.workspace
    stored = lambda: seed.live_attributions(app.db(), e["doc"], e["annotator"])  # noqa: E731
    text_of = lambda rec: TEXT[rec.start : rec.end]  # noqa: E731

    # 1. Find two words, widen the selection word by word, Q.
    _find(app, "Iran opposes")
    app.press(*["Ctrl+Shift+Right"] * 8)
    app.press("Q")
    [first] = stored()
    assert text_of(first) == "Iran opposes any change to the borders of the region"
    assert first.kind.value == "indirect"
    assert workspace.inspector.heading.text() == "Attribution 1 of 1"

    # 2. Speaker: an existing actor, found by a few letters.
    app.press("S")
    _choose(app, "Amir-Abd", "Hossein Amir-Abdollahian")
    assert stored()[0].speaker_id == e["minister"]

    # 3. Polarity and a new target typed in full, though another target shares words with it.
    app.press("2")
    app.press("T")
    _choose(app, "Change of the region's borders", "Change of the region's borders")
    [first] = stored()
    assert first.polarity.value == "oppose"
    target = reg.get_target(app.db(), first.target_id)
    assert target.name == "Change of the region's borders" and target.id != e["target"]

    # 4. Proposition: E, type, Enter stores it and gives the keyboard back to the article.
    app.press("E")
    app.type_text("Iran opposes border changes in the region")
    app.press("Return")
    assert stored()[0].proposition == "Iran opposes border changes in the region"
    assert workspace.view.hasFocus()

    # 5. A direct quote with a pronoun mention; its speaker is a new actor.
    _find(app, "\u201cWe will not accept it.\u201d")
    app.press("Q")
    quote = stored()[1]
    assert quote.kind.value == "direct"
    _find(app, "He told")
    app.press("Ctrl+Shift+Left", "M")  # "He"
    assert TEXT[stored()[1].mention.start : stored()[1].mention.end] == "He"
    app.press("S")
    _choose(app, "Nasser Kanaani", "Nasser Kanaani")
    kanaani = reg.get_actor(app.db(), stored()[1].speaker_id)
    assert kanaani.name == "Nasser Kanaani" and kanaani.aliases == ()

    # 6. A quote whose mention spells the minister differently: choosing him keeps the alias.
    _find(app, "only brings instability")
    app.press("Q")
    _find(app, "Abdollahian", nth=2)  # the second one: "according to Abdollahian"
    app.press("M", "S")
    _choose(app, "Abdollahian", "Hossein Amir-Abdollahian")
    third = stored()[2]
    assert third.speaker_id == e["minister"]
    assert "Abdollahian" in reg.get_actor(app.db(), e["minister"]).aliases
    app.press("T")
    _choose(app, "extra-regional powers", seed.EXISTING_TARGET)
    assert stored()[2].target_id == e["target"]
    assert workspace.inspector.heading.text() == "Attribution 3 of 3"

    # 7. Delete, undo, redo, undo: the database follows each step.
    app.press("K")  # the previous one: the direct quote
    assert workspace.inspector.heading.text() == "Attribution 2 of 3"
    app.press("Delete")
    assert [text_of(r) for r in stored()] == [text_of(first), text_of(third)]
    assert workspace.inspector.heading.text() == "No attribution selected"
    app.press("Ctrl+Z")
    assert len(stored()) == 3 and stored()[1].speaker_id == kanaani.id
    app.press("Ctrl+Shift+Z")
    assert len(stored()) == 2
    app.press("Ctrl+Z")
    assert len(stored()) == 3
    app.check_window(main)
    app.quit()
