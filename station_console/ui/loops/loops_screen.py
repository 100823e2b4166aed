"""The closed loops screen (闭环): repeat-call groups and non-police diversions, with clocks.

Repeat detection scans the last window of calls (about half a second on a year's demo station,
longer on big stations), so it runs in the background; the scan also records patterns and
issues their follow-up tasks, once per pattern, and repeats every few minutes so imported calls
are caught too. Diversions are a few hundred open rows, read directly; clocks tick from memory.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.loops import DIVERSION, DiversionState, LoopError
from station_console.services.diversion import DiversionRow, DiversionService
from station_console.services.repeats import GroupRow, RepeatService, ScanResult
from station_console.store.database import Database
from station_console.ui.live import LiveRefresh
from station_console.ui.loops.disputes_tab import DisputesTab
from station_console.ui.loops.warnings_tab import WarningsTab
from station_console.ui.widgets.screen import HeaderLabel, Screen, wait_until
from station_console.ui.workers import Jobs, Progress

SCAN_EVERY_MS = 5 * 60_000
#: How often the warning orders are read again, whichever screen is in front: an order entered or
#: imported at another workstation gets its clock and its overdue alert here too.
WARNINGS_RELOAD_MS = 30_000
#: How long after the first announcement from the server the lists are read (changes arriving
#: together, one reload).
LIVE_COALESCE_MS = 100
TICK_MS = 1000
OVERDUE_BG = QColor("#f9d6d3")


def format_clock(seconds: int) -> str:
    """A countdown as [-]H:MM:SS."""
    sign = "-" if seconds < 0 else ""
    s = abs(seconds)
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class LoopsScreen(Screen):
    """Repeat calls and diversions, each a list with filters and clocks."""

    screen_id = "loops"

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repeats = RepeatService(db, now=now, actor=self.tr("command room"))
        self.diversions = DiversionService(db, now=now, actor=self.tr("command room"))
        self.now = now
        self.jobs = Jobs()
        self._groups: list[GroupRow] = []
        self._rows: list[DiversionRow] = []
        self._scan_done = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(HeaderLabel(self.tr("Closed loops")))
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_repeats(), self.tr("Repeat calls"))
        self.tabs.addTab(self._build_diversions(), self.tr("Non-police diversion"))
        self.disputes_tab = DisputesTab(db, now=now)
        self.tabs.addTab(self.disputes_tab, self.tr("Disputes"))
        self.warnings_tab = WarningsTab(db, now=now)
        self.tabs.addTab(self.warnings_tab, self.tr("Warning orders"))

        self._scan_timer = QTimer(self)
        self._scan_timer.timeout.connect(self.scan)
        self._scan_timer.start(SCAN_EVERY_MS)
        self._tick_timer = QTimer(self)
        self._tick_timer.timeout.connect(self._tick)
        self._tick_timer.start(TICK_MS)
        self._warnings_timer = QTimer(self)
        self._warnings_timer.timeout.connect(self.warnings_tab.reload)
        self._warnings_timer.start(WARNINGS_RELOAD_MS)
        # On a server, a diversion, dispute or warning order changed at another workstation (each
        # logs a loop event) is shown once it is announced.
        self._follow = LiveRefresh(db, ("diversion", "loop_event"), self.reload_lists,
                                   coalesce_ms=LIVE_COALESCE_MS, parent=self)

    def title(self) -> str:
        return self.tr("Closed loops")

    def show_tab(self, name: str) -> None:
        """Bring a tab to the front: "repeats", "diversions", "disputes" or "warnings"."""
        self.tabs.setCurrentIndex(("repeats", "diversions", "disputes", "warnings").index(name))

    # repeat calls -----------------------------------------------------------------------

    def _build_repeats(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.kind_filter = QComboBox()
        for label, kind in ((self.tr("All patterns"), ""), (self.tr("One person, many calls"), "person"),
                            (self.tr("One place, many calls"), "place"),
                            (self.tr("One event, many calls"), "event")):
            self.kind_filter.addItem(label, kind)
        self.kind_filter.currentIndexChanged.connect(self._fill_groups)
        self.scan_button = QPushButton(self.tr("Scan now"))
        self.scan_button.clicked.connect(self.scan)
        # Imports check only the calls of the window; older imported calls are history.
        self.history_since = QDateEdit()
        self.history_since.setCalendarPopup(True)
        self.history_since.setDisplayFormat("yyyy-MM-dd")
        self.history_since.setDate(QDate.currentDate().addYears(-1))
        self.history_since.setToolTip(self.tr(
            "Imported calls older than the repeat window are not checked at import: "
            "scan them from this date"))
        self.history_button = QPushButton(self.tr("Scan history"))
        self.history_button.clicked.connect(self.scan_history)
        self.history_progress = QProgressBar()
        self.history_progress.setMaximumWidth(160)
        self.history_cancel = QPushButton(self.tr("Cancel"))
        self.history_cancel.clicked.connect(self.jobs.cancel_all)
        for widget in (self.history_progress, self.history_cancel):
            widget.hide()
        self.repeat_status = QLabel()
        bar.addWidget(QLabel(self.tr("Pattern:")))
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.scan_button)
        bar.addWidget(QLabel(self.tr("History from:")))
        bar.addWidget(self.history_since)
        bar.addWidget(self.history_button)
        bar.addWidget(self.history_progress)
        bar.addWidget(self.history_cancel)
        bar.addWidget(self.repeat_status, 1)
        v.addLayout(bar)
        self.group_table = QTableWidget(0, 6)
        self.group_table.setHorizontalHeaderLabels([
            self.tr("Pattern"), self.tr("Person / place / event"), self.tr("Community"),
            self.tr("Calls"), self.tr("Last call"), self.tr("Follow-up task")])
        self._setup_table(self.group_table, stretch=1)
        v.addWidget(self.group_table, 1)
        self.group_calls = QLabel()
        self.group_calls.setWordWrap(True)
        self.group_calls.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.group_table.itemSelectionChanged.connect(self._show_group_calls)
        v.addWidget(self.group_calls)
        return page

    def _kind_names(self) -> dict[str, str]:
        return {"person": self.tr("One person, many calls"), "place": self.tr("One place, many calls"),
                "event": self.tr("One event, many calls")}

    def scan(self) -> None:
        """Detect, record and follow up in the background, then show the current groups."""
        self._start_scan(None, self.tr("Scanning the calls of the last days…"))

    def scan_history(self) -> None:
        """The same scan from the chosen date: imported history the import left unchecked."""
        since = self.history_since.date().toPython()
        self._start_scan(datetime(since.year, since.month, since.day),
                         self.tr("Scanning the calls since {date}…").format(date=since.isoformat()))

    def _start_scan(self, since: datetime | None, status: str) -> None:
        if self.jobs.busy:
            return
        self._set_scanning(True, history=since is not None)
        self.repeat_status.setText(status)

        def work(progress: Progress) -> tuple[ScanResult, list[GroupRow], bool]:
            result = self.repeats.scan(progress.report, since=since)
            return result, self.repeats.current_groups(), progress.cancelled

        self.jobs.start(work, self._scanned, self._scan_failed, self._scan_progress)

    def _set_scanning(self, scanning: bool, *, history: bool = False) -> None:
        self.scan_button.setEnabled(not scanning)
        self.history_button.setEnabled(not scanning)
        self.history_progress.setRange(0, 0)
        for widget in (self.history_progress, self.history_cancel):
            widget.setVisible(scanning and history)

    def _scan_progress(self, done: int, total: int) -> None:
        self.history_progress.setRange(0, max(total, 1))
        self.history_progress.setValue(min(done, total))

    def _scanned(self, outcome: tuple[ScanResult, list[GroupRow], bool]) -> None:
        result, self._groups, cancelled = outcome
        self._scan_done = True
        self._set_scanning(False)
        text = self.tr("{groups} groups; {tasks} follow-up tasks issued by this scan").format(
            groups=len(self._groups), tasks=len(result.tasks_issued))
        if cancelled:
            text = self.tr("Stopped; the steps scanned so far are kept. {summary}").format(summary=text)
        self.repeat_status.setText(text)
        self._fill_groups()

    def _scan_failed(self, exc: BaseException, _trace: str) -> None:
        self._scan_done = True
        self._set_scanning(False)
        self.repeat_status.setText(self.tr("The scan failed: {error}").format(error=exc))

    def _fill_groups(self) -> None:
        kind = self.kind_filter.currentData()
        groups = [g for g in self._groups if not kind or g.kind == kind]
        names = self._kind_names()
        self.group_table.setRowCount(len(groups))
        for row, g in enumerate(groups):
            cells = [names[g.kind], g.label, g.community, str(len(g.incident_nos)),
                     f"{g.last_at:%Y-%m-%d %H:%M}", g.task_no or "—"]
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row)
                self.group_table.setItem(row, col, item)
        self._visible_groups = groups

    def _show_group_calls(self) -> None:
        rows = {i.row() for i in self.group_table.selectedIndexes()}
        if not rows:
            self.group_calls.clear()
            return
        g = self._visible_groups[min(rows)]
        self.group_calls.setText(self.tr("Calls: {numbers}").format(numbers="  ".join(g.incident_nos)))

    # diversions -------------------------------------------------------------------------

    def _build_diversions(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        bar = QHBoxLayout()
        self.state_filter = QComboBox()
        self.state_filter.addItem(self.tr("Open"), "open")
        self.state_filter.addItem(self.tr("All"), "")
        for state, label in self._state_names().items():
            self.state_filter.addItem(label, state)
        self.state_filter.currentIndexChanged.connect(self.reload_diversions)
        self.department_filter = QComboBox()
        self.department_filter.currentIndexChanged.connect(self.reload_diversions)
        bar.addWidget(QLabel(self.tr("State:")))
        bar.addWidget(self.state_filter)
        bar.addWidget(QLabel(self.tr("Department:")))
        bar.addWidget(self.department_filter, 1)
        self.rate_label = QLabel()
        bar.addWidget(self.rate_label)
        v.addLayout(bar)
        self.diversion_table = QTableWidget(0, 8)
        self.diversion_table.setHorizontalHeaderLabels([
            self.tr("Incident"), self.tr("Category"), self.tr("Address"), self.tr("Department"),
            self.tr("State"), self.tr("Step clock"), self.tr("Handed over"), self.tr("Result")])
        self._setup_table(self.diversion_table, stretch=2)
        v.addWidget(self.diversion_table, 1)
        actions = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for action, label in (("accept", self.tr("Accepted")), ("complete", self.tr("Done…")),
                              ("feedback", self.tr("Feedback…")), ("revisit", self.tr("Revisit…")),
                              ("decline", self.tr("Declined…")), ("cancel", self.tr("Cancel…"))):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, a=action: self._act(a))
            actions.addWidget(button)
            self.action_buttons[action] = button
        actions.addStretch(1)
        report = QPushButton(self.tr("Department report (PDF / XLSX)…"))
        report.clicked.connect(self._write_report)
        actions.addWidget(report)
        v.addLayout(actions)
        self.diversion_table.itemSelectionChanged.connect(self._update_actions)
        return page

    def _state_names(self) -> dict[str, str]:
        return {
            DiversionState.HANDED_OVER: self.tr("handed over"), DiversionState.ACCEPTED: self.tr("accepted"),
            DiversionState.DONE: self.tr("done"), DiversionState.FED_BACK: self.tr("fed back"),
            DiversionState.CLOSED: self.tr("revisited, closed"), DiversionState.DECLINED: self.tr("declined"),
            DiversionState.CANCELLED: self.tr("cancelled"),
        }

    def _fill_departments(self) -> None:
        current = self.department_filter.currentData()
        self.department_filter.blockSignals(True)
        self.department_filter.clear()
        self.department_filter.addItem(self.tr("All departments"), None)
        for d in self.diversions.departments():
            self.department_filter.addItem(d.name, d.id)
        index = self.department_filter.findData(current)
        self.department_filter.setCurrentIndex(max(0, index))
        self.department_filter.blockSignals(False)

    def reload_diversions(self) -> None:
        """Read the diversions the filters ask for."""
        state = self.state_filter.currentData()
        self._rows = self.diversions.find(open_only=state == "open", state=state if state != "open" else None,
                                          department_id=self.department_filter.currentData())
        names = self._state_names()
        self.diversion_table.setRowCount(len(self._rows))
        for row, r in enumerate(self._rows):
            cells = [r.incident_no, r.category_name, r.address, r.department, names[DiversionState(r.state)],
                     "", f"{r.handed_over_at:%m-%d %H:%M}", r.result]
            for col, value in enumerate(cells):
                self.diversion_table.setItem(row, col, QTableWidgetItem(value))
        now = self.now()
        rate = self.diversions.rate(now - timedelta(days=30), now)
        if rate.rate is not None:
            self.rate_label.setText(self.tr("Diversion rate, last 30 days: {rate:.1%} of all calls")
                                    .format(rate=rate.rate))
        self._tick()
        self._update_actions()

    def _tick(self) -> None:
        now = self.now()
        for row, r in enumerate(self._rows):
            item = self.diversion_table.item(row, 5)
            if item is None:
                continue
            clock = r.clock()
            item.setText(format_clock(clock.remaining_s(now)) if clock else "—")
            late = clock is not None and clock.overdue(now)
            item.setBackground(QBrush(OVERDUE_BG) if late else QBrush())

    def _selected(self) -> DiversionRow | None:
        rows = {i.row() for i in self.diversion_table.selectedIndexes()}
        return self._rows[min(rows)] if rows else None

    def _update_actions(self) -> None:
        r = self._selected()
        allowed = DIVERSION.allowed(r.state) if r else frozenset()
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed)

    def _act(self, action: str) -> None:
        r = self._selected()
        if r is None:
            return
        try:
            if action == "accept":
                self.diversions.accept(r.id)
            elif action == "revisit":
                answer = QMessageBox.question(self, self.tr("Revisit"), self.tr("Was the caller satisfied?"))
                self.diversions.revisit(r.id, answer == QMessageBox.StandardButton.Yes)
            else:
                prompts = {"complete": self.tr("What did the department do?"),
                           "feedback": self.tr("The department's feedback:"),
                           "decline": self.tr("Why did the department decline?"),
                           "cancel": self.tr("Why is the diversion withdrawn?")}
                text, ok = QInputDialog.getText(self, r.incident_no, prompts[action])
                if not ok:
                    return
                getattr(self.diversions, action)(r.id, text)
        except LoopError as exc:
            QMessageBox.warning(self, self.tr("Not possible"), str(exc))
        self.reload_diversions()

    def _write_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Department report"),
                                              str(Path.home() / "diversion-report.pdf"),
                                              "PDF (*.pdf);;XLSX (*.xlsx)")
        if path:
            now = self.now()
            self.diversions.write_department_report(Path(path), now - timedelta(days=30), now)

    # screen -----------------------------------------------------------------------------

    @staticmethod
    def _setup_table(table: QTableWidget, stretch: int) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setDefaultSectionSize(130)
        # Incident numbers are 21 characters: show them whole.
        table.setColumnWidth(0, 190)

    def activated(self) -> None:
        self._fill_departments()
        self.reload_lists()
        if not self._scan_done and not self.jobs.busy:
            self.scan()

    def reload_lists(self) -> None:
        """Every list as it stands now: other workstations and imports change them meanwhile."""
        self.reload_diversions()
        self.disputes_tab.reload()
        self.warnings_tab.reload()

    def wait_ready(self, timeout_ms: int) -> str | None:
        ready = wait_until(lambda: not self.jobs.busy, timeout_ms)
        return None if ready else "the repeat scan did not finish in time"

    def shutdown(self) -> None:
        """Stop the timers and wait for a running scan (the window is closing)."""
        self._scan_timer.stop()
        self._tick_timer.stop()
        self._warnings_timer.stop()
        self._follow.close()
        self.jobs.wait()
        self.warnings_tab.shutdown()
