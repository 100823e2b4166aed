"""Dispatch (派警) and the unit status board: units on a call or off duty, put on or off duty here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.enums import UnitStatus
from station_console.services.incidents import IncidentRow, OfficerChoice, UnitRow
from station_console.ui.models.incident_labels import UNIT_STATUS_COLOURS, unit_status_names

UNIT_STATUS_SYMBOLS = {UnitStatus.AVAILABLE: "●", UnitStatus.BUSY: "➤", UnitStatus.OFF_DUTY: "○"}

# Loads the units; puts one on (True) or off duty and returns the refusal message, if any.
UnitLoader = Callable[[], list[UnitRow]]
DutySetter = Callable[[int, bool], str | None]


class UnitBoard(QWidget):
    """Every patrol unit with its state and last duty change, and the on / off duty buttons."""

    unit_changed = Signal()

    def __init__(self, load: UnitLoader, set_duty: DutySetter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self._set_duty = set_duty
        self._units: list[UnitRow] = []
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("unitBoard")
        self.table.setHorizontalHeaderLabels([self.tr("Unit"), self.tr("Call sign"), self.tr("Status"),
                                              self.tr("On incident"), self.tr("Duty changed")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 70, 90, 185)):
            self.table.setColumnWidth(column, width)
        self.on_duty = QPushButton(self.tr("On duty"))
        self.on_duty.setObjectName("unitOnDuty")
        self.off_duty = QPushButton(self.tr("Off duty"))
        self.off_duty.setObjectName("unitOffDuty")
        self.on_duty.clicked.connect(lambda: self._change(True))
        self.off_duty.clicked.connect(lambda: self._change(False))
        self.message = QLabel()
        self.message.setObjectName("unitMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.on_duty)
        buttons.addWidget(self.off_duty)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        """Read the units again, keeping the unit ``keep`` (else the first free one) selected."""
        self._units = self._load()
        names = unit_status_names()
        self.table.setRowCount(len(self._units))
        for r, unit in enumerate(self._units):
            status = UnitStatus(unit.status)
            changed = ""
            if unit.duty_changed_at is not None:
                changed = f"{unit.duty_changed_at:%m-%d %H:%M} {unit.duty_changed_by}".strip()
            cells = [unit.name, unit.call_sign, f"{UNIT_STATUS_SYMBOLS[status]} {names[status]}",
                     unit.incident_no, changed]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, unit.id)
                if c == 2:
                    item.setForeground(QBrush(UNIT_STATUS_COLOURS[status]))
                self.table.setItem(r, c, item)
        free = [u.id for u in self._units if u.status == UnitStatus.AVAILABLE]
        self.select_unit(keep if keep is not None else (free[0] if free else None))
        self._on_selection()

    def select_unit(self, unit_id: int | None) -> None:
        """Select the unit's row (none for ``None``)."""
        self.table.clearSelection()
        for r, unit in enumerate(self._units):
            if unit.id == unit_id:
                self.table.selectRow(r)

    def unit(self) -> UnitRow | None:
        """The selected unit."""
        rows = self.table.selectionModel().selectedRows()
        return self._units[rows[0].row()] if rows else None

    def _on_selection(self) -> None:
        unit = self.unit()
        status = UnitStatus(unit.status) if unit is not None else None
        self.on_duty.setEnabled(status == UnitStatus.OFF_DUTY)
        self.off_duty.setEnabled(status == UnitStatus.AVAILABLE)
        self.unit_changed.emit()

    def _change(self, on_duty: bool) -> None:
        unit = self.unit()
        if unit is None:
            return
        problem = self._set_duty(unit.id, on_duty)
        self.message.setText(problem or "")
        self.reload(unit.id)


class DispatchDialog(QDialog):
    """The unit status board with a choice of unit and officer; only an available unit can be sent."""

    def __init__(self, incident: IncidentRow, load: UnitLoader, set_duty: DutySetter,
                 officers: list[OfficerChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchDialog")
        self.setWindowTitle(self.tr("Dispatch {number}").format(number=incident.incident_no))
        self.setMinimumWidth(640)
        info = QLabel(f"<b>{incident.incident_no}</b> · {incident.category_name}<br>{incident.address}")
        info.setWordWrap(True)
        self.board = UnitBoard(load, set_duty, self)

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
        hint = QLabel(self.tr("Units on a call or off duty cannot be sent. Pick a unit, an officer or both."))
        hint.setWordWrap(True)
        hint.setObjectName("dialogHint")

        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(QLabel(self.tr("Unit status board")))
        layout.addWidget(self.board)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.board.unit_changed.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self) -> None:
        unit = self.board.unit()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            unit is None or unit.status == UnitStatus.AVAILABLE)

    def unit_id(self) -> int | None:
        """The chosen unit."""
        unit = self.board.unit()
        return unit.id if unit is not None else None

    def select_unit(self, unit_id: int | None) -> None:
        """Choose the unit (none for ``None``)."""
        self.board.select_unit(unit_id)

    def officer_id(self) -> int | None:
        """The chosen officer."""
        value = self.officer.currentData()
        return int(value) if value is not None else None


class UnitsDialog(QDialog):
    """The unit status board on its own, to put units on or off duty."""

    def __init__(self, load: UnitLoader, set_duty: DutySetter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unitsDialog")
        self.setWindowTitle(self.tr("Unit status board"))
        self.setMinimumWidth(640)
        self.board = UnitBoard(load, set_duty, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.board)
        layout.addWidget(buttons)
