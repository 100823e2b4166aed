"""The live incident board (警情): list, clocks, detail, workflow and intake.

Queries that can take long on a big database (the filtered count with the first page, exports)
run on the worker pool; the UI thread only reads small pages, the detail of one incident and
the live-update watermark (index lookups, well under a millisecond at a million incidents).

Changes by others reach the board two ways: on a PostgreSQL server, the server's announcement
of each committed change (``ui/live.py``) refreshes it at once; everywhere, a poll of the
watermark every ``POLL_MS`` is the fallback (and on SQLite, one station PC, the only way).
Workflow actions carry the version of the incident the operator saw: one changed meanwhile by
someone else is refused with a message, and the board shows the incident as it is now.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStatusBar,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.enums import IncidentStatus, Priority
from station_console.domain.security import Perm, PermissionDenied
from station_console.domain.shifts import TimePreset
from station_console.domain.workflow import Action, ClockPolicy, Refusal, WorkflowError
from station_console.services.diversion import DiversionService
from station_console.services.incident_loops import non_police_codes
from station_console.services.incidents import (
    ExportCancelled,
    ExportFormat,
    ExportTooLarge,
    IncidentDetail,
    IncidentFilter,
    IncidentRow,
    IncidentService,
    Sort,
    SortKey,
    Watermark,
)
from station_console.services.repeats import RepeatService
from station_console.store.database import Database
from station_console.ui.board.detail_pane import DetailPane
from station_console.ui.board.divert_dialog import DivertDialog
from station_console.ui.board.filter_bar import FilterBar
from station_console.ui.board.reveal_dialog import RevealDialog
from station_console.ui.dialogs.dispatch_dialog import DispatchDialog, UnitsDialog
from station_console.ui.dialogs.intake_dialog import IntakeDialog
from station_console.ui.dialogs.workflow_dialogs import ResolveDialog, TextDialog
from station_console.ui.live import LiveChanges, LiveRefresh
from station_console.ui.models.incident_labels import export_labels, refusal_message
from station_console.ui.models.incident_table import (
    PAGE_SIZE,
    SORT_COLUMNS,
    SORT_KEYS,
    Column,
    IncidentTableModel,
)
from station_console.ui.tasks.dialogs import IssueTaskDialog
from station_console.ui.widgets.screen import HeaderLabel, Screen, wait_until
from station_console.ui.workers import Jobs, Progress, Worker

#: How often the board looks for incidents written by anyone else.
POLL_MS = 1500
#: Announcements of changes arriving within this many ms are taken in by one refresh.
LIVE_COALESCE_MS = 60
#: How long ``smoke_timings`` waits for one query before leaving its figure out.
SMOKE_TIMEOUT_MS = 30_000
CLOCK_MS = 1000
#: Selected incidents whose place is kept across a refresh (merge selections are small).
KEEP_SELECTED = 20
COLUMN_WIDTHS = {
    Column.NUMBER: 178, Column.RECEIVED: 92, Column.CLOCK: 118, Column.STATUS: 92,
    Column.PRIORITY: 92, Column.CATEGORY: 104, Column.ADDRESS: 250, Column.AREA: 170,
    Column.UNIT: 150, Column.FLAGS: 120,
}
#: The widest text some columns must show whole, measured in the board's bold font: the
#: station's own intake numbers (L, a 12-digit station code, the day and a 5-digit sequence) and
#: an overdue clock against its limit; and the cell's padding around it (px).
WIDEST_TEXT = {Column.NUMBER: "L" + "0" * 25, Column.CLOCK: "⚠ 00:00:00 / 00:00"}
CELL_PADDING = 20
SETTINGS_FILTER = "board/filter"
SETTINGS_SORT = "board/sort"
SETTINGS_HEADER = "board/header"
SETTINGS_SPLITTER = "board/splitter"
SETTINGS_SOUND = "board/sound"
#: The permission each toolbar command needs.
ACTION_PERMISSIONS = {
    "new": Perm.INTAKE, "dispatch": Perm.DISPATCH, "arrive": Perm.DISPATCH,
    "resolve": Perm.DISPATCH, "close": Perm.DISPATCH, "reopen": Perm.DISPATCH,
    "merge": Perm.DISPATCH, "units": Perm.DISPATCH, "note": Perm.DISPATCH,
    "divert": Perm.DIVERT, "task": Perm.TASK_ISSUE, "export": Perm.EXPORT,
    "reveal": Perm.REVEAL_PERSONAL,
}
SETTINGS_PRIORITY_LIMITS = "clocks/priority_dispatch_s"


class BoardScreen(Screen):
    """The incident board. ``now`` and ``poll_ms`` can be fixed for tests."""

    screen_id = "board"
    overdue_changed = Signal(int)
    refreshed = Signal()

    def __init__(self, db: Database, settings: QSettings, status_bar: QStatusBar | None = None, *,
                 now: Callable[[], datetime] | None = None, poll_ms: int = POLL_MS,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._created = time.perf_counter()
        self.first_page_s: float | None = None
        self.setObjectName("boardScreen")
        self.settings = settings
        # Dispatch limits per priority can be tightened per station: "1=60, 2=120, 3=300".
        policy = ClockPolicy.from_text(str(settings.value(SETTINGS_PRIORITY_LIMITS, "")))
        self.service = IncidentService(db, policy=policy, now=now or datetime.now)
        self.lookups = self.service.lookups()
        self._non_police = non_police_codes(self.service.db)
        identity = db.identity
        self.actor = identity.display_name or identity.username
        #: Toolbar commands the signed-in account may not use (the services refuse them too).
        self._denied = {name for name, perm in ACTION_PERMISSIONS.items()
                        if not identity.can(perm)}
        self.active_dialog: QDialog | None = None
        self.last_message = ""
        self.new_count = 0
        self.overdue = 0
        self._generation = 0
        self._applied_generation = 0
        self.jobs = Jobs()
        self._pending_select: int | None = None
        self._detail_stamp: tuple[int, datetime] | None = None
        self._urgent_id: int | None = None
        self.export_progress: QProgressDialog | None = None

        self.model = IncidentTableModel(self.service, parent=self)
        self._build(status_bar)
        self._restore_settings()
        self._watermark: Watermark = self.service.watermark()
        self.requery(keep_position=False)

        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_MS)
        self._clock.timeout.connect(self.tick)
        self._clock.start()
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.poll)
        self._poll.start()
        self.poll()

        # Every announced table: the detail shows units, loops and the incident's tasks too.
        self._follow = LiveRefresh(db, None, self.refresh_from_others, coalesce_ms=LIVE_COALESCE_MS,
                                   parent=self)
        if self.live is not None:
            self.live.connection_changed.connect(self._show_live_state)
            if self.live.connected:  # another screen started it
                self._show_live_state(True)

    @property
    def live(self) -> LiveChanges | None:
        """The workstation's listener while the board follows other workstations (a server)."""
        return self._follow.live

    def title(self) -> str:
        return self.tr("Incidents")

    def _settled(self) -> bool:
        return self._applied_generation == self._generation and not self.jobs.busy

    def wait_ready(self, timeout_ms: int) -> str | None:
        if wait_until(self._settled, timeout_ms):
            return None
        return f"the incident list did not load within {timeout_ms / 1000:.0f} s"

    def smoke_timings(self) -> dict[str, float]:
        """Seconds to the first page and to apply a combined filter (2 categories + 7 days + text)."""
        figures = {"board_first_page_s": round(self.first_page_s or 0.0, 4)}
        first = self.model.row_at(0) if self.model.total else None
        shown = self.current_filter
        combined = IncidentFilter(preset=TimePreset.LAST_7D, categories=frozenset({"0102", "0501"}),
                                  text=first.address[:3] if first is not None else "")
        # set_filter does not emit ``changed``: the operator's saved filter stays as it was
        self.filter_bar.set_filter(combined)
        started = time.perf_counter()
        self.requery(keep_position=False)
        if wait_until(self._settled, SMOKE_TIMEOUT_MS):
            figures["board_filter_s"] = round(time.perf_counter() - started, 4)
        self.filter_bar.set_filter(shown)
        self.requery(keep_position=False)
        wait_until(self._settled, SMOKE_TIMEOUT_MS)
        return figures

    # building ---------------------------------------------------------------------------

    def _build(self, status_bar: QStatusBar | None) -> None:
        header = HeaderLabel(self.title())
        self.count_label = QLabel()
        self.count_label.setObjectName("boardCount")
        self.busy_label = QLabel(self.tr("Searching…"))
        self.busy_label.setObjectName("boardBusy")
        self.busy_label.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(header)
        top.addSpacing(16)
        top.addWidget(self.count_label)
        top.addWidget(self.busy_label)
        top.addStretch(1)

        self.banner = QFrame()
        self.banner.setObjectName("urgentBanner")
        self.banner.setStyleSheet(
            "QFrame#urgentBanner { background: #b71c1c; border-radius: 4px; }"
            "QFrame#urgentBanner QLabel { color: white; font-weight: bold; font-size: 14px; }")
        self.banner_label = QLabel()
        self.banner_show = QPushButton(self.tr("Show"))
        self.banner_close = QPushButton(self.tr("Dismiss"))
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 4, 10, 4)
        banner_layout.addWidget(self.banner_label, 1)
        banner_layout.addWidget(self.banner_show)
        banner_layout.addWidget(self.banner_close)
        self.banner.setVisible(False)
        self.banner_show.clicked.connect(self._show_urgent)
        self.banner_close.clicked.connect(lambda: self.banner.setVisible(False))

        self.message = QLabel()
        self.message.setObjectName("boardMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel#boardMessage { background: #fff4ce; color: #4a3b00;"
                                   " border: 1px solid #e0c060; padding: 4px 8px; }")
        self.message.setVisible(False)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.setInterval(8000)
        self._message_timer.timeout.connect(lambda: self.message.setVisible(False))

        self.filter_bar = FilterBar(self.lookups)
        self.filter_bar.changed.connect(self._on_filter_changed)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("boardToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        specs: list[tuple[str, str, str, Callable[[], None]]] = [
            ("new", self.tr("New intake"), "Ctrl+N", self.new_intake),
            ("dispatch", self.tr("Dispatch"), "D", self.dispatch_selected),
            ("arrive", self.tr("Arrived"), "A", self.arrive_selected),
            ("resolve", self.tr("Resolve"), "R", self.resolve_selected),
            ("close", self.tr("Close"), "C", self.close_selected),
            ("reopen", self.tr("Reopen"), "O", self.reopen_selected),
            ("merge", self.tr("Merge duplicates"), "M", self.merge_selected),
            ("units", self.tr("Units"), "U", self.units_dialog),
            ("note", self.tr("Note"), "N", self.note_selected),
            ("divert", self.tr("Divert"), "V", self.divert_selected),
            ("task", self.tr("Issue task"), "T", self.issue_task_selected),
            ("reveal", self.tr("Reveal caller"), "Ctrl+Shift+R", self.reveal_selected),
            ("export", self.tr("Export"), "Ctrl+E", self.export_dialog),
            ("refresh", self.tr("Refresh"), "F5", lambda: self.requery(keep_position=True)),
            ("search", self.tr("Search"), "Ctrl+F", self._focus_search),
        ]
        for name, text, key, slot in specs:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({native})")
            action.triggered.connect(lambda _=False, fn=slot: fn())
            self.addAction(action)
            self.actions_by_name[name] = action
            if name not in ("search", "refresh"):
                self.toolbar.addAction(action)
            if name in ("new", "task"):
                self.toolbar.addSeparator()
        self.toolbar.addSeparator()
        self.sound_action = QAction(self.tr("Sound alert"), self, checkable=True)
        self.sound_action.setToolTip(self.tr("Beep when a new urgent incident arrives"))
        self.sound_action.toggled.connect(lambda on: self.settings.setValue(SETTINGS_SOUND, bool(on)))
        self.toolbar.addAction(self.sound_action)

        self.view = QTableView()
        self.view.setObjectName("incidentTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setAlternatingRowColors(True)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(26)
        columns = self.view.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setStretchLastSection(True)
        columns.setHighlightSections(False)
        columns.setSectionsClickable(True)
        columns.setSortIndicatorShown(True)
        bold = QFont(self.view.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        for column, width in COLUMN_WIDTHS.items():
            # In whatever font the system gives, wide enough for the widest text it must show.
            widest = WIDEST_TEXT.get(column)
            need = metrics.horizontalAdvance(widest) + CELL_PADDING if widest else 0
            self.view.setColumnWidth(column, max(width, need))
        columns.sortIndicatorChanged.connect(self._on_sort_indicator)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.view.doubleClicked.connect(lambda _index: self.dispatch_selected())

        self.new_marker = QPushButton(self.view)
        self.new_marker.setObjectName("newMarker")
        self.new_marker.setStyleSheet(
            "QPushButton#newMarker { background: #1f3550; color: white; border-radius: 12px;"
            " padding: 4px 14px; font-weight: bold; }")
        self.new_marker.setVisible(False)
        self.new_marker.clicked.connect(self.scroll_to_top)

        self.detail = DetailPane(db=self.service.db)
        self.detail.related_activated.connect(self.select_incident)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(300)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("statusOverdue")
        self.live_label = QLabel()
        self.live_label.setObjectName("statusLive")
        self.live_label.setVisible(False)
        if status_bar is not None:
            status_bar.addPermanentWidget(self.live_label)
            status_bar.addPermanentWidget(self.overdue_label)
        self._update_actions()

    def _restore_settings(self) -> None:
        saved = self.settings.value(SETTINGS_FILTER)
        flt = IncidentFilter.from_json(str(saved)) if saved else IncidentFilter()
        self.filter_bar.set_filter(flt)
        sort = Sort()
        raw_sort = str(self.settings.value(SETTINGS_SORT, ""))
        key, _, direction = raw_sort.partition(":")
        if key in {k.value for k in SortKey}:
            sort = Sort(SortKey(key), direction != "asc")
        self.model.sort_order = sort
        header_state = self.settings.value(SETTINGS_HEADER)
        if isinstance(header_state, QByteArray):
            with QSignalBlocker(self.view.horizontalHeader()):
                self.view.horizontalHeader().restoreState(header_state)
        self._show_sort_indicator(sort)
        splitter_state = self.settings.value(SETTINGS_SPLITTER)
        if isinstance(splitter_state, QByteArray):
            self.splitter.restoreState(splitter_state)
        else:
            self.splitter.setSizes([1000, 360])
        self.sound_action.setChecked(str(self.settings.value(SETTINGS_SOUND, "false")).lower() == "true")

    def hideEvent(self, event: Any) -> None:
        self.settings.setValue(SETTINGS_HEADER, self.view.horizontalHeader().saveState())
        self.settings.setValue(SETTINGS_SPLITTER, self.splitter.saveState())
        super().hideEvent(event)

    def shutdown(self) -> None:
        """The window is closing: stop polling and let running queries finish, so that none
        reports to a board (or a database) that is gone."""
        self._poll.stop()
        self._clock.stop()
        if self.live is not None:
            self.live.connection_changed.disconnect(self._show_live_state)
        self._follow.close()
        self._generation += 1
        self.jobs.wait()
        self.detail.loops.shutdown()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place_marker()

    # querying ---------------------------------------------------------------------------

    @property
    def current_filter(self) -> IncidentFilter:
        return self.filter_bar.current_filter()

    def show_filter(self, flt: IncidentFilter) -> None:
        """Show exactly the incidents of ``flt`` (the dashboard's drill-down), as if chosen."""
        self.filter_bar.set_filter(flt)
        self._on_filter_changed()

    def _on_filter_changed(self) -> None:
        self.settings.setValue(SETTINGS_FILTER, self.current_filter.to_json())
        self.requery(keep_position=False)

    def _on_sort_indicator(self, column: int, order: Qt.SortOrder) -> None:
        """Header click: sort in SQL on an indexed column; other columns keep the current order."""
        key = SORT_KEYS.get(Column(column))
        current = self.model.sort_order
        if key is None:
            self._show_sort_indicator(current)
            return
        sort = Sort(key, order == Qt.SortOrder.DescendingOrder)
        self.settings.setValue(SETTINGS_SORT, f"{sort.key.value}:{'desc' if sort.descending else 'asc'}")
        self.requery(keep_position=False, sort=sort)

    def _show_sort_indicator(self, sort: Sort) -> None:
        header = self.view.horizontalHeader()
        with QSignalBlocker(header):
            header.setSortIndicator(SORT_COLUMNS[sort.key], Qt.SortOrder.DescendingOrder
                                    if sort.descending else Qt.SortOrder.AscendingOrder)

    def requery(self, *, keep_position: bool, sort: Sort | None = None) -> None:
        """Count and fetch the first page on a worker; keep the selection (and with
        ``keep_position`` the scroll position) when the result arrives."""
        self._generation += 1
        generation = self._generation
        flt, sort = self.current_filter, sort or self.model.sort_order
        current = self.current_id()
        selected = [i for i in self.selected_ids() if i != current][:KEEP_SELECTED]
        anchor_row = self.view.verticalScrollBar().value() if keep_position else 0
        anchor = self.model.row_at(anchor_row) if anchor_row > 0 else None
        anchor_id = anchor.id if anchor is not None else None
        wanted = [i for i in (current, anchor_id, self._pending_select, *selected) if i is not None]
        service = self.service

        def work(_progress: Progress) -> tuple[int, list[IncidentRow], dict[int, int | None]]:
            total, rows = service.first_page(flt, sort, PAGE_SIZE)
            return total, rows, {i: service.position(flt, sort, i) for i in dict.fromkeys(wanted)}

        self.busy_label.setVisible(True)

        def finished(result: Any) -> None:
            if generation != self._generation:
                return
            total, rows, positions = result
            self._apply(generation, flt, sort, total, rows, positions,
                        current=current, selected=selected, anchor=(anchor_id, anchor_row))

        def failed(error: Any, _trace: str) -> None:
            if generation == self._generation:
                self.busy_label.setVisible(False)
                self.show_message(self.tr("The list could not be loaded: {error}").format(error=error))

        self.jobs.start(work, finished, failed)

    def _apply(self, generation: int, flt: IncidentFilter, sort: Sort, total: int, rows: list[IncidentRow],
               positions: dict[int, int | None], *, current: int | None, selected: list[int],
               anchor: tuple[int | None, int]) -> None:
        self.busy_label.setVisible(False)
        self.model.show_result(flt, sort, total, rows)
        if self.first_page_s is None:
            self.first_page_s = time.perf_counter() - self._created
        selection = self.view.selectionModel()
        jump = self._pending_select is not None and positions.get(self._pending_select) is not None
        if jump:
            current, selected = self._pending_select, []
            self._pending_select = None
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for incident_id in selected:
            pos = positions.get(incident_id)
            if pos is not None:
                selection.select(self.model.index(pos, 0), flags)
        current_pos = positions.get(current) if current is not None else None
        if current_pos is not None:
            selection.setCurrentIndex(self.model.index(current_pos, 0), flags)
        anchor_id, anchor_row = anchor
        anchor_pos = positions.get(anchor_id) if anchor_id is not None else None
        bar = self.view.verticalScrollBar()
        if anchor_pos is not None:
            # Rows that arrived above the first visible one push it down: follow it, so the
            # operator's view does not move, and count them for the "N new" marker.
            bar.setValue(anchor_pos)
            if anchor_pos > anchor_row:
                self.new_count += anchor_pos - anchor_row
        else:
            bar.setValue(0)
        if jump and current_pos is not None:
            self.view.scrollTo(self.model.index(current_pos, 0),
                               QAbstractItemView.ScrollHint.PositionAtCenter)
        self._update_marker()
        self._update_count()
        self._refresh_detail(current_pos is not None)
        self._applied_generation = generation
        self.refreshed.emit()

    # live -------------------------------------------------------------------------------

    def poll(self) -> None:
        """Look for changes by anyone (another workstation, an import, the command line)."""
        self._check_overdue()
        mark = self.service.watermark()
        if mark == self._watermark:
            return
        previous, self._watermark = self._watermark, mark
        if mark.max_id > previous.max_id:
            self._alert_new(self.service.new_since(previous.max_id))
        self.requery(keep_position=True)

    def refresh_from_others(self) -> None:
        """The server announced a committed change: show it now, whatever the watermark says
        (a change by a workstation whose clock is behind leaves the newest time unchanged)."""
        self._check_overdue()
        previous, self._watermark = self._watermark, self.service.watermark()
        if self._watermark.max_id > previous.max_id:
            self._alert_new(self.service.new_since(previous.max_id))
        self._detail_stamp = None
        self.requery(keep_position=True)

    def _check_overdue(self) -> None:
        overdue = self.service.overdue_count()
        if overdue != self.overdue:
            self.overdue = overdue
            self.overdue_changed.emit(overdue)
        self._update_overdue_label()

    def _show_live_state(self, connected: bool) -> None:
        """The status bar says whether changes of other workstations arrive at once."""
        self.live_label.setVisible(True)
        if connected:
            self.live_label.setText(self.tr("● Live"))
            self.live_label.setToolTip(self.tr("Changes made on other workstations appear at once."))
            self.live_label.setStyleSheet("color: #2e7d32; padding: 0 8px;")
        else:
            self.live_label.setText(self.tr("Live updates interrupted — reconnecting…"))
            problem = self.live.last_problem if self.live is not None else ""
            self.live_label.setToolTip(self.tr(
                "The board checks for changes every few seconds until the server answers "
                "again.\n{problem}").format(problem=problem))
            self.live_label.setStyleSheet("color: #4a3b00; background: #fff4ce; padding: 0 8px;")

    def _alert_new(self, rows: list[IncidentRow]) -> None:
        urgent = [r for r in rows if r.priority == Priority.URGENT and IncidentStatus(r.status).is_open]
        if not urgent:
            return
        newest = urgent[0]
        self._urgent_id = newest.id
        text = self.tr("⚠ New urgent incident {number}: {category} — {address}").format(
            number=newest.incident_no, category=newest.category_name, address=newest.address)
        if len(urgent) > 1:
            text += "  " + self.tr("(+{count} more)").format(count=len(urgent) - 1)
        self.banner_label.setText(text)
        self.banner.setVisible(True)
        if self.sound_action.isChecked():
            QApplication.beep()

    def _show_urgent(self) -> None:
        self.banner.setVisible(False)
        if self._urgent_id is not None:
            self.select_incident(self._urgent_id)

    def tick(self) -> None:
        """One second passed: repaint the visible clocks (no query) and the detail clock."""
        if not self.isVisible() or self.model.total == 0:
            return
        first = self.view.rowAt(0)
        last = self.view.rowAt(self.view.viewport().height() - 1)
        if first < 0:
            return
        self.model.tick(first, last if last >= 0 else self.model.total - 1)
        self.detail.update_clock(self.service.now())

    def _on_scrolled(self, value: int) -> None:
        if value == 0 and self.new_count:
            self.new_count = 0
            self._update_marker()

    def _update_marker(self) -> None:
        at_top = self.view.verticalScrollBar().value() == 0
        if at_top:
            self.new_count = 0
        self.new_marker.setText(self.tr("↑ {count} new").format(count=self.new_count))
        self.new_marker.adjustSize()
        self.new_marker.setVisible(self.new_count > 0 and not at_top)
        self._place_marker()

    def _place_marker(self) -> None:
        header = self.view.horizontalHeader().height()
        self.new_marker.move(max(0, (self.view.width() - self.new_marker.width()) // 2), header + 6)
        self.new_marker.raise_()

    def scroll_to_top(self) -> None:
        self.view.scrollToTop()
        self.new_count = 0
        self._update_marker()

    # selection and detail ----------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row.id if row is not None else None

    def current_row(self) -> IncidentRow | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def selected_ids(self) -> list[int]:
        ids = []
        for index in self.view.selectionModel().selectedRows():
            row = self.model.row_at(index.row())
            if row is not None:
                ids.append(row.id)
        return ids

    def _selected_versions(self) -> dict[int, datetime]:
        """The versions of the selected incidents as the list shows them."""
        versions = {}
        for index in self.view.selectionModel().selectedRows():
            row = self.model.row_at(index.row())
            if row is not None:
                versions[row.id] = row.version
        return versions

    def select_incident(self, incident_id: int) -> None:
        """Select an incident; when the filter hides it, clear the filter first."""
        pos = self.service.position(self.current_filter, self.model.sort_order, incident_id)
        if pos is None:
            self._pending_select = incident_id
            self.filter_bar.set_filter(IncidentFilter())
            self._on_filter_changed()
            return
        shown = self.model.row_at(pos)
        if shown is None or shown.id != incident_id or self._generation != self._applied_generation:
            # The list is behind the database (a refresh is on its way): select on arrival.
            self._pending_select = incident_id
            self.requery(keep_position=True)
            return
        index = self.model.index(pos, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._refresh_detail(current.isValid())
        self._update_actions()

    def _refresh_detail(self, has_current: bool) -> None:
        row = self.current_row() if has_current else None
        if row is None:
            self._detail_stamp = None
            self.detail.show_detail(None, self.service.now())
            self._update_actions()
            return
        stamp = (row.id, row.updated_at)
        if stamp != self._detail_stamp or self.detail.detail is None:
            self._detail_stamp = stamp
            self.detail.show_detail(self.service.detail(row.id), self.service.now())
        self._update_actions()

    def _update_actions(self) -> None:
        detail: IncidentDetail | None = self.detail.detail if self.current_row() is not None else None
        allowed = detail.allowed() if detail is not None else frozenset()
        for workflow_action, name in ((Action.DISPATCH, "dispatch"), (Action.ARRIVE, "arrive"),
                                      (Action.RESOLVE, "resolve"), (Action.CLOSE, "close"),
                                      (Action.REOPEN, "reopen")):
            self.actions_by_name[name].setEnabled(workflow_action in allowed)
        self.actions_by_name["merge"].setEnabled(len(self.view.selectionModel().selectedRows()) > 1)
        self.actions_by_name["note"].setEnabled(detail is not None)
        self.actions_by_name["task"].setEnabled(detail is not None)
        self.actions_by_name["divert"].setEnabled(
            detail is not None and detail.row.category_code in self._non_police)
        self.actions_by_name["reveal"].setEnabled(
            detail is not None and not self.service.db.identity.can(Perm.VIEW_PERSONAL))
        for name in self._denied:
            self.actions_by_name[name].setEnabled(False)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{count} incidents").format(count=f"{self.model.total:,}"))

    def _update_overdue_label(self) -> None:
        if self.overdue:
            self.overdue_label.setText(self.tr("⚠ Overdue: {count}").format(count=self.overdue))
            self.overdue_label.setStyleSheet("color: white; background: #b71c1c; font-weight: bold;"
                                             " padding: 0 8px;")
        else:
            self.overdue_label.setText(self.tr("No overdue incidents"))
            self.overdue_label.setStyleSheet("color: #2e7d32; padding: 0 8px;")

    def show_message(self, text: str) -> None:
        """A notice above the list (refusals, results) that fades after a few seconds."""
        self.last_message = text
        self.message.setText(text)
        self.message.setVisible(True)
        self._message_timer.start()

    def _focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    # workflow ---------------------------------------------------------------------------

    def _command(self, fn: Callable[[], None], done: str) -> bool:
        """Run a workflow command; a refusal is shown, never raised."""
        try:
            fn()
        except WorkflowError as error:
            self.show_message(refusal_message(error))
            if error.code is Refusal.CHANGED_MEANWHILE:
                # Show the incident as it is now, so the operator decides on what is true.
                self.refresh_from_others()
            return False
        except PermissionDenied:
            self.show_message(self.tr("Your role may not do this."))
            return False
        self.show_message(done)
        self._watermark = self.service.watermark()
        self._detail_stamp = None
        self.requery(keep_position=True)
        return True

    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        """Show a dialog without blocking (tests reach it as ``active_dialog``)."""
        self.active_dialog = dialog

        def finished(code: int) -> None:
            self.active_dialog = None
            if code == QDialog.DialogCode.Accepted:
                on_accept()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _target(self) -> IncidentRow | None:
        row = self.current_row()
        if row is None:
            self.show_message(self.tr("Select an incident first."))
        return row

    def _seen(self, row: IncidentRow) -> datetime:
        """The version of ``row`` the operator is looking at (the detail pane's, when it shows
        that incident): an action on it is refused if someone changed the incident since."""
        shown = self.detail.detail
        return shown.row.version if shown is not None and shown.row.id == row.id else row.version

    def dispatch_selected(self) -> None:
        row = self._target()
        if row is None:
            return
        seen = self._seen(row)
        dialog = DispatchDialog(row, self.service.unit_board, self._set_unit_duty, self.lookups.officers,
                                self)
        self._open(dialog, lambda: self._command(
            lambda: self.service.dispatch(row.id, unit_id=dialog.unit_id(), officer_id=dialog.officer_id(),
                                          actor=self.actor, seen=seen),
            self.tr("{number} dispatched.").format(number=row.incident_no)))

    def _set_unit_duty(self, unit_id: int, on_duty: bool) -> str | None:
        """Put a unit on or off duty; the refusal message, if refused."""
        try:
            self.service.set_unit_duty(unit_id, on_duty, actor=self.actor)
        except WorkflowError as error:
            return refusal_message(error)
        return None

    def reveal_selected(self) -> None:
        """Show the caller's masked fields one by one (each reveal is audited)."""
        row = self._target()
        if row is None or self.detail.detail is None:
            return
        self._open(RevealDialog(self.service, row.id, self.detail.detail, self), lambda: None)

    def units_dialog(self) -> None:
        """The unit status board, to put units on or off duty."""
        self._open(UnitsDialog(self.service.unit_board, self._set_unit_duty, self), lambda: None)

    def arrive_selected(self) -> None:
        row = self._target()
        if row is not None:
            seen = self._seen(row)
            self._command(lambda: self.service.arrive(row.id, actor=self.actor, seen=seen),
                          self.tr("Arrival of {number} recorded.").format(number=row.incident_no))

    def resolve_selected(self) -> None:
        row = self._target()
        if row is None:
            return
        seen = self._seen(row)
        dialog = ResolveDialog(self.tr("Resolve {number}").format(number=row.incident_no), self)
        self._open(dialog, lambda: self._command(
            lambda: self.service.resolve(row.id, dialog.outcome_code(), note=dialog.note_text(),
                                         actor=self.actor, seen=seen),
            self.tr("{number} resolved.").format(number=row.incident_no)))

    def close_selected(self) -> None:
        row = self._target()
        if row is None:
            return
        seen = self._seen(row)
        dialog = TextDialog(self.tr("Close {number}").format(number=row.incident_no),
                            self.tr("Feedback: what was done and the result (required)."), self)
        self._open(dialog, lambda: self._command(
            lambda: self.service.close(row.id, dialog.text(), actor=self.actor, seen=seen),
            self.tr("{number} closed.").format(number=row.incident_no)))

    def reopen_selected(self) -> None:
        row = self._target()
        if row is None:
            return
        seen = self._seen(row)
        dialog = TextDialog(self.tr("Reopen {number}").format(number=row.incident_no),
                            self.tr("Why is the incident reopened? (recorded in the timeline)"), self)
        self._open(dialog, lambda: self._command(
            lambda: self.service.reopen(row.id, dialog.text(), actor=self.actor, seen=seen),
            self.tr("{number} reopened.").format(number=row.incident_no)))

    def note_selected(self) -> None:
        row = self._target()
        if row is None:
            return
        dialog = TextDialog(self.tr("Note on {number}").format(number=row.incident_no),
                            self.tr("The note is added to the incident's timeline."), self)
        self._open(dialog, lambda: self._command(
            lambda: self.service.add_note(row.id, dialog.text(), actor=self.actor),
            self.tr("Note added to {number}.").format(number=row.incident_no)))

    def issue_task_selected(self) -> None:
        """Issue a community-officer task from the current incident (template and officer proposed)."""
        row = self._target()
        if row is None:
            return
        dialog = IssueTaskDialog(self.service.db, row.id, parent=self)
        self._open(dialog, lambda: self.show_message(
            self.tr("Task {task} issued for {number}.").format(task=dialog.issued_task_no,
                                                               number=row.incident_no)))

    def divert_selected(self) -> None:
        """Hand the current non-police call to a department (非警务分流)."""
        row = self._target()
        if row is None:
            return
        diversions = DiversionService(self.service.db, actor=self.actor)
        dialog = DivertDialog(diversions, row.id, row.incident_no, self)
        # The dialog already handed the call over; the no-op command refreshes list and detail.
        self._open(dialog, lambda: self._command(
            lambda: None, self.tr("{number} handed to {department}.").format(
                number=row.incident_no, department=dialog.diversion.department if dialog.diversion else "")))

    def merge_selected(self) -> None:
        """Merge the other selected calls into the current one (the one with the focus)."""
        row = self._target()
        if row is None:
            return
        duplicates = [i for i in self.selected_ids() if i != row.id]
        seen = {**self._selected_versions(), row.id: self._seen(row)}
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Merge duplicates"),
                          self.tr("Merge {count} selected calls into {number}? They are closed and "
                                  "listed under it.").format(count=len(duplicates), number=row.incident_no),
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
        self._open(box, lambda: self._command(
            lambda: self.service.merge(row.id, duplicates, actor=self.actor, seen=seen),
            self.tr("{count} calls merged into {number}.").format(count=len(duplicates),
                                                                  number=row.incident_no)))

    def new_intake(self) -> None:
        dialog = IntakeDialog(self.lookups, lambda form: self.service.register(form, actor=self.actor),
                              self.service.now(), self,
                              repeats=RepeatService(self.service.db, now=self.service.now, actor=self.actor))

        def saved() -> None:
            result = dialog.result_value
            if result is None or result.incident_id is None:
                return
            self._pending_select = result.incident_id
            done = (self.tr("Incident {number} registered.") if result.in_jurisdiction else self.tr(
                "Incident {number} registered; its point is outside the jurisdiction (flagged)."))
            self._command(lambda: None, done.format(number=result.incident_no))

        self._open(dialog, saved)

    # export -----------------------------------------------------------------------------

    def export_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export the incidents shown"), str(Path.home() / "incidents.xlsx"),
            self.tr("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"))
        if not path:
            return
        is_csv = path.lower().endswith(".csv") or "csv" in chosen.lower()
        fmt = ExportFormat.CSV if is_csv else ExportFormat.XLSX
        target = Path(path)
        if target.suffix.lower() != f".{fmt.value}":
            target = target.with_suffix(f".{fmt.value}")
        self.export_to(target, fmt)

    def export_to(self, path: Path, fmt: ExportFormat) -> Worker:
        """Export the current view on a worker with a progress dialog and a cancel button."""
        flt, sort, labels = self.current_filter, self.model.sort_order, export_labels()
        service = self.service
        dialog = QProgressDialog(self.tr("Exporting incidents to {name}…").format(name=path.name),
                                 self.tr("Cancel"), 0, max(1, self.model.total), self)
        dialog.setObjectName("exportProgress")
        dialog.setWindowTitle(self.tr("Export"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.export_progress = dialog

        def finished(count: Any) -> None:
            dialog.close()
            self.show_message(self.tr("Exported {count} incidents to {path}.").format(count=count, path=path))

        def failed(error: Any, _trace: str) -> None:
            dialog.close()
            if isinstance(error, ExportCancelled):
                self.show_message(self.tr("Export cancelled; no file was written."))
            elif isinstance(error, ExportTooLarge):
                self.show_message(self.tr("{count} incidents do not fit in one Excel sheet; narrow the "
                                          "filter or export CSV.").format(count=error.rows))
            else:
                self.show_message(self.tr("Export failed: {error}").format(error=error))

        def on_progress(done: int, total: int) -> None:
            dialog.setMaximum(max(1, total))
            dialog.setValue(min(done, max(1, total)))

        worker = self.jobs.start(
            lambda progress: service.export(flt, sort, path, fmt, labels=labels, progress=progress.report),
            finished, failed, on_progress)
        dialog.canceled.connect(worker.progress.cancel)
        return worker
