"""The warning-orders tab of the closed-loops screen: list with filters and ticking clocks,
the overdue count and an in-app alert, the detail with its log, each step's action, manual
entry and file import (in the background)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.loops import WARNING, LoopError, WarningKind, WarningState
from station_console.services.warnings import (
    WarningImportError,
    WarningImportSummary,
    WarningRow,
    WarningService,
)
from station_console.store.database import Database
from station_console.ui.workers import Jobs, Progress

TICK_MS = 1000
OVERDUE_BG = QColor("#f9d6d3")
OVERDUE_FG = QColor("#b3261e")
COL_CLOCK = 6
ON_TIME_PERIOD = timedelta(days=7)


def format_clock(seconds: int) -> str:
    """A countdown as [-]H:MM:SS."""
    sign = "-" if seconds < 0 else ""
    s = abs(seconds)
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class WarningsTab(QWidget):
    """Warning orders (预警指令) driven through their loop against the clock."""

    #: Order numbers of warnings that have just run out of time.
    overdue_alert = Signal(list)

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = WarningService(db, now=now, actor=self.tr("command room"))
        self.now = now
        self.jobs = Jobs()
        self._rows: list[WarningRow] = []
        self._open: list[WarningRow] = []
        self._late: set[int] | None = None
        self.message_box: QMessageBox | None = None
        self.import_progress: QProgressDialog | None = None

        v = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(self.tr("All kinds"), "")
        for kind, label in self.kind_names().items():
            self.kind_filter.addItem(label, kind)
        self.level_filter = QComboBox()
        self.level_filter.addItem(self.tr("All levels"), None)
        for level in (1, 2, 3):
            self.level_filter.addItem(self.level_name(level), level)
        self.state_filter = QComboBox()
        self.state_filter.addItem(self.tr("Open"), "open")
        self.state_filter.addItem(self.tr("All"), "")
        for state, label in self.state_names().items():
            self.state_filter.addItem(label, state)
        for label, combo in ((self.tr("Kind:"), self.kind_filter), (self.tr("Level:"), self.level_filter),
                             (self.tr("State:"), self.state_filter)):
            combo.currentIndexChanged.connect(self.reload)
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
        bar.addStretch(1)
        self.on_time_label = QLabel()
        bar.addWidget(self.on_time_label)
        self.overdue_label = QLabel()
        bar.addWidget(self.overdue_label)
        v.addLayout(bar)

        self.alert = QLabel()
        self.alert.setWordWrap(True)
        self.alert.setStyleSheet("QLabel { background: #b3261e; color: white; padding: 6px; "
                                 "font-weight: bold; }")
        self.alert.hide()
        v.addWidget(self.alert)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([
            self.tr("Number"), self.tr("Kind"), self.tr("Level"), self.tr("Subject"), self.tr("Place"),
            self.tr("State"), self.tr("Clock"), self.tr("Received")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setDefaultSectionSize(90)
        # Fixed widths that fit the longest kind and state in either language.
        for col, width in ((0, 150), (1, 110), (2, 60), (3, 80), (5, 140), (6, 80), (7, 100)):
            self.table.setColumnWidth(col, width)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        split.addWidget(self.table)
        self.detail = QTextBrowser()
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([950, 450])
        v.addWidget(split, 1)

        actions = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}
        for action, label in (("review", self.tr("Second review…")),
                              ("dispatch", self.tr("Dispatch verification…")),
                              ("feedback", self.tr("Verification feedback…")), ("close", self.tr("Close…")),
                              ("dismiss", self.tr("Dismiss as false alarm…"))):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, a=action: self._ask(a))
            actions.addWidget(button)
            self.action_buttons[action] = button
        actions.addStretch(1)
        self.new_button = QPushButton(self.tr("New warning…"))
        self.new_button.clicked.connect(self._new_warning)
        self.import_button = QPushButton(self.tr("Import file…"))
        self.import_button.clicked.connect(self._import_clicked)
        actions.addWidget(self.new_button)
        actions.addWidget(self.import_button)
        v.addLayout(actions)

        self._tick_timer = QTimer(self)
        self._tick_timer.timeout.connect(self.tick)
        self._tick_timer.start(TICK_MS)

    # names ------------------------------------------------------------------------------

    def kind_names(self) -> dict[str, str]:
        """The kinds as the UI shows them."""
        return {WarningKind.ANTI_FRAUD: self.tr("anti-fraud"),
                WarningKind.MISSING_PERSON: self.tr("missing person"),
                WarningKind.WANTED_PERSON: self.tr("wanted person"),
                WarningKind.KEY_PERSON: self.tr("key person"),
                WarningKind.SENSOR_ALARM: self.tr("sensor alarm")}

    def level_name(self, level: int) -> str:
        """Level 1 (most urgent) to 3."""
        return self.tr("level {n}").format(n=level)

    def state_names(self) -> dict[str, str]:
        """The loop's states as the UI shows them."""
        return {WarningState.RECEIVED: self.tr("received"), WarningState.REVIEWED: self.tr("reviewed"),
                WarningState.DISPATCHED: self.tr("verification dispatched"),
                WarningState.FED_BACK: self.tr("verification fed back"),
                WarningState.CLOSED: self.tr("closed")}

    # list and clocks --------------------------------------------------------------------

    def reload(self) -> None:
        """Read the warnings the filters ask for, and every open one for the overdue count."""
        selected = self._selected()
        state = self.state_filter.currentData()
        self._rows = self.service.find(kind=self.kind_filter.currentData() or None,
                                       level=self.level_filter.currentData(),
                                       state=state if state != "open" else None, open_only=state == "open")
        self._open = self.service.find(open_only=True, limit=100_000)
        kinds, states = self.kind_names(), self.state_names()
        self.table.setRowCount(len(self._rows))
        for row, r in enumerate(self._rows):
            subject = r.subject_name or r.subject_phone or r.subject_id_no
            cells = [r.order_no, kinds[r.kind], self.level_name(r.level), subject, r.address,
                     states[r.state], "", f"{r.received_at:%m-%d %H:%M}"]
            for col, value in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(value))
        if selected is not None:
            for row, r in enumerate(self._rows):
                if r.id == selected.id:
                    self.table.selectRow(row)
        now = self.now()
        figures = self.service.on_time(now - ON_TIME_PERIOD, now)
        self.on_time_label.setText("" if figures.rate is None else self.tr(
            "Answered on time, last 7 days: {rate:.0%} of {answered}").format(rate=figures.rate,
                                                                               answered=figures.answered))
        self.tick()
        self._selection_changed()

    def tick(self) -> None:
        """Advance the clocks; alert on warnings that have just run out of time."""
        now = self.now()
        for row, r in enumerate(self._rows):
            item = self.table.item(row, COL_CLOCK)
            if item is None:
                continue
            clock = r.clock()
            item.setText(format_clock(clock.remaining_s(now)) if clock else "—")
            late = clock is not None and clock.overdue(now)
            item.setBackground(QBrush(OVERDUE_BG) if late else QBrush())
            item.setForeground(QBrush(OVERDUE_FG) if late else QBrush())
        late_now = {r.id: r.order_no for r in self._open if (c := r.clock()) is not None and c.overdue(now)}
        self.overdue_label.setText(self.tr("Overdue now: {n}").format(n=len(late_now)))
        self.overdue_label.setStyleSheet("color: #b3261e; font-weight: bold;" if late_now else "")
        if not late_now:
            self.alert.hide()
        if self._late is not None:
            new = sorted(late_now[i] for i in late_now.keys() - self._late)
            if new:
                self.alert.setText(self.tr("Overdue: warning {numbers} has passed its time limit; act now.")
                                   .format(numbers=", ".join(new)))
                self.alert.show()
                self.overdue_alert.emit(new)
        self._late = set(late_now)

    def _selected(self) -> WarningRow | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self._rows[min(rows)] if rows and min(rows) < len(self._rows) else None

    def _selection_changed(self) -> None:
        r = self._selected()
        allowed = WARNING.allowed(r.state) if r else frozenset()
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed)
        self.detail.setHtml(self._detail_html(r) if r else "")

    def _detail_html(self, r: WarningRow) -> str:
        e = html.escape
        fields = [
            (self.tr("Number"), r.order_no), (self.tr("Kind"), self.kind_names()[r.kind]),
            (self.tr("Level"), self.level_name(r.level)), (self.tr("State"), self.state_names()[r.state]),
            (self.tr("Name"), r.subject_name), (self.tr("Phone"), r.subject_phone),
            (self.tr("ID number"), r.subject_id_no), (self.tr("Place"), r.address),
            (self.tr("Content"), r.content), (self.tr("Linked incident"), r.incident_no),
            (self.tr("Respond by"), f"{r.response_due:%Y-%m-%d %H:%M:%S}"),
            (self.tr("Answer by"), f"{r.feedback_due:%Y-%m-%d %H:%M:%S}" if r.feedback_due else ""),
            (self.tr("Verifying officer"), r.officer_name), (self.tr("Review"), r.review_note),
            (self.tr("Feedback"), r.feedback),
            (self.tr("Late at a step"), self.tr("yes") if r.was_overdue else ""),
        ]
        rows = "".join(f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in fields if v)
        events = "".join(f"<li>{e(f'{ev.at:%m-%d %H:%M:%S}')} {e(ev.actor)} "
                         f"<b>{e(self._action_name(ev.action))}</b> {e(ev.detail)}</li>"
                         for ev in self.service.events(r.id))
        log = e(self.tr("Log"))
        return f"<table cellspacing='4'>{rows}</table><h4>{log}</h4><ul>{events}</ul>"

    def _action_name(self, action: str) -> str:
        return {"received": self.tr("received"), "review": self.tr("second review"),
                "dispatch": self.tr("verification dispatched"), "feedback": self.tr("verification feedback"),
                "close": self.tr("closed"), "dismiss": self.tr("dismissed")}.get(action, action)

    # actions ----------------------------------------------------------------------------

    def _ask(self, action: str) -> None:
        r = self._selected()
        if r is None:
            return
        officer_id: int | None = None
        if action == "dispatch":
            officers = self.service.officers()
            names = [name for _, name in officers]
            name, ok = QInputDialog.getItem(self, r.order_no, self.tr("Officer who verifies:"), names, 0,
                                            False)
            if not ok:
                return
            officer_id = officers[names.index(name)][0] if name in names else None
        prompts = {"review": self.tr("What did the second review find?"),
                   "dispatch": self.tr("Instructions for the verification (optional):"),
                   "feedback": self.tr("Result of the verification:"),
                   "close": self.tr("Note on the answer sent upstream (optional):"),
                   "dismiss": self.tr("Why is it a false alarm?")}
        text, ok = QInputDialog.getMultiLineText(self, r.order_no, prompts[action])
        if ok:
            self.perform(action, text, officer_id=officer_id)

    def perform(self, action: str, text: str, *, officer_id: int | None = None) -> bool:
        """Apply one step to the selected warning; a refusal is shown, not raised."""
        r = self._selected()
        if r is None:
            return False
        try:
            if action == "dispatch":
                self.service.dispatch(r.id, officer_id, text)
            else:
                getattr(self.service, action)(r.id, text)
        except LoopError as exc:
            self._show(QMessageBox.Icon.Warning, self.tr("Not possible"), str(exc))
            return False
        self.reload()
        return True

    def _new_warning(self) -> None:
        dialog = NewWarningDialog(self, self.kind_names(), self.level_name)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                values = dialog.values()
                incident_no = values.pop("incident_no")
                incident_id = self.service.incident_id(incident_no) if incident_no else None
                self.service.enter(incident_id=incident_id, **values)
            except LoopError as exc:
                QMessageBox.warning(dialog, self.tr("Not recorded"), str(exc))
                continue
            self.reload()
            return

    def _import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import warning orders"), "",
                                              self.tr("Warning orders (*.csv *.xlsx)"))
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> None:
        """Import a file of warning orders in the background behind a progress dialog with cancel."""
        self.import_button.setEnabled(False)
        dialog = QProgressDialog(self.tr("Importing {name}…").format(name=path.name), self.tr("Cancel"), 0, 0,
                                 self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self.import_progress = dialog

        def work(progress: Progress) -> WarningImportSummary:
            return self.service.import_file(path, progress.report)

        def step(done: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)

        worker = self.jobs.start(work, self._imported, self._import_failed, step)
        dialog.canceled.connect(worker.progress.cancel)

    def _imported(self, summary: WarningImportSummary) -> None:
        self._import_finished()
        self._show(QMessageBox.Icon.Information, self.tr("Warning orders imported"),
                   self.tr("{file}: {added} warning(s) added, {skipped} already there.")
                   .format(file=summary.file, added=summary.added, skipped=summary.already_there))
        self.reload()

    def _import_failed(self, exc: BaseException, _trace: str) -> None:
        self._import_finished()
        text = str(exc) if isinstance(exc, WarningImportError | OSError) else repr(exc)
        self._show(QMessageBox.Icon.Warning, self.tr("Warning orders not imported"), text)

    def _import_finished(self) -> None:
        self.import_button.setEnabled(True)
        if self.import_progress is not None:
            self.import_progress.close()
            self.import_progress = None

    def _show(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        # Opened, not exec'd: the clocks keep ticking behind the message.
        self.message_box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        self.message_box.open()

    def showEvent(self, event: QShowEvent) -> None:
        self.reload()
        self._tick_timer.start(TICK_MS)
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the clock and wait for a running import (the window is closing)."""
        self._tick_timer.stop()
        self.jobs.wait()


class NewWarningDialog(QDialog):
    """The fields of a warning entered by hand."""

    def __init__(self, parent: QWidget, kinds: dict[str, str], level_name: Callable[[int], str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New warning order"))
        form = QFormLayout(self)
        self.kind = QComboBox()
        for kind, label in kinds.items():
            self.kind.addItem(label, kind)
        self.level = QComboBox()
        for level in (1, 2, 3):
            self.level.addItem(level_name(level), level)
        self.level.setCurrentIndex(1)
        self.order_no = QLineEdit()
        self.order_no.setPlaceholderText(self.tr("upstream number, or empty for a new one"))
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.id_no = QLineEdit()
        self.address = QLineEdit()
        self.content = QPlainTextEdit()
        self.content.setFixedHeight(80)
        self.incident_no = QLineEdit()
        self.incident_no.setPlaceholderText(self.tr("optional"))
        for label, widget in ((self.tr("Kind"), self.kind), (self.tr("Level"), self.level),
                              (self.tr("Number"), self.order_no), (self.tr("Name"), self.name),
                              (self.tr("Phone"), self.phone), (self.tr("ID number"), self.id_no),
                              (self.tr("Place"), self.address), (self.tr("Content"), self.content),
                              (self.tr("Linked incident"), self.incident_no)):
            form.addRow(label, widget)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(460, self.sizeHint().height())

    def values(self) -> dict[str, object]:
        """The fields as ``WarningService.enter`` takes them (plus the linked incident's number)."""
        return {"kind": self.kind.currentData(), "level": self.level.currentData(),
                "order_no": self.order_no.text(), "subject_name": self.name.text(),
                "subject_phone": self.phone.text(), "subject_id_no": self.id_no.text(),
                "address": self.address.text(), "content": self.content.toPlainText(),
                "incident_no": self.incident_no.text().strip()}
