"""Drive the real app in a real X window the way a user does, and refuse to do otherwise.

Keys go to the active window (Qt routes them to whatever has focus there, through shortcuts
and modality, as it does for a keyboard); clicks go to a point of a shown window, and must land
on the widget meant. Each refuses a window or widget that is not shown, so a test cannot drive
a hidden widget without knowing. Every window a test meets is checked: shown, exposed, a sane
size on the screen, no part of it a hidden separate window, and drawn (a grab of the window
from the X server is not one flat colour).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QImage, QInputMethodEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLayout, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from annotator.storage.engine import Database
from tests.conftest import screenshot_dir
from tests.e2e.xserver import unavailable

if TYPE_CHECKING:
    from annotator.ui.app import Started
    from annotator.ui.main_window import MainWindow

MIN_SIZE = (200, 90)
Drive = Callable[[QWidget], object]


class RealApp:
    def __init__(self, qtbot: QtBot, home: Path, display: str) -> None:
        self.qtbot = qtbot
        self.home = home
        self.display = display
        self.db_path = home / "annotator.sqlite3"
        self.started: Started | None = None
        self._check_db: Database | None = None

    # -- life cycle ------------------------------------------------------------------------------
    def launch(self, *, welcome: Drive | None = None) -> MainWindow:
        """Start the app as `annotator --db PATH` does (annotator.ui.app.start, the code `run`
        runs before its event loop). `welcome` drives the first-run dialog if one is expected."""
        from annotator.ui.app import start

        assert self.started is None, "the app is already running"
        steps = [("Welcome to Annotator", welcome)] if welcome is not None else []
        outcome: list[object] = []
        self.run_modal(lambda: outcome.append(start(str(self.db_path))), *steps)
        started = outcome[0]
        assert not isinstance(started, int), f"the app did not start (exit code {started})"
        self.started = started  # type: ignore[assignment]
        window = self.window
        self.qtbot.waitUntil(lambda: window.windowHandle() is not None)
        self.activate(window)
        self.check_window(window)
        return window

    @property
    def window(self) -> MainWindow:
        assert self.started is not None, "the app is not running"
        return self.started.window

    def quit(self) -> None:
        """Ctrl+Q, as the user quits; then what `run` does after its event loop."""
        window = self.window
        self.press("Ctrl+Q")
        self.qtbot.waitUntil(lambda: not window.isVisible())
        assert self.started is not None
        self.started.database.dispose()
        self.started = None
        window.deleteLater()
        self.qtbot.wait(50)

    def close(self) -> None:
        """End of test: quit if still running (no checks: the test may have failed)."""
        if self.started is not None:
            self.started.window.close()
            self.started.database.dispose()
            self.started = None
        for widget in QApplication.topLevelWidgets():
            widget.close()
        if self._check_db is not None:
            self._check_db.dispose()

    def db(self) -> Database:
        """A connection of the test's own on the app's database file: what was committed."""
        if self._check_db is None:
            self._check_db = Database.open(self.db_path)
        return self._check_db

    # -- windows ---------------------------------------------------------------------------------
    def activate(self, window: QWidget) -> None:
        """Give the window the keyboard, as a window manager does for a window just shown."""
        assert window.isVisible(), f"“{window.windowTitle()}” is not shown"
        self.qtbot.waitUntil(lambda: window.windowHandle().isExposed(), timeout=10000)
        if QApplication.activeWindow() is not window:
            window.raise_()
            window.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=10000)

    def active_window(self) -> QWidget:
        window = QApplication.activeModalWidget() or QApplication.activeWindow()
        assert window is not None, "no window has the keyboard"
        assert window.isVisible(), f"the active window “{window.windowTitle()}” is not shown"
        return window

    def check_window(self, widget: QWidget, *, min_size: tuple[int, int] = MIN_SIZE) -> QWidget:
        """What the user should see of a window: shown, exposed, on the screen, drawn."""
        window = widget.window()
        title = window.windowTitle() or type(window).__name__
        assert window.isVisible(), f"“{title}” is not shown"
        handle = window.windowHandle()
        self.qtbot.waitUntil(lambda: handle is not None and handle.isExposed(), timeout=10000)
        screen = window.screen().geometry()
        size = window.size()
        assert min_size[0] <= size.width() <= screen.width(), f"“{title}” is {size.width()} px wide"
        assert min_size[1] <= size.height() <= screen.height(), (
            f"“{title}” is {size.height()} px high"
        )
        hidden = detached_children(window)
        assert not hidden, f"“{title}” holds hidden separate windows: {hidden}"
        self.assert_drawn(window)
        return window

    def grab(self, widget: QWidget) -> QImage:
        """The window's pixels as the X server has them."""
        window = widget.window()
        QApplication.processEvents()
        return window.screen().grabWindow(window.winId()).toImage()

    def grab_screen_area(self, widget: QWidget) -> QImage:
        """The screen where the window is, with whatever is on top of it (a dialog, a menu)."""
        window = widget.window()
        QApplication.processEvents()
        frame = window.frameGeometry()
        return (
            window.screen()
            .grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
            .toImage()
        )

    def assert_drawn(self, widget: QWidget) -> None:
        window = widget.window()
        last: list[QImage] = []

        def drawn() -> bool:
            last[:] = [self.grab(window)]
            return not is_flat(last[0])

        try:
            self.qtbot.waitUntil(drawn, timeout=5000)
        except Exception:  # noqa: BLE001 - report what was seen instead
            where = self.home / f"flat-{int(time.time() * 1000)}.png"
            last[0].save(str(where))
            raise AssertionError(
                f"“{window.windowTitle()}” shows one flat colour: nothing drawn ({where})"
            ) from None

    def screenshot(self, widget: QWidget, name: str, *, with_dialogs: bool = False) -> Path:
        """Save a grab (docs/screenshots with ANNOTATOR_SCREENSHOTS=1, else a temp folder)."""
        self.qtbot.wait(150)  # let late repaints (cursor blink, highlights) land
        image = self.grab_screen_area(widget) if with_dialogs else self.grab(widget)
        assert not is_flat(image), f"screenshot {name} is one flat colour"
        path = screenshot_dir() / f"{name}.png"
        image.save(str(path))
        return path

    # -- input -----------------------------------------------------------------------------------
    def _input_window(self) -> QWidget:
        window = self.active_window()
        self.activate(window)
        focus = QApplication.focusWidget()
        if focus is not None:
            assert focus.isVisible(), f"the keyboard is in a hidden widget: {focus!r}"
            assert focus.window() is window, f"the keyboard is in another window: {focus!r}"
        return window

    def press(self, *keys: str) -> None:
        """Press key combinations ("Q", "Ctrl+Shift+Right", "Alt+T") in the active window.

        A key that opens a modal dialog returns only once it is closed: use run_modal."""
        for key in keys:
            window = self._input_window()
            sequence = QKeySequence(key)
            assert sequence.count() == 1 and not sequence.isEmpty(), f"bad key {key!r}"
            QTest.keySequence(window.windowHandle(), sequence)
            QApplication.processEvents()

    def type_text(self, text: str) -> None:
        """Type into the widget that has the keyboard (it must be shown, in the active window)."""
        self._input_window()
        focus = QApplication.focusWidget()
        assert focus is not None, "nothing has the keyboard to type into"
        for run in re.findall(r"[\x00-\xff]+|[^\x00-\xff]+", text):
            if run[0] <= "\xff":
                QTest.keyClicks(focus, run)
            else:  # QTest types Latin-1 only (else it aborts): commit as an input method does
                event = QInputMethodEvent()
                event.setCommitString(run)
                QApplication.sendEvent(focus, event)
        QApplication.processEvents()

    def click(
        self,
        widget: QWidget,
        pos: QPoint | None = None,
        *,
        button: Qt.MouseButton = Qt.MouseButton.LeftButton,
        double: bool = False,
    ) -> None:
        """Click a point of a shown widget, through its window: it must be what is there."""
        window = widget.window()
        assert widget.isVisible(), f"cannot click {widget!r}: it is not shown"
        self.activate(window)
        point = widget.mapTo(window, pos if pos is not None else widget.rect().center())
        hit = window.childAt(point)
        assert hit is widget or (hit is not None and widget.isAncestorOf(hit)), (
            f"the click on {widget!r} would land on {hit!r}"
        )
        handle = window.windowHandle()
        if double:
            QTest.mouseDClick(handle, button, Qt.KeyboardModifier.NoModifier, point)
        else:
            QTest.mouseClick(handle, button, Qt.KeyboardModifier.NoModifier, point)
        QApplication.processEvents()

    def xdotool(self, *args: str) -> None:
        """Real X input through the X server (XTEST), into the window with the X focus."""
        if shutil.which("xdotool") is None:
            unavailable("xdotool is not installed (apt-get install xdotool)")
        self._input_window()
        env = dict(os.environ, DISPLAY=self.display)
        subprocess.run(["xdotool", *args], env=env, check=True, timeout=30)

    def wait_until(self, condition: Callable[[], object], timeout: int = 10000) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)

    # -- modal dialogs -----------------------------------------------------------------------------
    def run_modal(
        self, trigger: Callable[[], object], *steps: tuple[str, Drive], timeout: int = 20000
    ) -> list[QWidget]:
        """Run `trigger`, which opens modal dialogs one after the other; each step (part of the
        dialog's title, a function driving it) meets the next one, checks it (shown, sized,
        drawn) and drives it. Returns the dialogs once the last one closed; a step's failure
        closes the dialogs (so the app's exec() returns) and is raised here."""
        pending = list(steps)
        seen: list[QWidget] = []
        errors: list[BaseException] = []
        deadline = time.monotonic() + timeout / 1000
        timer = QTimer()
        timer.setInterval(25)

        def poll() -> None:
            if not pending:
                timer.stop()
                return
            dialog = QApplication.activeModalWidget()
            if time.monotonic() > deadline:
                errors.append(AssertionError(f"no dialog “{pending[0][0]}” appeared"))
                pending.clear()
                _close_modals()
                return
            if dialog is None or dialog in seen or not dialog.isVisible():
                return
            title, drive = pending[0]
            if title not in dialog.windowTitle():
                return  # another one first (a progress dialog): let it be
            pending.pop(0)
            seen.append(dialog)
            timer.stop()
            try:
                self.check_window(dialog)
                self.activate(dialog)
                drive(dialog)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the test below
                errors.append(exc)
                pending.clear()
                _close_modals()
            if pending:
                timer.start()

        timer.timeout.connect(poll)
        timer.start()
        before = QApplication.activeWindow()
        try:
            trigger()
            self.qtbot.waitUntil(lambda: not pending or bool(errors), timeout=timeout + 5000)
            self.qtbot.waitUntil(lambda: not any(_shown(d) for d in seen), timeout=timeout)
        finally:
            timer.stop()
        if errors:
            raise errors[0]
        # Xvfb has no window manager to give the keyboard back to the window below.
        if QApplication.activeWindow() is None and before is not None and _shown(before):
            self.activate(before)
        return seen


