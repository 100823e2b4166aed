"""Live changes from other workstations: a background listener that wakes the screens.

On PostgreSQL the database announces every committed change to the board's tables (LISTEN/
NOTIFY, see ``store/dialect.py``). ``LiveChanges`` waits for those announcements on a thread of
its own with its own connection, so the UI thread never waits on the server; each one reaches
the UI thread as the ``changed`` signal. A lost connection is retried quietly, a little less
often each time; once back, ``changed`` fires as well, since changes made meanwhile were not
announced to this workstation. On SQLite there is nothing to listen to (``available`` is False)
and the screens keep polling.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from station_console.store.database import Database
from station_console.store.dialect import ChangeListener, ListenerLost

#: How long one wait for an announcement lasts: also how soon ``stop`` takes effect.
WAIT_S = 0.2
#: Seconds between attempts to reconnect: the first, and the most it grows to.
RETRY_FIRST_S = 1.0
RETRY_MAX_S = 15.0


class LiveChanges(QObject):
    """Tells the UI thread when another workstation (or this one) committed a change."""

    #: A table whose rows changed ("" after a reconnection: anything may have changed).
    changed = Signal(str)
    #: Whether the listener is connected to the server now.
    connection_changed = Signal(bool)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener = ChangeListener(db.engine)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False
        #: The reason of the last lost connection (shown in the status bar's tooltip).
        self.last_problem = ""
        self.connection_changed.connect(self._note_connection)

    @staticmethod
    def available(db: Database) -> bool:
        """Whether the database announces changes (a PostgreSQL server)."""
        return ChangeListener.available(db.engine)

    def start(self) -> None:
        """Start listening in the background (connecting happens there too)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="live-changes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and wait for the thread (at most one wait of ``WAIT_S``)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join()

    def _note_connection(self, connected: bool) -> None:
        self.connected = connected

    def _emit(self, signal_name: str, value: object) -> None:
        """Emit from the listening thread; once the object is gone (its screen was destroyed
        without ``stop``), the thread ends instead of failing."""
        try:
            getattr(self, signal_name).emit(value)
        except RuntimeError:
            self._stop.set()

    def _run(self) -> None:
        retry = RETRY_FIRST_S
        first = True
        while not self._stop.is_set():
            try:
                self._listener.connect()
            except ListenerLost as lost:
                self.last_problem = str(lost)
                if first:
                    self._emit("connection_changed", False)
                    first = False
                self._stop.wait(retry)
                retry = min(retry * 2, RETRY_MAX_S)
                continue
            retry = RETRY_FIRST_S
            self._emit("connection_changed", True)
            if not first:
                self._emit("changed", "")
            first = False
            try:
                while not self._stop.is_set():
                    for table in sorted(self._listener.wait(WAIT_S)):
                        self._emit("changed", table)
            except ListenerLost as lost:
                self.last_problem = str(lost)
                self._emit("connection_changed", False)
        self._listener.close()
