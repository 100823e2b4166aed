"""Hand a non-police call to a department from the board (非警务分流)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.loops import DiversionMethod, LoopError
from station_console.services.diversion import DiversionRow, DiversionService


class DivertDialog(QDialog):
    """Department, method and contact; a refusal is shown in the dialog, which stays open."""

    def __init__(self, service: DiversionService, incident_id: int, incident_no: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.incident_id = incident_id
        self.diversion: DiversionRow | None = None
        self.setWindowTitle(self.tr("Divert {number}").format(number=incident_no))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.department = QComboBox()
        for d in service.departments():
            self.department.addItem(d.name, d.id)
        self.method = QComboBox()
        for method, label in ((DiversionMethod.PHONE, self.tr("Phone")),
                              (DiversionMethod.PLATFORM, self.tr("Joint platform / 12345 work order")),
                              (DiversionMethod.ON_SITE, self.tr("On site")),
                              (DiversionMethod.DOCUMENT, self.tr("Document"))):
            self.method.addItem(label, method.value)
        self.contact = QLineEdit()
        self.contact.setPlaceholderText(self.tr("Who took it, or the work order number"))
        self.note = QLineEdit()
        form.addRow(self.tr("Department:"), self.department)
        form.addRow(self.tr("Method:"), self.method)
        form.addRow(self.tr("Contact:"), self.contact)
        form.addRow(self.tr("Note:"), self.note)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.problem)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def submit(self) -> None:
        """Hand the call over; on a refusal the reason is shown and the dialog stays open."""
        try:
            self.diversion = self.service.divert(self.incident_id, self.department.currentData(),
                                                 self.method.currentData(), self.contact.text(),
                                                 self.note.text())
        except LoopError as exc:
            self.problem.setText(str(exc))
            return
        self.accept()
