"""Dispatch (派警): pick a patrol unit from the unit status board and/or an officer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.enums import UnitStatus
from station_console.services.incidents import IncidentRow, OfficerChoice, UnitRow
from station_console.ui.models.incident_labels import UNIT_STATUS_COLOURS, unit_status_names

UNIT_STATUS_SYMBOLS = {UnitStatus.AVAILABLE: "●", UnitStatus.BUSY: "➤", UnitStatus.OFF_DUTY: "○"}


class DispatchDialog(QDialog):
    """The unit status board with a choice of unit and officer; only free units can be chosen."""

    def __init__(self, incident: IncidentRow, units: list[UnitRow], officers: list[OfficerChoice],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchDialog")
        self.setWindowTitle(self.tr("Dispatch {number}").format(number=incident.incident_no))
        self.setMinimumWidth(560)
        info = QLabel(f"<b>{incident.incident_no}</b> · {incident.category_name}<br>{incident.address}")
        info.setWordWrap(True)

        self.units = QTableWidget(len(units), 4)
        self.units.setObjectName("unitBoard")
        self.units.setHorizontalHeaderLabels([self.tr("Unit"), self.tr("Call sign"), self.tr("Status"),
                                              self.tr("On incident")])
        self.units.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.units.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.units.verticalHeader().setVisible(False)
        header = self.units.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((130, 90, 100)):
            self.units.setColumnWidth(column, width)
        names = unit_status_names()
        first_free = -1
        for r, unit in enumerate(units):
            free = unit.status == UnitStatus.AVAILABLE
            status = UnitStatus(unit.status)
            cells = [unit.name, unit.call_sign, f"{UNIT_STATUS_SYMBOLS[status]} {names[status]}",
                     unit.incident_no]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, unit.id)
                if not free:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if c == 2:
                    item.setForeground(QBrush(UNIT_STATUS_COLOURS[status]))
                self.units.setItem(r, c, item)
            if free and first_free < 0:
                first_free = r
        if first_free >= 0:
            self.units.selectRow(first_free)

        self.officer = QComboBox()
        self.officer.setObjectName("dispatchOfficer")
        self.officer.addItem(self.tr("(no officer)"), None)
        for officer in officers:
            self.officer.addItem(f"{officer.name} ({officer.badge_no})", officer.id)

        form = QFormLayout()
        form.addRow(self.tr("Officer"), self.officer)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Dispatch"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(
            self.tr("Units on a call or off duty cannot be chosen. Pick a unit, an officer or both."))
        hint.setWordWrap(True)
        hint.setObjectName("dialogHint")

        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(QLabel(self.tr("Unit status board")))
        layout.addWidget(self.units)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)

    def unit_id(self) -> int | None:
        rows = self.units.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(Qt.ItemDataRole.UserRole)
        return int(value) if value is not None else None

    def select_unit(self, unit_id: int | None) -> None:
        self.units.clearSelection()
        for r in range(self.units.rowCount()):
            if self.units.item(r, 0).data(Qt.ItemDataRole.UserRole) == unit_id:
                self.units.selectRow(r)

    def officer_id(self) -> int | None:
        value = self.officer.currentData()
        return int(value) if value is not None else None
