"""Background work for the UI: run a function on a pool thread, get the result by signal.

The function receives a ``Progress`` it can report to and poll for cancellation. Results and
errors come back on the UI thread through Qt signals; only plain data crosses threads. The
outcome slots are connected *before* the job starts: a quick job could otherwise finish
before anyone listens, and its result would be lost.
"""

from __future__ import annotations

import threading
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal

#: Background jobs mostly wait on SQLite and the disk, not the CPU. Qt sizes its pool by core
#: count (2 on many station PCs), so one long scan plus the map's load would leave the board's
#: quick list query queued behind them; a few more threads keep it responsive.
MIN_POOL_THREADS = 6
#: Recently finished workers (see ``run_in_background``); by the time one drops out, its pool
#: thread has long returned.
_finished: deque[Worker] = deque(maxlen=64)


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
        self.setAutoDelete(False)
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


def run_in_background(
    fn: Callable[[Progress], Any],
    *,
    finished: Callable[[Any], None] | None = None,
    failed: Callable[[BaseException, str], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Worker:
    """Connect the given slots, then start ``fn`` on the shared pool. Keep the returned worker."""
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < MIN_POOL_THREADS:
        pool.setMaxThreadCount(max(MIN_POOL_THREADS, QThread.idealThreadCount()))
    worker = Worker(fn)
    # Keep the finished worker referenced a while: its pool thread is still returning from
    # run() when the outcome reaches the UI thread, and freeing it then would free the
    # runnable under that thread.
    worker.signals.finished.connect(lambda _result: _finished.append(worker))
    worker.signals.failed.connect(lambda _exc, _trace: _finished.append(worker))
    if finished is not None:
        worker.signals.finished.connect(finished)
    if failed is not None:
        worker.signals.failed.connect(failed)
    if progress is not None:
        worker.signals.progress.connect(progress)
    pool.start(worker)
    return worker


class Jobs:
    """The background jobs of one screen or dialog: kept alive until they end, awaitable on close."""

    def __init__(self) -> None:
        self._running: set[Worker] = set()

    def start(
        self,
        fn: Callable[[Progress], Any],
        finished: Callable[[Any], None],
        failed: Callable[[BaseException, str], None],
        progress: Callable[[int, int], None] | None = None,
    ) -> Worker:
        """Run ``fn`` in the background; exactly one of ``finished`` / ``failed`` is called."""
        holder: list[Worker] = []

        def done(result: Any) -> None:
            self._running.discard(holder[0])
            finished(result)

        def error(exc: BaseException, trace: str) -> None:
            self._running.discard(holder[0])
            failed(exc, trace)

        worker = run_in_background(fn, finished=done, failed=error, progress=progress)
        holder.append(worker)
        self._running.add(worker)
        return worker

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        for worker in self._running:
            worker.progress.cancel()

    def wait(self, msecs: int = 10_000) -> bool:
        """Cancel and wait for the running jobs (when the owner closes)."""
        self.cancel_all()
        return QThreadPool.globalInstance().waitForDone(msecs)
