"""The "Loops" section of the board's detail pane: the incident's diversions, disputes, repeat
groups, tasks and warning orders, and a one-click merge when the one-event detector finds other
calls about the same event. The repeat check reads the incident's neighbourhood, so it runs in
the background; a result for an incident that is no longer shown is dropped."""

from __future__ import annotations

import getpass
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from station_console.domain.loops import DisputeStage, DiversionState, WarningKind, WarningState
from station_console.domain.workflow import WorkflowError
from station_console.services.incident_loops import IncidentLoops, MergeProposal, incident_loops
from station_console.services.incidents import IncidentService
from station_console.store.database import Database
from station_console.ui.loops.disputes_tab import stage_names
from station_console.ui.models.incident_labels import refusal_message
from station_console.ui.tasks.labels import state_names as task_state_names
from station_console.ui.workers import Jobs, Progress


class LoopsSection(QWidget):
    """Lists what the closed loops hold about the shown incident; proposes merging one event's calls."""

    #: The calls were merged into this incident (the pane shows it next).
    merged = Signal(int)

    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailLoops")
        self.label = QLabel()
        self.label.setObjectName("detailLoopsText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.merge_button = QPushButton()
        self.merge_button.setObjectName("detailMergeProposal")
        self.merge_button.setVisible(False)
        self.merge_button.clicked.connect(self.propose_merge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.db = db
        self.jobs = Jobs()
        self.incident_id: int | None = None
        self.loops: IncidentLoops | None = None
        self.active_dialog: QMessageBox | None = None

    def text(self) -> str:
        """The section's text (rich text)."""
        return self.label.text()

    def load(self, incident_id: int | None) -> None:
        """Show the loops of this incident (read in the background)."""
        self.incident_id = incident_id
        self.loops = None
        self.merge_button.setVisible(False)
        if incident_id is None or self.db is None:
            self.label.clear()
            return
        self.label.setText(self.tr("Reading the loops…"))
        db = self.db

        def work(_progress: Progress) -> IncidentLoops:
            return incident_loops(db, incident_id)

        def failed(exc: BaseException, _trace: str) -> None:
            if isValid(self):
                self.label.setText(self.tr("The loops could not be read: {error}").format(
                    error=escape(str(exc))))

        self.jobs.start(work, self._show, failed)

    @property
    def busy(self) -> bool:
        """True while a read is running."""
        return self.jobs.busy

    def _show(self, loops: IncidentLoops) -> None:
        # The pane may be gone (window closed) or showing another incident by now.
        if not isValid(self) or loops.incident_id != self.incident_id:
            return
        self.loops = loops
        proposal = loops.merge_proposal
        self.merge_button.setVisible(proposal is not None)
        if proposal is not None:
            self.merge_button.setText(self.tr("Merge {count} calls of this event into {number}…").format(
                count=len(proposal.duplicate_ids), number=proposal.main_no))
        if loops.empty:
            self.label.setText(self.tr("Not in any loop: no diversion, dispute, repeat group, task or "
                                       "warning order."))
            return
        self.label.setText("<br>".join(self._lines(loops)))

    def _lines(self, loops: IncidentLoops) -> list[str]:
        lines: list[str] = []
        diversion_states = self.diversion_state_names()
        for d in loops.diversions:
            lines.append(self.tr("Diversion: {department}, {state}").format(
                department=escape(d.department), state=diversion_states[DiversionState(d.state)]))
        stages = stage_names()
        for p in loops.disputes:
            lines.append(self.tr("Dispute: {number} {title}, {stage}, risk {risk}").format(
                number=escape(p.dispute_no), title=escape(p.title), stage=stages[DisputeStage(p.stage)],
                risk=p.risk_level))
        kinds = {"person": self.tr("one person"), "place": self.tr("one place"),
                 "event": self.tr("one event")}
        for g in loops.repeat_groups:
            lines.append(self.tr("Repeat group ({kind}): {label}, {count} calls").format(
                kind=kinds.get(g.kind, g.kind), label=escape(g.label), count=len(g.incident_ids)))
        task_states = task_state_names()
        for t in loops.tasks:
            lines.append(self.tr("Task: {number} {title}, {assignee}, {state}").format(
                number=escape(t.task_no), title=escape(t.title), assignee=escape(t.assignee_name),
                state=task_states[t.state]))
        warning_kinds, warning_states = self.warning_kind_names(), self.warning_state_names()
        now = datetime.now()
        for w in loops.warnings:
            line = self.tr("Warning order: {number} {kind}, level {level}, {state}").format(
                number=escape(w.order_no), kind=warning_kinds[WarningKind(w.kind)], level=w.level,
                state=warning_states[WarningState(w.state)])
            clock = w.clock()
            if clock is not None and clock.overdue(now):
                line += f" <b style='color:#a00000'>{self.tr('overdue')}</b>"
            elif clock is not None:
                line += " " + self.tr("(due {time})").format(time=clock.due.strftime("%m-%d %H:%M"))
            lines.append(line)
        return lines

    # merge proposal ---------------------------------------------------------------------

    def propose_merge(self) -> None:
        """Ask the operator to confirm merging the event's later calls into its first call."""
        proposal = self.loops.merge_proposal if self.loops is not None else None
        if proposal is None or self.db is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Merge calls of one event"),
                          self.tr("{numbers} came in within minutes near {number}, about the same kind of "
                                  "event. Merge them into {number}? They are closed and listed under it.")
                          .format(numbers=", ".join(proposal.duplicate_nos), number=proposal.main_no),
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, self)
        self.active_dialog = box

        def finished() -> None:
            self.active_dialog = None
            box.deleteLater()

        box.accepted.connect(lambda: self.merge(proposal))
        box.finished.connect(lambda _code: finished())
        box.open()

    def merge(self, proposal: MergeProposal) -> bool:
        """Merge through the incident service (the board's own merge); a refusal is shown here."""
        if self.db is None:
            return False
        try:
            IncidentService(self.db).merge(proposal.main_id, proposal.duplicate_ids,
                                           actor=getpass.getuser())
        except WorkflowError as error:
            self.label.setText(escape(refusal_message(error)))
            return False
        self.merged.emit(proposal.main_id)
        return True

    # names ------------------------------------------------------------------------------

    def diversion_state_names(self) -> dict[DiversionState, str]:
        """Diversion states as the section shows them."""
        return {DiversionState.HANDED_OVER: self.tr("handed over"),
                DiversionState.ACCEPTED: self.tr("accepted"),
                DiversionState.DONE: self.tr("done"), DiversionState.FED_BACK: self.tr("fed back"),
                DiversionState.CLOSED: self.tr("revisited, closed"),
                DiversionState.DECLINED: self.tr("declined"), DiversionState.CANCELLED: self.tr("cancelled")}

    def warning_kind_names(self) -> dict[WarningKind, str]:
        """Warning kinds as the section shows them."""
        return {WarningKind.ANTI_FRAUD: self.tr("anti-fraud"),
                WarningKind.MISSING_PERSON: self.tr("missing person"),
                WarningKind.WANTED_PERSON: self.tr("wanted person"),
                WarningKind.KEY_PERSON: self.tr("key person"),
                WarningKind.SENSOR_ALARM: self.tr("sensor alarm")}

    def warning_state_names(self) -> dict[WarningState, str]:
        """Warning states as the section shows them."""
        return {WarningState.RECEIVED: self.tr("received"), WarningState.REVIEWED: self.tr("reviewed"),
                WarningState.DISPATCHED: self.tr("verification dispatched"),
                WarningState.FED_BACK: self.tr("verification fed back"),
                WarningState.CLOSED: self.tr("closed")}

    def shutdown(self) -> None:
        """Wait for a running read (the pane is closing)."""
        self.jobs.wait()
