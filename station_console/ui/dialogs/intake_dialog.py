"""Manual intake (接警登记) for walk-ins and phone calls: one form, validated, saved in one step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.enums import IncidentSource
from station_console.services.incidents import IntakeForm, IntakeResult, Lookups
from station_console.ui.models.incident_labels import field_problem_message, priority_names, source_names

#: Sources an operator registers by hand (110 calls and warnings arrive by feed).
MANUAL_SOURCES = (IncidentSource.WALK_IN, IncidentSource.PHONE, IncidentSource.PATROL,
                  IncidentSource.CALL_110, IncidentSource.HOTLINE)


class IntakeDialog(QDialog):
    """The intake form. ``save`` validates and writes; its field errors are shown in place."""

    def __init__(self, lookups: Lookups, save: Callable[[IntakeForm], IntakeResult],
                 now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.setWindowTitle(self.tr("New intake"))
        self.setMinimumWidth(620)
        self._save = save
        self._lookups = lookups
        self.result_value: IntakeResult | None = None

        self.source = QComboBox()
        names = source_names()
        for source in MANUAL_SOURCES:
            self.source.addItem(names[source], source.value)
        self.category = QComboBox()
        self.category.addItem(self.tr("(choose)"), "")
        for cat in lookups.categories:
            if cat.active:
                self.category.addItem(f"{cat.group_name} · {cat.code} {cat.name}", cat.code)
        self.priority = QComboBox()
        self.priority.addItem(self.tr("(category default)"), None)
        for value, name in priority_names().items():
            self.priority.addItem(name, int(value))
        self.received = QDateTimeEdit(QDateTime(now))
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.received.setCalendarPopup(True)
        self.caller_name = QLineEdit()
        self.caller_name.setMaxLength(50)
        self.caller_phone = QLineEdit()
        self.caller_phone.setPlaceholderText(self.tr("mobile 138… or landline 0571-…"))
        self.caller_id_no = QLineEdit()
        self.caller_id_no.setMaxLength(18)
        self.caller_id_no.setPlaceholderText(self.tr("18 characters, optional"))
        self.address = QLineEdit()
        self.address.setMaxLength(200)
        self.lat = QLineEdit()
        self.lat.setPlaceholderText(self.tr("optional, e.g. 30.2741 (WGS-84)"))
        self.lon = QLineEdit()
        self.lon.setPlaceholderText(self.tr("optional, e.g. 120.1551 (WGS-84)"))
        self.community = QComboBox()
        self.community.addItem(self.tr("(derive from the point or the address)"), None)
        for area in lookups.communities:
            self.community.addItem(area.name, area.id)
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(90)

        fields: list[tuple[str, str, QWidget]] = [
            ("source", self.tr("Source"), self.source),
            ("category_code", self.tr("Category *"), self.category),
            ("priority", self.tr("Priority"), self.priority),
            ("received_at", self.tr("Received at"), self.received),
            ("caller_name", self.tr("Caller"), self.caller_name),
            ("caller_phone", self.tr("Phone"), self.caller_phone),
            ("caller_id_no", self.tr("ID number"), self.caller_id_no),
            ("address", self.tr("Address *"), self.address),
            ("lat", self.tr("Latitude"), self.lat),
            ("lon", self.tr("Longitude"), self.lon),
            ("community_id", self.tr("Community"), self.community),
            ("description", self.tr("What happened *"), self.description),
        ]
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, caption, widget in fields:
            widget.setObjectName(f"intake_{key}")
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            column.addWidget(widget)
            error = QLabel()
            error.setObjectName("fieldError")
            error.setStyleSheet("color: #b00020;")
            error.setWordWrap(True)
            error.setVisible(False)
            column.addWidget(error)
            self.errors[key] = error
            form.addRow(caption, holder)
        self.summary = QLabel()
        self.summary.setObjectName("intakeSummary")
        self.summary.setStyleSheet("color: #b00020;")
        self.summary.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("Fields marked * are required. A phone number is required for phone "
                              "and 110 calls."))
        hint.setObjectName("dialogHint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.category.setFocus(Qt.FocusReason.OtherFocusReason)

    def _coordinates(self) -> tuple[float | None, float | None, dict[str, str]]:
        """The typed point (empty fields are ``None``) and the fields that are not numbers."""
        values: list[float | None] = []
        problems: dict[str, str] = {}
        for key, edit in (("lat", self.lat), ("lon", self.lon)):
            text = edit.text().strip().replace("，", ".").replace(",", ".")
            try:
                values.append(float(text) if text else None)
            except ValueError:
                values.append(None)
                problems[key] = self.tr("Not a number: type decimal degrees such as 30.2741.")
        return values[0], values[1], problems

    def form(self) -> IntakeForm:
        """What is typed, as an ``IntakeForm``."""
        lat, lon, _problems = self._coordinates()
        return IntakeForm(
            source=str(self.source.currentData()),
            category_code=str(self.category.currentData() or ""),
            address=self.address.text(),
            description=self.description.toPlainText(),
            caller_name=self.caller_name.text(),
            caller_phone=self.caller_phone.text(),
            caller_id_no=self.caller_id_no.text(),
            priority=self.priority.currentData(),
            community_id=self.community.currentData(),
            lat=lat,
            lon=lon,
            received_at=self.received.dateTime().toPython().replace(microsecond=0),  # type: ignore[union-attr]
        )

    def submit(self) -> None:
        """Validate and save; stay open with the field errors shown when something is wrong."""
        for label in self.errors.values():
            label.setVisible(False)
        _lat, _lon, problems = self._coordinates()
        if not problems:
            result = self._save(self.form())
            if result.ok:
                self.result_value = result
                self.accept()
                return
            problems = {key: field_problem_message(problem) for key, problem in result.errors.items()}
        for key, message in problems.items():
            label = self.errors.get(key)
            if label is not None:
                label.setText(message)
                label.setVisible(True)
        self.summary.setText(self.tr("Nothing was saved: correct the marked fields."))
        self.summary.setVisible(True)
