"""The Qt binding in use does not leak references: long sessions must not crash."""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication


def test_running_the_event_loop_keeps_none_alive(qapp: QApplication) -> None:
    """PySide6 6.12.0 dropped a reference to None per processEvents()/exec(): the process died
    after enough waits (the duty console runs all day; the test suite crashed at random)."""
    before = sys.getrefcount(None)
    for _ in range(500):
        QApplication.processEvents()
        loop = QEventLoop()
        QTimer.singleShot(0, loop.quit)
        loop.exec()
    assert sys.getrefcount(None) >= before - 50
