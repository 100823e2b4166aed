"""Reveal a caller's masked personal data, one field at a time, each reveal audited."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.security import PermissionDenied, PersonalField
from station_console.services.incidents import IncidentDetail, IncidentService


class RevealDialog(QDialog):
    """The masked name, phone and ID number, each with its own Reveal button."""

    def __init__(self, service: IncidentService, incident_id: int, detail: IncidentDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.incident_id = incident_id
        self.setObjectName("revealDialog")
        self.setWindowTitle(self.tr("Reveal caller — {number}").format(
            number=detail.row.incident_no))
        layout = QVBoxLayout(self)
        note = QLabel(self.tr("Personal data is shown masked. Reveal a field only when the case "
                              "needs it: every reveal is recorded with your name in the audit "
                              "trail."))
        note.setWordWrap(True)
        layout.addWidget(note)
        grid = QGridLayout()
        self.values: dict[PersonalField, QLabel] = {}
        self.buttons: dict[PersonalField, QPushButton] = {}
        fields = ((PersonalField.NAME, self.tr("Caller"), detail.row.caller_name),
                  (PersonalField.PHONE, self.tr("Phone"), detail.row.caller_phone),
                  (PersonalField.ID_NO, self.tr("ID number"), detail.caller_id_no))
        for row, (kind, label, masked) in enumerate(fields):
            value = QLabel(masked or "—")
            value.setObjectName(f"reveal_{kind.value}")
            button = QPushButton(self.tr("Reveal"))
            button.setObjectName(f"revealButton_{kind.value}")
            button.setEnabled(bool(masked))
            button.clicked.connect(lambda _=False, k=kind: self.reveal(k))
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(value, row, 1)
            grid.addWidget(button, row, 2)
            self.values[kind] = value
            self.buttons[kind] = button
        layout.addLayout(grid)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)

    def reveal(self, kind: PersonalField) -> None:
        try:
            value = self.service.reveal(self.incident_id, kind)
        except PermissionDenied:
            self.error.setText(self.tr("Your role may not reveal personal data."))
            self.error.show()
            return
        self.values[kind].setText(value)
        self.values[kind].setStyleSheet("font-weight: bold;")
        self.buttons[kind].setEnabled(False)