def _shown(widget: QWidget) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:  # deleted once closed
        return False


def _close_modals() -> None:
    for _ in range(10):
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        if isinstance(dialog, QDialog | QMessageBox):
            dialog.reject()
        else:
            dialog.close()
        QApplication.processEvents()


def is_flat(image: QImage) -> bool:
    """One colour (or nearly: a blank window with a stray line): nothing was drawn."""
    small = image.scaled(320, 200, Qt.AspectRatioMode.IgnoreAspectRatio,
                         Qt.TransformationMode.FastTransformation)  # fmt: skip
    small = small.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(small.constBits())
    pixels = Counter(data[i : i + 4] for i in range(0, len(data), 4))
    if not pixels:
        return True
    dominant = pixels.most_common(1)[0][1] / sum(pixels.values())
    return len(pixels) < 6 or dominant > 0.985


def detached_children(window: QWidget) -> list[str]:
    """Widgets placed in a layout of the window that are windows of their own: Qt never shows
    those with their parent (the review window's blank-dialog defect)."""
    found = []
    for child in window.findChildren(QWidget):
        parent = child.parentWidget()
        if not child.isWindow() or parent is None or parent.layout() is None:
            continue
        if _in_layout(parent.layout(), child) and not child.isVisible():
            found.append(f"{type(child).__name__} “{child.windowTitle()}”")
    return found


def _in_layout(layout: QLayout, widget: QWidget) -> bool:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is widget:
            return True
        inner = item.layout()
        if inner is not None and _in_layout(inner, widget):
            return True
    return False
