"""The disputes ledger tab (矛盾纠纷) of the closed-loops screen.

A station holds a few hundred disputes, so the list and the detail are read directly (a few
milliseconds); every action is one service command and the list is read again after it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.loops import DISPUTE, DisputeStage, LoopError
from station_console.services.disputes import DisputeInput, DisputeRow, DisputeService, PartyInput
from station_console.store.database import Database
from station_console.ui.tasks.labels import state_names as task_state_names

PARTY_ROWS = 2
# lupdate finds calls named ``translate`` with a literal context.
translate = QCoreApplication.translate


class RegisterDisputeDialog(QDialog):
    """Register a dispute: category, title, risk, community, parties and linked incidents."""

    def __init__(self, service: DisputeService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.registered: DisputeRow | None = None
        self.setWindowTitle(self.tr("Register a dispute"))
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.category = QComboBox()
        for c in service.categories():
            self.category.addItem(c.name, c.code)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("Who and what, e.g. Zhang and Li, noise"))
        self.risk = QComboBox()
        for level, label in risk_names().items():
            self.risk.addItem(label, level)
        self.community = QComboBox()
        self.community.addItem(self.tr("From the first linked incident"), None)
        for community_id, name in service.communities():
            self.community.addItem(name, community_id)
        self.address = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(70)
        self.incidents = QLineEdit()
        self.incidents.setPlaceholderText(self.tr("Incident numbers, separated by spaces or commas"))
        form.addRow(self.tr("Category:"), self.category)
        form.addRow(self.tr("Title:"), self.title_edit)
        form.addRow(self.tr("Risk level:"), self.risk)
        form.addRow(self.tr("Community:"), self.community)
        form.addRow(self.tr("Address:"), self.address)
        form.addRow(self.tr("Description:"), self.description)
        form.addRow(self.tr("Linked incidents:"), self.incidents)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Parties (personal data: name required; phone and ID number "
                                        "checked)")))
        self.parties = QTableWidget(PARTY_ROWS, 5)
        self.parties.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Phone"),
                                                self.tr("ID number"), self.tr("Address")])
        self.parties.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.parties.setColumnWidth(3, 170)
        layout.addWidget(self.parties, 1)
        add_party = QPushButton(self.tr("Add a party"))
        add_party.clicked.connect(lambda: self.parties.setRowCount(self.parties.rowCount() + 1))
        layout.addWidget(add_party, 0, Qt.AlignmentFlag.AlignLeft)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.problems)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _cell(self, row: int, col: int) -> str:
        item = self.parties.item(row, col)
        return item.text().strip() if item else ""

    def request(self) -> DisputeInput:
        """What the dialog holds; refused when an incident number is unknown."""
        cells = [[self._cell(r, c) for c in range(5)] for r in range(self.parties.rowCount())]
        parties = tuple(PartyInput(*row) for row in cells if any(row))
        numbers = self.incidents.text().replace(",", " ").replace("，", " ").split()
        return DisputeInput(
            category_code=self.category.currentData(), title=self.title_edit.text(), parties=parties,
            risk_level=self.risk.currentData(), description=self.description.toPlainText(),
            address=self.address.text(), community_id=self.community.currentData(),
            incident_ids=tuple(self.service.incident_id(n) for n in numbers))

    def submit(self) -> None:
        """Register; on a refusal the problems are listed and the dialog stays open."""
        try:
            self.registered = self.service.register(self.request())
        except LoopError as exc:
            self.problems.setText(str(exc))
            return
        self.accept()


def risk_names() -> dict[int, str]:
    """Risk levels as the ledger shows them."""
    return {1: translate("DisputeLabels", "1 low"), 2: translate("DisputeLabels", "2 medium"),
            3: translate("DisputeLabels", "3 high")}


def stage_names() -> dict[str, str]:
    """Dispute stages as the ledger shows them."""
    return {DisputeStage.REGISTERED: translate("DisputeLabels", "registered"),
            DisputeStage.MEDIATING: translate("DisputeLabels", "mediating"),
            DisputeStage.RESOLVED: translate("DisputeLabels", "resolved"),
            DisputeStage.UNRESOLVED: translate("DisputeLabels", "unresolved"),
            DisputeStage.HANDED_OVER: translate("DisputeLabels", "handed over")}


class DisputesTab(QWidget):
    """The ledger: filters, the list, the selected dispute's detail and its actions."""

    def __init__(self, db: Database, *, now: Callable[[], datetime] = datetime.now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = DisputeService(db, now=now, actor=self.tr("command room"))
        self._rows: list[DisputeRow] = []
        v = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.stage_filter = QComboBox()
        self.stage_filter.addItem(self.tr("Open"), "open")
        self.stage_filter.addItem(self.tr("All"), "")
        for stage, label in stage_names().items():
            self.stage_filter.addItem(label, stage)
        self.category_filter = QComboBox()
        self.category_filter.addItem(self.tr("All categories"), None)
        for c in self.service.categories():
            self.category_filter.addItem(c.name, c.code)
        self.risk_filter = QComboBox()
        self.risk_filter.addItem(self.tr("All levels"), None)
        for level, label in risk_names().items():
            self.risk_filter.addItem(label, level)
        self.community_filter = QComboBox()
        self.community_filter.addItem(self.tr("All communities"), None)
        for community_id, name in self.service.communities():
            self.community_filter.addItem(name, community_id)
        for label, combo in ((self.tr("Stage:"), self.stage_filter),
                             (self.tr("Category:"), self.category_filter),
                             (self.tr("Risk:"), self.risk_filter),
                             (self.tr("Community:"), self.community_filter)):
            combo.currentIndexChanged.connect(self.reload)
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
        bar.addStretch(1)
        self.count_label = QLabel()
        bar.addWidget(self.count_label)
        v.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([
            self.tr("Dispute"), self.tr("Category"), self.tr("Title"), self.tr("Community"),
            self.tr("Risk"), self.tr("Stage"), self.tr("Registered")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        # The short columns take what their texts need, the title the rest: with fixed widths the
        # title was cut to its first three characters beside half-empty risk and stage columns.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.detail = QTextBrowser()
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        v.addWidget(split, 1)

        actions = QHBoxLayout()
        register = QPushButton(self.tr("Register…"))
        register.clicked.connect(self.register)
        actions.addWidget(register)
        self.action_buttons: dict[str, QPushButton] = {}
        for action, label in (("mediate", self.tr("Start mediation")), ("resolve", self.tr("Resolved…")),
                              ("fail", self.tr("Not resolved…")), ("hand_over", self.tr("Hand over…")),
                              ("link", self.tr("Link incident…")), ("revisit", self.tr("Schedule revisit"))):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, a=action: self.act(a))
            actions.addWidget(button)
            self.action_buttons[action] = button
        actions.addStretch(1)
        v.addLayout(actions)
        self._update_actions()

    def action_names(self) -> dict[str, str]:
        """Event log actions as the detail shows them."""
        return {"registered": self.tr("registered"), "mediate": self.tr("mediation started"),
                "resolve": self.tr("resolved"), "fail": self.tr("not resolved"),
                "hand_over": self.tr("handed over"), "reopen": self.tr("reopened and escalated"),
                "linked": self.tr("incident linked"), "revisit_scheduled": self.tr("revisit scheduled")}

    def reload(self) -> None:
        """Read the disputes the filters ask for, keeping the selection."""
        selected = self.selected()
        stage = self.stage_filter.currentData()
        self._rows = self.service.find(
            stage=stage if stage != "open" else None, open_only=stage == "open",
            category_code=self.category_filter.currentData(), risk_level=self.risk_filter.currentData(),
            community_id=self.community_filter.currentData())
        stages, risks = stage_names(), risk_names()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._rows))
        for row, r in enumerate(self._rows):
            stage_text = stages[DisputeStage(r.stage)] + (self.tr(" (reopened)") if r.reopen_count else "")
            cells = [r.dispute_no, r.category_name, r.title, r.community, risks[r.risk_level], stage_text,
                     f"{r.registered_at:%Y-%m-%d %H:%M}"]
            for col, value in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self.count_label.setText(self.tr("{count} disputes").format(count=len(self._rows)))
        ids = [r.id for r in self._rows]
        if selected is not None and selected.id in ids:
            self.table.selectRow(ids.index(selected.id))
        elif ids:
            self.table.selectRow(0)
        self._show_detail()

    def selected(self) -> DisputeRow | None:
        """The dispute selected in the list."""
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self._rows[min(rows)] if rows and min(rows) < len(self._rows) else None

    def _update_actions(self) -> None:
        r = self.selected()
        allowed = DISPUTE.allowed(r.stage) if r else frozenset()
        open_ = r is not None and r.stage not in DISPUTE.final
        for action, button in self.action_buttons.items():
            button.setEnabled(open_ if action in ("link", "revisit") else action in allowed)

    def _show_detail(self) -> None:
        self._update_actions()
        r = self.selected()
        if r is None:
            hint = self.tr("Select a dispute to see its parties, incidents and events.")
            self.detail.setHtml(f"<p>{escape(hint)}</p>")
            return
        d = self.service.detail(r.id)
        stages = stage_names()
        parts = [f"<h3>{escape(r.dispute_no)} {escape(r.title)}</h3>",
                 f"<p>{escape(r.category_name)} · {escape(risk_names()[r.risk_level])} · "
                 f"{escape(stages[DisputeStage(r.stage)])}"
                 + (f" → {escape(r.handed_to)}" if r.handed_to else "") + "</p>"]
        if r.description:
            parts.append(f"<p>{escape(r.description)}</p>")
        actions = self.action_names()
        sections = [
            (self.tr("Parties"), [f"{p.name} {p.role} {p.phone} {p.id_no}" for p in d.parties]),
            (self.tr("Linked incidents"), [f"{i.incident_no} {i.received_at:%m-%d %H:%M} {i.category_name} "
                                           f"{i.address}" for i in d.incidents]),
            (self.tr("Revisit tasks"), [f"{t.task_no} {t.assignee_name} {task_state_names()[t.state]}"
                                        for t in d.revisits]),
            (self.tr("Events"), [f"{e.at:%m-%d %H:%M} {e.actor} {actions.get(e.action, e.action)} {e.detail}"
                                 for e in d.events]),
        ]
        none = self.tr("none")
        for heading, lines in sections:
            parts.append(f"<h4>{escape(heading)}</h4><ul>")
            parts += [f"<li>{escape(line)}</li>" for line in lines or [none]]
            parts.append("</ul>")
        self.detail.setHtml("".join(parts))

    def register(self) -> None:
        """Open the register dialog; the new dispute is selected afterwards."""
        dialog = RegisterDisputeDialog(self.service, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.registered is not None:
            self.stage_filter.setCurrentIndex(0)
            self.reload()
            ids = [r.id for r in self._rows]
            if dialog.registered.id in ids:
                self.table.selectRow(ids.index(dialog.registered.id))

    def act(self, action: str) -> None:
        """Run one ledger action on the selected dispute (asking for the text it needs)."""
        r = self.selected()
        if r is None:
            return
        prompts = {"resolve": self.tr("How was it resolved?"), "fail": self.tr("Why did mediation fail?"),
                   "hand_over": self.tr("Handed over to (judicial office, mediation committee, court):"),
                   "link": self.tr("Incident number:")}
        text = ""
        if action in prompts:
            text, ok = QInputDialog.getText(self, r.dispute_no, prompts[action])
            if not ok:
                return
        try:
            if action == "mediate":
                self.service.mediate(r.id)
            elif action == "link":
                self.service.link_incident(r.id, self.service.incident_id(text))
            elif action == "revisit":
                task = self.service.schedule_revisit(r.id)
                QMessageBox.information(self, self.tr("Revisit scheduled"),
                                        self.tr("Task {task} issued to {officer}.")
                                        .format(task=task.task_no, officer=task.assignee_name))
            else:
                getattr(self.service, action)(r.id, text)
        except LoopError as exc:
            QMessageBox.warning(self, self.tr("Not possible"), str(exc))
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        self.reload()
        super().showEvent(event)
