"""Live changes from other workstations: a background listener that wakes the screens.

On PostgreSQL the database announces every committed change to the board's tables (LISTEN/
NOTIFY, see ``store/dialect.py``). ``LiveChanges`` waits for those announcements on a thread of
its own with its own connection, so the UI thread never waits on the server; each one reaches
the UI thread as the ``changed`` signal. A lost connection is retried quietly, a little less
often each time; once back, ``changed`` fires as well, since changes made meanwhile were not
announced to this workstation. On SQLite there is nothing to listen to (``available`` is False)
and the screens keep polling.

A workstation keeps one listener per database (``shared``): the screens that follow changes (the
board, the task queue, the closed loops, the dashboard) take it through ``LiveRefresh`` and give
it back (``release``); the last one stops it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Collection
from typing import ClassVar

from PySide6.QtCore import QObject, QTimer, Signal

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
    #: Whether the listener is connected to the server now (emitted on the UI thread once
    #: ``connected`` holds the new state, so a screen that takes the listener later reads it there).
    connection_changed = Signal(bool)
    #: The listening thread's news of the connection, for ``_note_connection``.
    _connection_seen = Signal(bool)

    _shared: ClassVar[weakref.WeakKeyDictionary[Database, LiveChanges]] = weakref.WeakKeyDictionary()

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener = ChangeListener(db.engine)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._users = 0
        self.connected = False
        #: The reason of the last lost connection (shown in the status bar's tooltip).
        self.last_problem = ""
        self._connection_seen.connect(self._note_connection)

    @classmethod
    def shared(cls, db: Database) -> LiveChanges:
        """The workstation's one listener to ``db``, started; give it back with ``release``."""
        live = cls._shared.get(db)
        if live is None:
            live = cls._shared[db] = cls(db)
        live._users += 1
        live.start()
        return live

    def release(self) -> None:
        """A screen no longer follows the changes; the last one to let go stops the listener."""
        self._users -= 1
        if self._users > 0:
            return
        self.stop()
        for db, live in list(self._shared.items()):
            if live is self:
                del self._shared[db]

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
        self.connection_changed.emit(connected)

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
                    self._emit("_connection_seen", False)
                    first = False
                self._stop.wait(retry)
                retry = min(retry * 2, RETRY_MAX_S)
                continue
            retry = RETRY_FIRST_S
            self._emit("_connection_seen", True)
            if not first:
                self._emit("changed", "")
            first = False
            try:
                while not self._stop.is_set():
                    for table in sorted(self._listener.wait(WAIT_S)):
                        self._emit("changed", table)
            except ListenerLost as lost:
                self.last_problem = str(lost)
                self._emit("_connection_seen", False)
        self._listener.close()


class LiveRefresh(QObject):
    """How a screen follows the changes of other workstations: ``refresh`` runs when one of
    ``tables`` (every table: ``None``) changed on the server, or after the listener reconnected
    (changes made meanwhile were not announced).

    It runs ``coalesce_ms`` after the first notice, so that changes committed together make one
    refresh; the wait is not restarted by later notices, so a steady stream of changes cannot
    postpone it. On SQLite there is nothing to follow and ``live`` is None. ``close`` gives the
    workstation's listener back.
    """

    def __init__(self, db: Database, tables: Collection[str] | None, refresh: Callable[[], None],
                 *, coalesce_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tables = None if tables is None else frozenset(tables)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(refresh)
        self.live: LiveChanges | None = None
        if LiveChanges.available(db):
            self.live = LiveChanges.shared(db)
            self.live.changed.connect(self._on_change)

    def _on_change(self, table: str) -> None:
        wanted = table == "" or self._tables is None or table in self._tables
        if wanted and not self._timer.isActive():
            self._timer.start()

    def close(self) -> None:
        """Stop following (the screen is closing)."""
        self._timer.stop()
        if self.live is not None:
            self.live.changed.disconnect(self._on_change)
            self.live.release()
            self.live = None
