"""The base of every screen in the main window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDeadlineTimer, QEventLoop, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def wait_until(condition: Callable[[], bool], timeout_ms: int) -> bool:
    """Run the event loop until ``condition()`` holds or the time is up; returns ``condition()``.

    A local event loop with a polling timer: calling ``processEvents()`` in a tight loop leaks
    a reference to None per call in this PySide6 and aborts the process during long waits.
    """
    if condition():
        return True
    loop = QEventLoop()
    deadline = QDeadlineTimer(timeout_ms)
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if condition() or deadline.hasExpired() else None)
    poll.start(50)
    loop.exec()
    poll.stop()
    return condition()


class Screen(QWidget):
    """One place of the main window. Subclasses set ``screen_id`` and fill themselves in."""

    screen_id = ""

    def title(self) -> str:
        """Translated name shown in the navigation and the window title."""
        raise NotImplementedError

    def activated(self) -> None:
        """Called each time the screen is shown: refresh what may have changed meanwhile."""

    def shutdown(self) -> None:
        """Stop timers and wait for background work: the window is closing.

        Called by the main window's close (or the screen's own, when it is a window by itself),
        never from hideEvent: a screen is also hidden while the window is being built and when
        another screen is chosen, and must stay alive then.
        """

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def wait_ready(self, timeout_ms: int) -> str | None:
        """Wait (running the event loop) until the screen has finished loading; the problem
        as text when it failed or timed out, None when ready. Most screens are ready at once."""
        return None

    def smoke_timings(self) -> dict[str, float]:
        """Figures (seconds) ``gui --smoke`` adds to its report, named ``<screen>_<what>_s``."""
        return {}


class HeaderLabel(QLabel):
    """A screen's heading."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("screenHeader")


class PendingScreen(Screen):
    """A screen whose tools have not shipped yet: says what it will hold, never looks broken."""

    def __init__(self, screen_id: str, title: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen_id = screen_id
        self._title = title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(HeaderLabel(title))
        body = QLabel(purpose)
        body.setObjectName("screenPurpose")
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(body)
        layout.addStretch(1)

    def title(self) -> str:
        return self._title
