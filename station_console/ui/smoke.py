"""``gui --smoke``: open the main window, visit every screen, print timings, exit.

Any Qt warning or uncaught exception on the way makes the run fail, so the smoke test of the
built package catches missing plugins, fonts, translations and broken screens.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEventLoop, QMessageLogContext, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from station_console.diagnostics import peak_rss_mb
from station_console.ui.main_window import MainWindow

#: Qt messages that say nothing about our program (platform plugin chatter).
_IGNORED = (
    "This plugin does not support propagateSizeHints()",
    # QtWebEngine's Chromium says this when run as root with the sandbox disabled.
    "Sandboxing disabled by user",
    # Offscreen QtWebEngine renders in software: no GPU to describe.
    "Unable to detect GPU vendor",
    "GPUInfo not initialized",
)
#: How long a screen may take to finish loading (the map page) before the run fails.
READY_TIMEOUT_MS = 30_000
#: Window size and settle time of a run that saves screenshots (``gui --smoke --shots DIR``).
SHOT_SIZE = (1440, 900)
SHOT_SETTLE_MS = 800


class SmokeRecorder:
    """Collects Qt warnings and uncaught exceptions from the moment it is created."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._previous_hook = sys.excepthook
        qInstallMessageHandler(self._on_message)
        sys.excepthook = self._on_exception

    def _on_message(self, kind: QtMsgType, _ctx: QMessageLogContext, message: str) -> None:
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        if any(message.startswith(prefix) for prefix in _IGNORED):
            return
        self.problems.append(f"Qt {kind.name}: {message}")
        print(f"smoke: Qt {kind.name}: {message}", file=sys.stderr)

    def _on_exception(self, kind: type[BaseException], exc: BaseException,
                      tb: TracebackType | None) -> None:
        self.problems.append(f"{kind.__name__}: {exc}")
        self._previous_hook(kind, exc, tb)

    def close(self) -> None:
        qInstallMessageHandler(None)
        sys.excepthook = self._previous_hook


def run_smoke(app: QApplication, window: MainWindow, recorder: SmokeRecorder,
              started: float, shots: Path | None = None, language: str = "") -> int:
    """Show the window, visit each screen once, print one JSON line; 0 when all went well.

    With ``shots`` the window is saved as ``<shots>/<language>-<screen>.png`` once each screen
    is ready (the way to look at the built package, which has no scripts/screenshots.py).
    """
    try:
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            window.resize(*SHOT_SIZE)
        window.show()
        app.processEvents()
        startup_s = time.perf_counter() - started
        screens: dict[str, float] = {}
        timings: dict[str, float] = {}
        for screen_id in window.screens:
            t0 = time.perf_counter()
            window.show_screen(screen_id)
            app.processEvents()
            problem = window.screens[screen_id].wait_ready(READY_TIMEOUT_MS)
            if problem is not None:
                recorder.problems.append(f"{screen_id}: {problem}")
            window.screens[screen_id].grab()  # paint it for real, offscreen too
            if shots is not None:
                _settle(SHOT_SETTLE_MS)
                window.grab().save(str(shots / f"{language}-{screen_id}.png"))
            screens[screen_id] = round(time.perf_counter() - t0, 4)
            timings.update(window.screens[screen_id].smoke_timings())
        window.close()
        app.processEvents()
        result = {
            "ok": not recorder.problems,
            "startup_s": round(startup_s, 3),
            "screens_s": screens,
            **timings,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "problems": recorder.problems,
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0 if not recorder.problems else 1
    finally:
        recorder.close()


def _settle(ms: int) -> None:
    """Let the event loop run for ``ms`` milliseconds (the map draws its layers)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
