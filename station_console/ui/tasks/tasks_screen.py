"""The task queues (任务): every open task grouped by officer, overdue first, with live countdowns.

The open tasks of a station are a few hundred rows at most, read in milliseconds; the screen
reloads them after each action and every 30 seconds (other workstations write too), while the
countdowns, colours, alerts and status-bar counts tick every second from memory.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStatusBar,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.security import Perm
from station_console.domain.tasks import (
    DEFAULT_WARN,
    OPEN_STATES,
    AlertTracker,
    ClockLevel,
    TaskError,
    TaskState,
    WatchedClock,
    answer_text,
    format_remaining,
)
from station_console.services import audit
from station_console.services.tasks import (
    FeedbackInvalid,
    TaskDetail,
    TaskFilter,
    TaskRow,
    TaskService,
)
from station_console.store.database import Database
from station_console.ui.live import LiveChanges, LiveRefresh
from station_console.ui.tasks.dialogs import FeedbackDialog, IssueTaskDialog, ReasonDialog, ReassignDialog
from station_console.ui.tasks.labels import action_names, clock_names, refusal_text, state_names
from station_console.ui.tasks.pdf import write_task_pdf
from station_console.ui.tasks.template_editor import TemplateEditorDialog
from station_console.ui.widgets.screen import HeaderLabel, Screen

RELOAD_MS = 30_000
#: Announcements arriving within this many ms of each other reload the queue once.
LIVE_COALESCE_MS = 100
TICK_MS = 1000
MAX_NOTIFICATIONS = 200
OVERDUE_BG = QColor("#f9d6d3")
EXPIRING_BG = QColor("#fdebc8")
OVERDUE_FG = QColor("#9c1c14")


class Col:
    """Columns of the queue tree."""

    NUMBER, CLOCK, STATE, TEMPLATE, TITLE, COMMUNITY, ISSUED, INCIDENTS = range(8)


#: Due-window filter choices (minutes; 0 = overdue only, None = any).
DUE_WINDOWS: tuple[int | None, ...] = (None, 0, 30, 60, 180, 24 * 60)


class TasksScreen(Screen):
    """Command-room overview of all open tasks by officer, and each officer's queue."""

    screen_id = "tasks"
    #: Emitted with the task number after every change made here.
    task_changed = Signal(str)

    def __init__(self, db: Database, status_bar: QStatusBar | None = None, *,
                 now: Callable[[], datetime] = datetime.now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.now = now
        self.service = TaskService(db, now=now, actor=self.tr("Command room"))
        self.tracker = AlertTracker()
        self.rows: list[TaskRow] = []
        self.clocks: list[WatchedClock] = []
        self.open_count = 0
        self._items: dict[int, QTreeWidgetItem] = {}
        self._build(status_bar)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.tick)
        self._reload_timer = QTimer(self)
        self._reload_timer.timeout.connect(self.reload)
        # On a server, another workstation's change to the queue reloads it at once (changes
        # arriving together, one reload); the half-minute reload stays as the fallback.
        self._follow = LiveRefresh(db, ("task", "task_event"), self.reload,
                                   coalesce_ms=LIVE_COALESCE_MS, parent=self)
        # Alerts and status-bar counts must run whichever screen is in front.
        self._fill_filters()
        self.reload()
        self._timer.start(TICK_MS)
        self._reload_timer.start(RELOAD_MS)

    def title(self) -> str:
        return self.tr("Tasks")

    @property
    def live(self) -> LiveChanges | None:
        """The workstation's listener while the queue follows other workstations (a server)."""
        return self._follow.live

    def shutdown(self) -> None:
        self._timer.stop()
        self._reload_timer.stop()
        self._follow.close()

    # layout -------------------------------------------------------------------------------

    def _build(self, status_bar: QStatusBar | None) -> None:
        self.officer_filter = QComboBox()
        self.officer_filter.setObjectName("officerFilter")
        self.template_filter = QComboBox()
        self.template_filter.setObjectName("templateFilter")
        self.state_filter = QComboBox()
        self.state_filter.setObjectName("stateFilter")
        self.community_filter = QComboBox()
        self.community_filter.setObjectName("communityFilter")
        self.due_filter = QComboBox()
        self.due_filter.setObjectName("dueFilter")
        for combo in (self.officer_filter, self.template_filter, self.community_filter):
            combo.setMinimumWidth(130)
        filters = QHBoxLayout()
        for label, combo in ((self.tr("Officer"), self.officer_filter),
                             (self.tr("Template"), self.template_filter),
                             (self.tr("State"), self.state_filter),
                             (self.tr("Community"), self.community_filter),
                             (self.tr("Due"), self.due_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
        filters.addStretch(1)

        self.issue_button = QPushButton(self.tr("Issue task…"))
        self.issue_button.clicked.connect(lambda: self.issue_task(None))
        self.import_button = QPushButton(self.tr("Import task orders…"))
        self.import_button.clicked.connect(self.import_orders)
        self.export_button = QPushButton(self.tr("Export feedback…"))
        self.export_button.clicked.connect(self.export_feedback)
        self.templates_button = QPushButton(self.tr("Templates…"))
        self.templates_button.setObjectName("templatesButton")
        self.templates_button.clicked.connect(self.edit_templates)
        head = QHBoxLayout()
        self.heading = HeaderLabel(self.tr("Tasks"))
        head.addWidget(self.heading)
        head.addStretch(1)
        for b in (self.issue_button, self.import_button, self.export_button, self.templates_button):
            head.addWidget(b)
        who = self.db.identity
        # Offered to the roles that may use them (the services refuse the others anyway).
        self.issue_button.setVisible(who.can(Perm.TASK_ISSUE))
        self.import_button.setVisible(who.can(Perm.TASK_ISSUE) and who.can(Perm.IMPORT))
        self.export_button.setVisible(who.can(Perm.EXPORT))
        self.templates_button.setVisible(who.can(Perm.TASK_ISSUE) or who.can(Perm.EDIT_CODE_TABLES))

        self.tree = QTreeWidget()
        self.tree.setObjectName("taskTree")
        self.tree.setColumnCount(8)
        self.tree.setHeaderLabels([
            self.tr("Task"), self.tr("Time left"), self.tr("State"), self.tr("Template"),
            self.tr("Title"), self.tr("Community"), self.tr("Issued"), self.tr("Incidents"),
        ])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The state column holds the longest state name whole, in the language shown.
        state_width = max(self.tree.fontMetrics().horizontalAdvance(name) for name in state_names().values())
        for col, width in ((Col.NUMBER, 190), (Col.CLOCK, 96), (Col.STATE, max(92, state_width + 16)),
                           (Col.TEMPLATE, 150), (Col.TITLE, 280), (Col.COMMUNITY, 90), (Col.ISSUED, 110)):
            header.resizeSection(col, width)
        self.tree.currentItemChanged.connect(lambda *_: self._show_selected())
        self.tree.itemDoubleClicked.connect(lambda *_: self._primary_action())

        self.detail_view = QTextBrowser()
        self.detail_view.setObjectName("taskDetail")
        self.sign_button = QPushButton(self.tr("Sign"))
        self.feedback_button = QPushButton(self.tr("Feedback…"))
        self.review_button = QPushButton(self.tr("Review"))
        self.return_button = QPushButton(self.tr("Return…"))
        self.reassign_button = QPushButton(self.tr("Reassign…"))
        self.cancel_button = QPushButton(self.tr("Cancel task…"))
        self.pdf_button = QPushButton(self.tr("PDF summary…"))
        self.sign_button.clicked.connect(self.sign_selected)
        self.feedback_button.clicked.connect(self.feedback_selected)
        self.review_button.clicked.connect(self.review_selected)
        self.return_button.clicked.connect(self.return_selected)
        self.reassign_button.clicked.connect(self.reassign_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.pdf_button.clicked.connect(self.pdf_selected)
        actions = QHBoxLayout()
        for b in (self.sign_button, self.feedback_button, self.review_button, self.return_button):
            actions.addWidget(b)
        actions2 = QHBoxLayout()
        for b in (self.reassign_button, self.cancel_button, self.pdf_button):
            actions2.addWidget(b)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addLayout(actions)
        side_layout.addLayout(actions2)
        side_layout.addWidget(self.detail_view, 1)

        self.notifications = QListWidget()
        self.notifications.setObjectName("taskNotifications")
        self.notifications.itemDoubleClicked.connect(self._open_notification)
        note_box = QWidget()
        note_layout = QVBoxLayout(note_box)
        note_layout.setContentsMargins(0, 0, 0, 0)
        note_layout.addWidget(QLabel(self.tr("Notifications (double-click to open the task)")))
        note_layout.addWidget(self.notifications)

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.tree)
        left.addWidget(note_box)
        left.setStretchFactor(0, 4)
        left.setStretchFactor(1, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

        self.status_label = QLabel()
        self.status_label.setObjectName("taskStatus")
        if status_bar is not None:
            status_bar.addPermanentWidget(self.status_label)
        self._update_buttons(None)

    def _fill_filters(self) -> None:
        """Fill the filter choices (once, when the screen is first shown)."""
        self.officer_filter.addItem(self.tr("All officers"), None)
        for o in self.service.officers():
            self.officer_filter.addItem(o.label, o.id)
        self._fill_template_filter()
        self.state_filter.addItem(self.tr("Open"), "open")
        for state, name in state_names().items():
            self.state_filter.addItem(name, state.value)
        self.state_filter.addItem(self.tr("All"), "all")
        self.community_filter.addItem(self.tr("All communities"), None)
        for c in self.service.communities():
            self.community_filter.addItem(c.name, c.id)
        due_names = {None: self.tr("Any time"), 0: self.tr("Overdue"), 30: self.tr("Within 30 min"),
                     60: self.tr("Within 1 h"), 180: self.tr("Within 3 h"), 24 * 60: self.tr("Within 24 h")}
        for minutes in DUE_WINDOWS:
            self.due_filter.addItem(due_names[minutes], minutes)
        # A community officer's console opens on that officer's own queue.
        own = self.service.db.identity.officer_id
        if own is not None:
            self.officer_filter.setCurrentIndex(max(self.officer_filter.findData(own), 0))
        for combo in (self.officer_filter, self.template_filter, self.state_filter,
                      self.community_filter, self.due_filter):
            combo.currentIndexChanged.connect(self.reload)

    def show_officer(self, officer_id: int | None) -> None:
        """Show every task of one officer (None: of all officers) in any state (a dashboard drill-down)."""
        self.state_filter.setCurrentIndex(self.state_filter.findData("all"))
        self.officer_filter.setCurrentIndex(max(self.officer_filter.findData(officer_id), 0))

    def _fill_template_filter(self) -> None:
        """(Re)fill the template choices, keeping the one picked (templates can be edited here)."""
        picked = self.template_filter.currentData()
        self.template_filter.blockSignals(True)
        self.template_filter.clear()
        self.template_filter.addItem(self.tr("All templates"), None)
        for t in self.service.templates(active_only=False):
            self.template_filter.addItem(f"{t.code} {t.name}", t.code)
        self.template_filter.setCurrentIndex(max(self.template_filter.findData(picked), 0))
        self.template_filter.blockSignals(False)

    # loading ------------------------------------------------------------------------------

    def activated(self) -> None:
        self.reload()

    def current_filter(self) -> TaskFilter:
        state = self.state_filter.currentData()
        states = (OPEN_STATES if state in (None, "open") else
                  frozenset(TaskState) if state == "all" else frozenset({TaskState(state)}))
        due = self.due_filter.currentData()
        return TaskFilter(
            officer_id=self.officer_filter.currentData(),
            template_code=self.template_filter.currentData(),
            states=states, community_id=self.community_filter.currentData(),
            due_within=timedelta(minutes=due) if due else None, overdue_only=due == 0,
        )

    def reload(self) -> None:
        """Read the tasks again and rebuild the tree, keeping the selection."""
        selected = self.selected_id()
        self.rows = self.service.list_tasks(self.current_filter())
        self.clocks = self.service.watched_clocks()
        self.open_count = self.service.counts().open
        officer = self.officer_filter.currentData()
        self.heading.setText(self.tr("Queue of {name}").format(name=self.officer_filter.currentText())
                             if officer is not None else self.tr("All open tasks by officer"))
        self._rebuild_tree(grouped=officer is None)
        if selected is not None and selected in self._items:
            self.tree.setCurrentItem(self._items[selected])
        # The rebuilt tree may no longer hold the shown task: the pane must follow the tree.
        self._show_selected()
        self.tick()

    def _rebuild_tree(self, *, grouped: bool) -> None:
        now = self.now()
        self.tree.clear()
        self._items = {}
        names = state_names()
        groups: dict[int, list[TaskRow]] = {}
        for r in self.rows:
            groups.setdefault(r.assignee_id if grouped else 0, []).append(r)
        bold = QFont()
        bold.setBold(True)
        for rows in groups.values():
            parent: QTreeWidget | QTreeWidgetItem = self.tree
            if grouped:
                late = sum(1 for r in rows if r.level(now) == ClockLevel.OVERDUE)
                head = QTreeWidgetItem([self.tr("{name} — {count} task(s), {late} overdue").format(
                    name=rows[0].assignee_name, count=len(rows), late=late)])
                head.setFirstColumnSpanned(True)
                head.setFont(0, bold)
                head.setData(0, Qt.ItemDataRole.UserRole, None)
                if late:
                    head.setForeground(0, QBrush(OVERDUE_FG))
                self.tree.addTopLevelItem(head)
                head.setFirstColumnSpanned(True)
                parent = head
            for r in rows:
                item = QTreeWidgetItem(parent, [
                    r.task_no, "", names[r.state], r.template_name, r.title, r.community_name,
                    f"{r.issued_at:%m-%d %H:%M}", " ".join(r.incident_nos)])
                item.setData(0, Qt.ItemDataRole.UserRole, r.id)
                item.setToolTip(Col.TITLE, r.title)
                item.setTextAlignment(Col.CLOCK, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._items[r.id] = item
        self.tree.expandAll()

    # ticking ------------------------------------------------------------------------------

    def tick(self) -> None:
        """Update countdowns, colours, alerts and the status-bar counts from memory."""
        now = self.now()
        kinds = clock_names()
        for r in self.rows:
            item = self._items.get(r.id)
            if item is None:
                continue
            clock = r.clock
            level = r.level(now)
            if clock is None:
                item.setText(Col.CLOCK, "—")
            else:
                item.setText(Col.CLOCK, format_remaining(clock.remaining(now)))
                item.setToolTip(Col.CLOCK, self.tr("{kind} due {due}").format(
                    kind=kinds[clock.kind], due=f"{clock.due:%Y-%m-%d %H:%M}"))
            background = {ClockLevel.OVERDUE: OVERDUE_BG, ClockLevel.EXPIRING: EXPIRING_BG}.get(level)
            for col in range(self.tree.columnCount()):
                item.setBackground(col, QBrush(background) if background else QBrush())
            item.setForeground(Col.CLOCK, QBrush(OVERDUE_FG) if level == ClockLevel.OVERDUE else QBrush())
        alerts = self.tracker.update(self.clocks, now)
        kinds_text = clock_names()
        for alert in alerts:
            text = (self.tr("{time} OVERDUE: {kind} of {no} was due {due}")
                    if alert.level == ClockLevel.OVERDUE else
                    self.tr("{time} About to expire: {kind} of {no} due {due}")).format(
                time=f"{now:%H:%M:%S}", kind=kinds_text[alert.kind], no=alert.task_no,
                due=f"{alert.due:%m-%d %H:%M}")
            self.notifications.insertItem(0, text)
            item = self.notifications.item(0)
            item.setData(Qt.ItemDataRole.UserRole, alert.task_id)
            if alert.level == ClockLevel.OVERDUE:
                item.setForeground(QBrush(OVERDUE_FG))
        while self.notifications.count() > MAX_NOTIFICATIONS:
            self.notifications.takeItem(self.notifications.count() - 1)
        overdue = sum(1 for c in self.clocks if c.clock.level(now, DEFAULT_WARN) == ClockLevel.OVERDUE)
        expiring = sum(1 for c in self.clocks if c.clock.level(now, DEFAULT_WARN) == ClockLevel.EXPIRING)
        self.status_label.setText(self.tr("Tasks: {open} open · {soon} about to expire · {late} overdue")
                                  .format(open=self.open_count, soon=expiring, late=overdue))
        self.status_label.setStyleSheet("color: #9c1c14; font-weight: bold;" if overdue else "")

    def _open_notification(self, item: object) -> None:
        task_id = item.data(Qt.ItemDataRole.UserRole)  # type: ignore[attr-defined]
        if task_id not in self._items:
            self.officer_filter.setCurrentIndex(0)
            self.state_filter.setCurrentIndex(self.state_filter.findData("all"))
            self.due_filter.setCurrentIndex(0)
        if task_id in self._items:
            self.tree.setCurrentItem(self._items[task_id])

    # selection and detail -----------------------------------------------------------------

    def selected_id(self) -> int | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        data = item.data(0, Qt.ItemDataRole.UserRole)
        return int(data) if data is not None else None

    def select_task(self, task_id: int) -> None:
        """Make a task the current row (tests, notifications)."""
        self.tree.setCurrentItem(self._items[task_id])

    def _show_selected(self) -> None:
        task_id = self.selected_id()
        if task_id is None:
            self.detail_view.clear()
            self._update_buttons(None)
            return
        try:
            detail = self.service.detail(task_id)
        except TaskError:
            self.detail_view.clear()
            self._update_buttons(None)
            return
        self.detail_view.setHtml(self.detail_html(detail))
        self._update_buttons(detail.row.state, detail.row.assignee_id)

    def _update_buttons(self, state: TaskState | None, assignee_id: int | None = None) -> None:
        """Offer what the task's state allows and the account may do (its own tasks for work)."""
        who = self.service.db.identity
        is_open = state is not None and state.is_open
        works = who.can(Perm.TASK_WORK) and who.works_on(assignee_id)
        reviews, issues = who.can(Perm.TASK_REVIEW), who.can(Perm.TASK_ISSUE)
        self.sign_button.setEnabled(works and state == TaskState.AWAITING_SIGNOFF)
        self.feedback_button.setEnabled(works and state in (TaskState.SIGNED, TaskState.RETURNED))
        self.review_button.setEnabled(reviews and state == TaskState.FEEDBACK_FILED)
        self.return_button.setEnabled(reviews and state == TaskState.FEEDBACK_FILED)
        self.reassign_button.setEnabled(issues and is_open and state != TaskState.FEEDBACK_FILED)
        self.cancel_button.setEnabled(issues and is_open and state != TaskState.FEEDBACK_FILED)
        self.pdf_button.setEnabled(state is not None)

    def detail_html(self, d: TaskDetail) -> str:
        """The task as HTML: what, who, clocks, the answers and the log (detail pane and PDF)."""
        e = html.escape
        r, t = d.row, d.template
        states, actions = state_names(), action_names()

        def when(value: datetime | None) -> str:
            return f"{value:%Y-%m-%d %H:%M}" if value else "—"

        facts = [
            (self.tr("Task"), r.task_no + (f"（{r.external_no}）" if r.external_no else "")),
            (self.tr("Template"), f"{t.code} {t.name}"), (self.tr("Lead department"), t.lead_department),
            (self.tr("Officer"), r.assignee_name), (self.tr("Community"), r.community_name or "—"),
            (self.tr("State"), states[r.state]), (self.tr("Issued"), when(r.issued_at)),
            (self.tr("Sign-off due"), when(r.signoff_due)), (self.tr("Signed"), when(r.signed_at)),
            (self.tr("Feedback due"), when(r.feedback_due)), (self.tr("Feedback filed"), when(r.feedback_at)),
            (self.tr("Reviewed"), when(r.reviewed_at)),
            (self.tr("Incidents"), " ".join(r.incident_nos) or "—"),
        ]
        rows = "".join(f"<tr><td style='color:#5a6570;padding-right:10px'>{e(k)}</td><td>{e(v)}</td></tr>"
                       for k, v in facts)
        label_instructions, label_basis = self.tr("Instructions"), self.tr("Basis")
        label_measures, label_standard = self.tr("Measures"), self.tr("Standard")
        label_feedback, label_log = self.tr("Feedback"), self.tr("Log")
        parts = [f"<h3>{e(r.title)}</h3><table>{rows}</table>"]
        if d.detail:
            parts.append(f"<p><b>{e(label_instructions)}</b><br>{e(d.detail)}</p>")
        parts.append(f"<p><b>{e(label_basis)}</b> {e(t.basis)}<br><b>{e(label_measures)}</b> "
                     f"{e(t.measures)}<br><b>{e(label_standard)}</b> {e(t.standard)}</p>")
        if d.answers:
            yes, no = self.tr("Yes"), self.tr("No")
            answers = "".join(
                f"<tr><td style='color:#5a6570;padding-right:10px'>{e(f.label)}</td>"
                f"<td>{e(answer_text(f, d.answers.get(f.key), yes, no)) or '—'}</td></tr>"
                for f in t.fields)
            parts.append(f"<p><b>{e(label_feedback)}</b></p><table>{answers}</table>")
        log = "".join(f"<li>{e(f'{ev.at:%m-%d %H:%M}')} {e(actions.get(ev.action, ev.action))} "
                      f"{e(ev.actor)}{(' — ' + e(ev.detail)) if ev.detail else ''}</li>" for ev in d.events)
        parts.append(f"<p><b>{e(label_log)}</b></p><ul>{log}</ul>")
        return "".join(parts)

    # actions ------------------------------------------------------------------------------

    def _run(self, command: Callable[[], TaskRow]) -> TaskRow | None:
        try:
            row = command()
        except TaskError as exc:
            QMessageBox.warning(self, self.tr("Not done"), refusal_text(exc))
            return None
        self.reload()
        self.task_changed.emit(row.task_no)
        return row

    def _primary_action(self) -> None:
        task_id = self.selected_id()
        if task_id is None:
            return
        if self.sign_button.isEnabled():
            self.sign_selected()
        elif self.feedback_button.isEnabled():
            self.feedback_selected()

    def sign_selected(self) -> None:
        task_id = self.selected_id()
        if task_id is not None:
            self._run(lambda: self.service.sign(task_id))

    def feedback_dialog(self) -> FeedbackDialog | None:
        """The feedback form for the selected task (built, not shown)."""
        task_id = self.selected_id()
        if task_id is None:
            return None
        d = self.service.detail(task_id)
        return FeedbackDialog(d.template, d.row.title, now=self.now(), answers=d.answers or None, parent=self)

    def feedback_selected(self) -> None:
        task_id = self.selected_id()
        dialog = self.feedback_dialog()
        if task_id is None or dialog is None or dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self._run(lambda: self.service.file_feedback(task_id, dialog.cleaned))
        except FeedbackInvalid as exc:
            dialog.show_problems(exc.problems)

    def review_selected(self) -> None:
        task_id = self.selected_id()
        if task_id is not None:
            self._run(lambda: self.service.review(task_id))

    def return_selected(self) -> None:
        task_id = self.selected_id()
        if task_id is None:
            return
        dialog = ReasonDialog(self.tr("Return feedback"),
                              self.tr("What must the officer add or correct? The feedback clock restarts."),
                              self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self.service.return_to_officer(task_id, dialog.reason()))

    def cancel_selected(self) -> None:
        task_id = self.selected_id()
        if task_id is None:
            return
        dialog = ReasonDialog(self.tr("Cancel task"), self.tr("Why is the task withdrawn?"), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: self.service.cancel(task_id, dialog.reason()))

    def reassign_selected(self) -> None:
        task_id = self.selected_id()
        if task_id is None:
            return
        current = self.service.detail(task_id).row.assignee_id
        dialog = ReassignDialog(self.service.officers(), current, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            officer = dialog.officer_id()
            assert officer is not None
            self._run(lambda: self.service.reassign(task_id, officer, dialog.reason()))

    def issue_task(self, incident_id: int | None) -> str:
        """Open the issue dialog (from an incident when given); returns the new task number."""
        dialog = IssueTaskDialog(self.db, incident_id, service=self.service, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.task_changed.emit(dialog.issued_task_no)
        return dialog.issued_task_no

    def pdf_selected(self) -> None:
        task_id = self.selected_id()
        if task_id is None:
            return
        detail = self.service.detail(task_id)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("PDF summary"), f"{detail.row.task_no}.pdf",
                                              self.tr("PDF files (*.pdf)"))
        if path:
            who = self.service.db.identity
            write_task_pdf(self.detail_html(detail), Path(path),
                           produced_by=who.display_name or who.username)
            audit.log(self.service.db, audit.Action.EXPORT, object_type="file",
                      object_id=Path(path).name, detail={"what": "task summary",
                                                         "task": detail.row.task_no})

    def template_editor(self) -> TemplateEditorDialog:
        """The template editor over this screen's service (built, not shown)."""
        return TemplateEditorDialog(self.service, self)

    def edit_templates(self) -> None:
        """Open the template editor; afterwards the lists show the edited names."""
        dialog = self.template_editor()
        dialog.exec()
        # The dialog is the screen's child: drop it now rather than keep one per opening.
        dialog.deleteLater()
        if dialog.changed:
            self._fill_template_filter()
            self.reload()

    def import_orders(self) -> None:
        from station_console.ui.tasks.exchange import import_orders_interactive

        if import_orders_interactive(self, self.db, self.now):
            self.reload()

    def export_feedback(self) -> None:
        from station_console.ui.tasks.exchange import export_feedback_interactive

        export_feedback_interactive(self, self.db, self.now)
