"""Background work for the UI: run a function on a pool thread, get the result by signal.

The function receives a ``Progress`` it can report to and poll for cancellation. Results and
errors come back on the UI thread through Qt signals; only plain data crosses threads.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Progress:
    """Handed to the background function: report progress, check for cancellation."""

    def __init__(self, signals: WorkerSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def report(self, done: int, total: int) -> bool:
        """Report progress; returns False once the user has asked to cancel."""
        self._signals.progress.emit(done, total)
        return not self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class WorkerSignals(QObject):
    """Signals of one background job (delivered on the thread that owns this object)."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object, str)


class Worker(QRunnable):
    """Runs ``fn(progress)`` on the global thread pool."""

    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.signals = WorkerSignals()
        self.progress = Progress(self.signals)
        self._fn = fn

    def run(self) -> None:
        try:
            result = self._fn(self.progress)
        except BaseException as exc:
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


def run_in_background(fn: Callable[[Progress], Any]) -> Worker:
    """Start ``fn`` on the shared pool; connect to ``worker.signals`` to get the outcome."""
    worker = Worker(fn)
    worker.setAutoDelete(False)
    QThreadPool.globalInstance().start(worker)
    return worker
