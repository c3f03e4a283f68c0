"""Speaker / via / target choosers: type-ahead, fuzzy, pronouns, alias growth (checked in the DB)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from annotator.services.attributions import get_attribution
from annotator.services.registries import get_actor, get_target, list_actors, list_targets
from annotator.ui.workspace import Workspace
from tests.conftest import TURAN_QUOTES, TURAN_TXT
from tests.ui.workspace_helpers import import_turan


@pytest.fixture
def turan(qtbot, db, corpus):
    setup = import_turan(db, TURAN_TXT, TURAN_QUOTES)
    stack = QUndoStack()
    ws = Workspace(db, stack)
    ws.set_context(setup.project_id, setup.annotator_id)
    ws.resize(1200, 800)
    qtbot.addWidget(ws)
    ws.show()
    qtbot.waitExposed(ws)
    ws.load_document(setup.document_id)
    ws.view.setFocus()
    ws.test_stack = stack  # type: ignore[attr-defined]
    return ws


def new_quote(qtbot, ws: Workspace, content: str, mention: str, occurrence: int = 0) -> str:
    """Create an attribution for `content` with `mention` (the nth occurrence) by keys."""
    start = ws.text.index(content)
    ws.view.select_cp(start, start + len(content))
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    at = -1
    for _ in range(occurrence + 1):
        at = ws.text.index(mention, at + 1)
    ws.view.select_cp(at, at + len(mention))
    qtbot.keyClick(ws.view, Qt.Key.Key_M)
    assert ws.selected_id is not None
    return ws.selected_id


def actor_named(ws: Workspace, name: str):
    [actor] = [a for a in list_actors(ws.db, ws.project_id) if a.name == name]
    return actor


def test_mention_spelling_variant_offers_canonical_actor_and_adds_alias(qtbot, turan) -> None:
    ws = turan
    actor = actor_named(ws, "Ali Akbar Ahmadian")
    # drop the imported alias so the chooser has to find him by fuzzy matching
    from annotator.services.registries import remove_alias

    remove_alias(ws.db, actor.id, "Ahmadiyyan")
    assert "Ahmadiyyan" not in get_actor(ws.db, actor.id).aliases
    att = new_quote(
        qtbot, ws, "Iran is ready to help the countries", "Ahmadiyyan", occurrence=2
    )  # in the quote's paragraph
    qtbot.keyClick(ws.view, Qt.Key.Key_S)
    chooser = ws.chooser()
    assert chooser.isVisible()
    assert chooser.edit.text() == "Ahmadiyyan"  # pre-filled from the mention
    assert chooser.current_choice().entry_id == actor.id  # fuzzy: offers Ali Akbar Ahmadian
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)
    assert get_attribution(ws.db, att).speaker_id == actor.id
    assert "Ahmadiyyan" in get_actor(ws.db, actor.id).aliases  # the mention became an alias
    assert ws.inspector.speaker.text() == "Ali Akbar Ahmadian"


def test_pronoun_mention_offers_most_recent_speaker(qtbot, turan) -> None:
    ws = turan
    raisi = actor_named(ws, "Ebrahim Raisi")
    # "He added that..." follows Raisi's quote; remove the imported one and redo it by keys
    [old] = [r for r in ws.ordered() if r.content_text(ws.text).startswith("the presence of non")]
    ws.select(old.id)
    qtbot.keyClick(ws.view, Qt.Key.Key_Delete)
    att = new_quote(qtbot, ws, "the presence of non-regional states benefits no one", "He")
    aliases_before = get_actor(ws.db, raisi.id).aliases
    qtbot.keyClick(ws.view, Qt.Key.Key_S)
    chooser = ws.chooser()
    assert chooser.current_choice().entry_id == raisi.id
    assert "most recent speaker" in chooser.list.currentItem().text()
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)
    assert get_attribution(ws.db, att).speaker_id == raisi.id
    assert get_actor(ws.db, raisi.id).aliases == aliases_before  # "He" is no alias


def test_enter_on_unknown_name_creates_actor_with_mention_alias(qtbot, turan) -> None:
    ws = turan
    att = new_quote(qtbot, ws, "held meetings in Tehran", "Turan")
    qtbot.keyClick(ws.view, Qt.Key.Key_S)
    chooser = ws.chooser()
    assert chooser.edit.text() == "Turan"
    assert chooser.current_choice().entry_id is None  # nothing fits: "create new actor"
    assert "create new actor" in chooser.list.currentItem().text()
    # typing replaces the pre-filled (selected) mention
    qtbot.keyClicks(chooser.edit, "Turan news agency")
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)
    speaker_id = get_attribution(ws.db, att).speaker_id
    actor = get_actor(ws.db, speaker_id)
    assert actor.name == "Turan news agency"
    assert "Turan" in actor.aliases
    assert ws.table_model.data(ws.table_model.index(ws.table_model.row_of(att), 0)) == actor.name
    # undo clears the speaker; redo reuses the same actor rather than making a second one
    ws.test_stack.undo()
    assert get_attribution(ws.db, att).speaker_id is None
    ws.test_stack.redo()
    assert get_attribution(ws.db, att).speaker_id == speaker_id
    assert sum(a.name == actor.name for a in list_actors(ws.db, ws.project_id)) == 1


def test_type_ahead_is_fuzzy_and_diacritic_insensitive(qtbot, turan) -> None:
    ws = turan
    new_quote(qtbot, ws, "held meetings in Tehran", "Khalaf Khalafov", occurrence=1)
    qtbot.keyClick(ws.view, Qt.Key.Key_S)
    chooser = ws.chooser()
    chooser.edit.clear()
    qtbot.keyClicks(chooser.edit, "Bageri")
    names = [chooser.list.item(i).text() for i in range(chooser.list.count())]
    assert names[0].startswith("Mohammad Bagheri"), names
    assert chooser.current_choice().name == "Mohammad Bagheri"
    chooser.edit.clear()
    # QTest cannot type non-Latin-1 keys: insert like an input method would
    chooser.edit.insert("ebrahím RAİSİ")
    assert chooser.current_choice().name == "Ebrahim Raisi"
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Escape)
    assert not chooser.isVisible()


def test_target_chooser_free_text_creates_target_and_via(qtbot, turan) -> None:
    ws = turan
    att = new_quote(qtbot, ws, "held meetings in Tehran", "Khalaf Khalafov", occurrence=1)
    qtbot.keyClick(ws.view, Qt.Key.Key_T)
    chooser = ws.chooser()
    qtbot.keyClicks(chooser.edit, "Azerbaijan-Iran dialogue")
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)
    target_id = get_attribution(ws.db, att).target_id
    assert get_target(ws.db, target_id).name == "Azerbaijan-Iran dialogue"
    assert len(list_targets(ws.db, ws.project_id)) >= 2
    qtbot.keyClick(ws.view, Qt.Key.Key_V)
    qtbot.keyClicks(chooser.edit, "IRNA")
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)
    assert get_attribution(ws.db, att).via_id == actor_named(ws, "IRNA").id


def test_merge_in_registry_repoints_the_open_document(qtbot, turan) -> None:
    from annotator.services.registries import create_actor, merge_actors

    ws = turan
    raisi = actor_named(ws, "Ebrahim Raisi")
    duplicate = create_actor(ws.db, ws.project_id, "Ibrahim Raisi")
    [first] = [r for r in ws.ordered() if r.speaker_id == raisi.id][:1]
    ws.select(first.id)
    qtbot.keyClick(ws.view, Qt.Key.Key_S)
    ws.chooser().edit.setText("Ibrahim Raisi")
    qtbot.keyClick(ws.chooser().edit, Qt.Key.Key_Return)
    assert get_attribution(ws.db, first.id).speaker_id == duplicate.id
    merge_actors(ws.db, raisi.id, duplicate.id)  # as the registry panel does
    ws.on_registry_changed()
    assert ws.records[first.id].speaker_id == raisi.id
    row = ws.table_model.row_of(first.id)
    assert ws.table_model.data(ws.table_model.index(row, 0)) == "Ebrahim Raisi"
    assert ws.selected_id == first.id


def test_whole_attribution_by_keyboard(qtbot, turan) -> None:
    """Q, C, M, S, V, T, 2, E: one full record, as in the hand-made corpus, without the mouse."""
    ws = turan
    # remove the imported one so we re-make it
    [old] = [r for r in ws.ordered() if r.content_text(ws.text).startswith("Iran opposes any plan")]
    ws.select(old.id)
    qtbot.keyClick(ws.view, Qt.Key.Key_Delete)
    content = "Iran opposes any plan that could change the geopolitics of the region"
    att = new_quote(qtbot, ws, content, "Ali Akbar Ahmadiyyan", occurrence=1)  # its sentence
    start = ws.text.index("stressed that Iran opposes")
    ws.view.select_cp(start, start + len("stressed"))
    qtbot.keyClick(ws.view, Qt.Key.Key_C)
    chooser = ws.chooser()
    qtbot.keyClick(ws.view, Qt.Key.Key_S)
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)  # the alias "Ali Akbar Ahmadiyyan" matches
    qtbot.keyClick(ws.view, Qt.Key.Key_V)
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)  # via of the previous quote: IRNA
    qtbot.keyClick(ws.view, Qt.Key.Key_T)
    qtbot.keyClicks(chooser.edit, "geopolitics")
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)
    qtbot.keyClick(ws.view, Qt.Key.Key_2)
    qtbot.keyClick(ws.view, Qt.Key.Key_E)
    qtbot.keyClicks(ws.inspector.proposition, "Iran opposes geopolitical change")
    qtbot.keyClick(ws.inspector.proposition, Qt.Key.Key_Return)
    rec = get_attribution(ws.db, att)
    assert rec.content_text(ws.text) == content
    assert rec.cue.text(ws.text) == "stressed"
    assert rec.mention.text(ws.text) == "Ali Akbar Ahmadiyyan"
    assert get_actor(ws.db, rec.speaker_id).name == "Ali Akbar Ahmadian"
    assert get_actor(ws.db, rec.via_id).name == "IRNA"
    assert get_target(ws.db, rec.target_id).name == "Change of the region's geopolitics"
    assert rec.polarity == "oppose" and rec.kind == "indirect"
    assert rec.proposition == "Iran opposes geopolitical change"
    qtbot.keyClick(ws.view, Qt.Key.Key_K)
    qtbot.keyClick(ws.view, Qt.Key.Key_J)
    assert ws.inspector.record.id == att
    assert ws.inspector.proposition.text() == rec.proposition
    assert ws.inspector.proposition.cursorPosition() == 0  # a long line shows its start


def test_clicking_a_row_keeps_the_keyboard_in_the_field(qtbot, turan) -> None:
    ws = turan
    att = new_quote(qtbot, ws, "held meetings in Tehran", "Khalaf Khalafov", occurrence=1)
    qtbot.keyClick(ws.view, Qt.Key.Key_S)
    chooser = ws.chooser()
    chooser.edit.clear()
    qtbot.keyClicks(chooser.edit, "Ra")
    rows = [chooser.list.item(i).text() for i in range(chooser.list.count())]
    raisi_row = next(i for i, t in enumerate(rows) if t.startswith("Ebrahim Raisi"))
    rect = chooser.list.visualItemRect(chooser.list.item(raisi_row))
    qtbot.mouseClick(chooser.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chooser.edit.hasFocus()
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Return)
    assert get_actor(ws.db, get_attribution(ws.db, att).speaker_id).name == "Ebrahim Raisi"
