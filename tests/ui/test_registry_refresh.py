"""The registries panel is refreshed after an edit only when the edit changes what it shows
(which attributions name an entry, and where): a new quote with no speaker yet, or a polarity,
costs no refresh (on a 20,000-attribution project each one read every usage)."""

from __future__ import annotations

from annotator.model import Polarity
from tests.ui.shell_helpers import make_shell


def test_refresh_follows_only_edits_the_panel_shows(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    ws = w.workspace
    w.open_document(shell.docs[0])
    touched: list[int] = []
    ws.registries_touched.connect(lambda: touched.append(1))

    ws.view.select_cp(0, 8)  # "Minister": a new quote, no speaker yet
    ws.actions_by_name["create"].trigger()
    assert len(ws.records) == 2 and touched == [] and not w._registry_timer.isActive()

    [spoken] = [r for r in ws.records.values() if r.speaker_id]
    ws.select(spoken.id)
    ws.set_polarity(Polarity.SUPPORT)  # the panel shows no polarity
    assert ws.records[spoken.id].polarity == Polarity.SUPPORT and touched == []

    ws.delete_selected()  # its speaker loses a usage
    assert touched == [1] and w._registry_timer.isActive()
    w.undo_stack.undo()  # and gets it back
    assert touched == [1, 1]
