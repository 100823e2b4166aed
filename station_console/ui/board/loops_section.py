"""The "Loops" section of the board's detail pane: the incident's diversion, disputes, repeat
groups and tasks. The repeat check reads the incident's neighbourhood, so it runs in the
background; a result for an incident that is no longer shown is dropped."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import isValid

from station_console.domain.loops import DisputeStage, DiversionState
from station_console.services.incident_loops import IncidentLoops, incident_loops
from station_console.store.database import Database
from station_console.ui.loops.disputes_tab import stage_names
from station_console.ui.tasks.labels import state_names as task_state_names
from station_console.ui.workers import Jobs, Progress


class LoopsSection(QLabel):
    """Lists what the closed loops hold about the shown incident."""

    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailLoops")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.db = db
        self.jobs = Jobs()
        self.incident_id: int | None = None
        self.loops: IncidentLoops | None = None

    def load(self, incident_id: int | None) -> None:
        """Show the loops of this incident (read in the background)."""
        self.incident_id = incident_id
        self.loops = None
        if incident_id is None or self.db is None:
            self.clear()
            return
        self.setText(self.tr("Reading the loops…"))
        db = self.db

        def work(_progress: Progress) -> IncidentLoops:
            return incident_loops(db, incident_id)

        def failed(exc: BaseException, _trace: str) -> None:
            if isValid(self):
                self.setText(self.tr("The loops could not be read: {error}").format(error=escape(str(exc))))

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
        if loops.empty:
            self.setText(self.tr("Not in any loop: no diversion, dispute, repeat group or task."))
            return
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
        self.setText("<br>".join(lines))

    def diversion_state_names(self) -> dict[DiversionState, str]:
        """Diversion states as the section shows them."""
        return {DiversionState.HANDED_OVER: self.tr("handed over"),
                DiversionState.ACCEPTED: self.tr("accepted"),
                DiversionState.DONE: self.tr("done"), DiversionState.FED_BACK: self.tr("fed back"),
                DiversionState.CLOSED: self.tr("revisited, closed"),
                DiversionState.DECLINED: self.tr("declined"), DiversionState.CANCELLED: self.tr("cancelled")}

    def shutdown(self) -> None:
        """Wait for a running read (the pane is closing)."""
        self.jobs.wait()
