"""The records behind a figure that is not a count of calls: disputes, warning orders, tasks, and
an officer's calls and tasks behind the scorecard. One tab per list; each list is read by the
figure's own SQL conditions (``AnalyticsService.items``), so its count is the figure's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.loops import WarningState
from station_console.domain.tasks import TaskState
from station_console.services.analytics import AnalyticsService, DrillItem, ItemDrill, ItemKind
from station_console.ui.loops.disputes_tab import stage_names
from station_console.ui.models.incident_labels import status_names
from station_console.ui.tasks.labels import state_names as task_state_names
from station_console.ui.workers import Jobs, Progress

LATE_BG = QColor("#f9d6d3")
#: Where each list's records live: the closed-loops tab or the task queue.
TARGETS = {ItemKind.DISPUTES_OPENED: ("loops", "disputes"), ItemKind.DISPUTES_RESOLVED: ("loops", "disputes"),
           ItemKind.WARNINGS_ANSWERED: ("loops", "warnings"), ItemKind.TASKS_SIGNOFF: ("tasks", None),
           ItemKind.TASKS_FEEDBACK: ("tasks", None)}


class Col:
    """Columns of a list."""

    NUMBER, AT, TITLE, WHO, STATE, DUE, DONE, ON_TIME = range(8)


def _when(t: datetime | None) -> str:
    return "" if t is None else f"{t:%Y-%m-%d %H:%M}"


class ItemsDialog(QDialog):
    """The lists behind one figure, read in the background; ``loaded`` when they are shown."""

    loaded = Signal()
    #: A screen to open on these records: ("loops", tab name) or ("tasks", officer id or None).
    open_screen = Signal(str, object)

    def __init__(self, service: AnalyticsService, title: str, sections: Sequence[tuple[str, ItemDrill]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemsDialog")
        self.setWindowTitle(title)
        self.resize(1100, 560)
        self.sections = list(sections)
        self.rows: list[list[DrillItem]] = []
        self.tables: list[QTableWidget] = []
        self.summaries: list[QLabel] = []
        self.jobs = Jobs()
        layout = QVBoxLayout(self)
        first = self.sections[0][1]
        heading = QLabel(self.tr("%1 · %2 to %3").replace("%1", title).replace("%2", _when(first.start))
                         .replace("%3", _when(first.end)))
        heading.setStyleSheet("font-weight: bold; color: #1f3c66;")
        layout.addWidget(heading)
        self.tabs = QTabWidget()
        for label, _drill in self.sections:
            page = QWidget()
            v = QVBoxLayout(page)
            summary = QLabel(self.tr("Loading…"))
            table = QTableWidget(0, 8)
            table.setObjectName("itemsTable")
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().setVisible(False)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setSectionResizeMode(Col.TITLE, QHeaderView.ResizeMode.Stretch)
            for col, width in ((Col.NUMBER, 190), (Col.AT, 130), (Col.WHO, 100), (Col.STATE, 110),
                               (Col.DUE, 130), (Col.DONE, 130), (Col.ON_TIME, 80)):
                table.setColumnWidth(col, width)
            v.addWidget(summary)
            v.addWidget(table, 1)
            self.tabs.addTab(page, label)
            self.tables.append(table)
            self.summaries.append(summary)
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.open_button = QPushButton()
        self.open_button.setObjectName("openRecords")
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self._open)
        self.tabs.currentChanged.connect(self._update_open)
        layout.addWidget(buttons)
        self._update_open()
        drills = [d for _, d in self.sections]

        def work(_progress: Progress) -> list[list[DrillItem]]:
            return [service.items(d) for d in drills]

        self.jobs.start(work, self._show, self._failed)

    # showing --------------------------------------------------------------------------------

    def _state_names(self, kind: ItemKind) -> dict[str, str]:
        if kind in (ItemKind.DISPUTES_OPENED, ItemKind.DISPUTES_RESOLVED):
            return {str(k): v for k, v in stage_names().items()}
        if kind == ItemKind.WARNINGS_ANSWERED:
            return {WarningState.RECEIVED: self.tr("received"), WarningState.REVIEWED: self.tr("reviewed"),
                    WarningState.DISPATCHED: self.tr("verification dispatched"),
                    WarningState.FED_BACK: self.tr("verification fed back"),
                    WarningState.CLOSED: self.tr("closed")}
        if kind == ItemKind.OFFICER_CALLS:
            return status_names()
        return {TaskState(k).value: v for k, v in task_state_names().items()}

    def _headers(self, kind: ItemKind) -> list[str]:
        who = (self.tr("Community") if kind in (ItemKind.DISPUTES_OPENED, ItemKind.DISPUTES_RESOLVED,
                                                ItemKind.OFFICER_CALLS) else self.tr("Officer"))
        resolved = self.tr("Resolved")
        done = {ItemKind.DISPUTES_OPENED: resolved, ItemKind.DISPUTES_RESOLVED: resolved,
                ItemKind.WARNINGS_ANSWERED: self.tr("Answered"), ItemKind.TASKS_SIGNOFF: self.tr("Signed"),
                ItemKind.TASKS_FEEDBACK: self.tr("Fed back"),
                ItemKind.OFFICER_CALLS: self.tr("Arrived")}[kind]
        at = (self.tr("Registered") if kind in (ItemKind.DISPUTES_OPENED, ItemKind.DISPUTES_RESOLVED)
              else self.tr("Issued") if kind in (ItemKind.TASKS_SIGNOFF, ItemKind.TASKS_FEEDBACK)
              else self.tr("Received"))
        return [self.tr("Number"), at, self.tr("Title"), who, self.tr("State"), self.tr("Due"), done,
                self.tr("On time")]

    def summary(self, kind: ItemKind, rows: list[DrillItem]) -> str:
        """What a list adds up to: its count, and for a judged list how many were on time."""
        judged = [r for r in rows if r.on_time is not None]
        ok = sum(1 for r in judged if r.on_time)
        if kind in (ItemKind.DISPUTES_OPENED, ItemKind.DISPUTES_RESOLVED):
            return self.tr("%1 disputes").replace("%1", str(len(rows)))
        if kind == ItemKind.WARNINGS_ANSWERED:
            text = self.tr("%1 of %2 answered warnings within their limit")
        elif kind == ItemKind.TASKS_SIGNOFF:
            text = self.tr("%1 of %2 tasks signed on time (unsigned ones count once their limit passed)")
        elif kind == ItemKind.TASKS_FEEDBACK:
            text = self.tr("%1 of %2 tasks fed back on time (missing feedback counts once its limit passed)")
        else:
            return (self.tr("%1 calls handled; %2 of %3 police calls with an arrival arrived within 5 min")
                    .replace("%1", str(len(rows))).replace("%2", str(ok)).replace("%3", str(len(judged))))
        return text.replace("%1", str(ok)).replace("%2", str(len(rows)))

    def _show(self, lists: list[list[DrillItem]]) -> None:
        self.rows = lists
        yes, no = self.tr("yes"), self.tr("late")
        for index, ((label, drill), rows) in enumerate(zip(self.sections, lists, strict=True)):
            states = self._state_names(drill.kind)
            table = self.tables[index]
            table.setHorizontalHeaderLabels(self._headers(drill.kind))
            table.setColumnHidden(Col.DUE, all(r.due is None for r in rows))
            table.setColumnHidden(Col.ON_TIME, all(r.on_time is None for r in rows))
            table.setRowCount(len(rows))
            for r, item in enumerate(rows):
                on_time = "" if item.on_time is None else yes if item.on_time else no
                cells = [item.number, _when(item.at), item.title, item.who,
                         states.get(item.state, item.state), _when(item.due), _when(item.done), on_time]
                for col, text in enumerate(cells):
                    cell = QTableWidgetItem(text)
                    if item.on_time is False:
                        cell.setBackground(QBrush(LATE_BG))
                    table.setItem(r, col, cell)
            self.summaries[index].setText(self.summary(drill.kind, rows))
            self.tabs.setTabText(index, f"{label} ({len(rows)})")
        self.loaded.emit()

    def _failed(self, error: Any, _trace: str) -> None:
        for label in self.summaries:
            label.setText(self.tr("The list could not be read: %1").replace("%1", str(error)))
        self.loaded.emit()

    # opening the records where they are worked on ---------------------------------------------

    def _update_open(self) -> None:
        drill = self.sections[self.tabs.currentIndex()][1]
        target = TARGETS.get(drill.kind)
        self.open_button.setVisible(target is not None)
        if target is not None:
            self.open_button.setText(self.tr("Open in Closed loops") if target[0] == "loops"
                                     else self.tr("Open the task queue"))

    def _open(self) -> None:
        drill = self.sections[self.tabs.currentIndex()][1]
        screen, arg = TARGETS[drill.kind]
        self.open_screen.emit(screen, arg if screen == "loops" else drill.officer_id)

    def done(self, result: int) -> None:
        self.jobs.wait()
        super().done(result)
