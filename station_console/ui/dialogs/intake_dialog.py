"""Manual intake (接警登记) for walk-ins and phone calls: one form, validated, saved in one step.

With a ``RepeatService`` the dialog lists the earlier calls the typed one repeats (same phone,
ID number, door-level address, or the same event nearby) while the operator types, read in the
background; once saved, the call is checked against the repeat rules at once (flagged, patterns
recorded, a follow-up task issued when it crosses the threshold).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from station_console.domain.enums import IncidentSource
from station_console.domain.intake import normalize_phone
from station_console.services.incidents import IntakeForm, IntakeResult, Lookups
from station_console.services.repeats import EarlierCall, IntakeCall, IntakeHistory, RepeatService, ScanResult
from station_console.ui.models.incident_labels import (
    field_problem_message,
    priority_names,
    source_names,
    status_names,
)
from station_console.ui.workers import Jobs, Progress

#: Sources an operator registers by hand (110 calls and warnings arrive by feed).
MANUAL_SOURCES = (IncidentSource.WALK_IN, IncidentSource.PHONE, IncidentSource.PATROL,
                  IncidentSource.CALL_110, IncidentSource.HOTLINE)
#: Typing pauses this long before the earlier calls are looked up.
HISTORY_DELAY_MS = 400


class IntakeDialog(QDialog):
    """The intake form. ``save`` validates and writes; its field errors are shown in place."""

    def __init__(self, lookups: Lookups, save: Callable[[IntakeForm], IntakeResult],
                 now: datetime, parent: QWidget | None = None, *,
                 repeats: RepeatService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.setWindowTitle(self.tr("New intake"))
        self.setMinimumWidth(620)
        self._save = save
        self._lookups = lookups
        self.result_value: IntakeResult | None = None
        self.repeats = repeats
        self.history: IntakeHistory | None = None
        self.repeat_check: ScanResult | None = None
        self.jobs = Jobs()
        self._history_generation = 0

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
        if repeats is not None:
            # The earlier calls sit beside the form, so the form keeps its height.
            columns = QHBoxLayout()
            form_column = QVBoxLayout()
            form_column.addLayout(form)
            form_column.addWidget(hint)
            form_column.addStretch(1)
            columns.addLayout(form_column, 1)
            columns.addWidget(self._build_history(), 1)
            layout.addLayout(columns)
            self.setMinimumWidth(1180)
        else:
            layout.addLayout(form)
            layout.addWidget(hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.category.setFocus(Qt.FocusReason.OtherFocusReason)

    # earlier calls ----------------------------------------------------------------------

    def _build_history(self) -> QWidget:
        box = QWidget()
        box.setObjectName("intakeHistory")
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 4, 0, 0)
        heading = QLabel(self.tr("Earlier calls"))
        heading.setStyleSheet("font-weight: bold; color: #1f3550;")
        self.history_status = QLabel(self.tr("Type a phone number, ID number, address or point to see "
                                             "earlier calls."))
        self.history_status.setObjectName("intakeHistoryStatus")
        self.history_status.setWordWrap(True)
        self.history_list = QTreeWidget()
        self.history_list.setObjectName("intakeHistoryList")
        self.history_list.setHeaderLabels([self.tr("Number"), self.tr("Received"), self.tr("Category"),
                                           self.tr("Status"), self.tr("Address")])
        self.history_list.setMinimumSize(460, 130)
        for col, width in enumerate((185, 120, 80, 60)):
            self.history_list.setColumnWidth(col, width)
        self.history_list.setVisible(False)
        column.addWidget(heading)
        column.addWidget(self.history_status)
        column.addWidget(self.history_list, 1)
        column.addStretch(0)
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(HISTORY_DELAY_MS)
        self._history_timer.timeout.connect(self.look_up_history)
        for edit in (self.caller_phone, self.caller_id_no, self.address, self.lat, self.lon):
            edit.textChanged.connect(lambda _text: self._history_timer.start())
        for combo in (self.category, self.community):
            combo.currentIndexChanged.connect(lambda _index: self._history_timer.start())
        self.received.dateTimeChanged.connect(lambda _moment: self._history_timer.start())
        return box

    def intake_call(self) -> IntakeCall:
        """The typed call as the repeat rules see it (phone as it will be stored)."""
        form = self.form()
        phone = form.caller_phone.strip()
        return IntakeCall(
            received_at=form.received_at or datetime.now(), category_code=form.category_code,
            phone=normalize_phone(phone) if phone else "", id_no=form.caller_id_no.strip().upper(),
            address=form.address.strip(), community_id=form.community_id, lat=form.lat, lon=form.lon)

    def look_up_history(self) -> None:
        """Read the earlier calls of what is typed now, in the background (stale answers are dropped)."""
        if self.repeats is None:
            return
        call = self.intake_call()
        self._history_generation += 1
        generation = self._history_generation
        if not (call.phone or call.id_no or call.address or (call.lat is not None and call.lon is not None)):
            self.show_history(None)
            return
        self.history_status.setText(self.tr("Looking up earlier calls…"))
        repeats = self.repeats

        def work(_progress: Progress) -> IntakeHistory:
            # Older calls without an address key get one (once per database), so the same
            # address is found however it was written.
            repeats.index_addresses()
            return repeats.intake_history(call)

        def finished(history: IntakeHistory) -> None:
            if isValid(self) and generation == self._history_generation:
                self.show_history(history)

        def failed(exc: BaseException, _trace: str) -> None:
            if isValid(self) and generation == self._history_generation:
                self.history_status.setText(self.tr("Earlier calls could not be read: {error}").format(
                    error=exc))

        self.jobs.start(work, finished, failed)

    @property
    def history_busy(self) -> bool:
        """True while a look-up runs."""
        return self.jobs.busy

    def show_history(self, history: IntakeHistory | None) -> None:
        """List the earlier calls, grouped by what they share with this one."""
        self.history = history
        self.history_list.clear()
        if history is None:
            self.history_status.setText(self.tr("Type a phone number, ID number, address or point to see "
                                                "earlier calls."))
            self.history_status.setStyleSheet("")
            self.history_list.setVisible(False)
            return
        if history.empty:
            self.history_status.setText(self.tr("No earlier calls from this phone, ID number or address in "
                                                "the last {days} days, and none nearby just before.").format(
                days=history.window_days))
            self.history_status.setStyleSheet("")
            self.history_list.setVisible(False)
            return
        kinds = {"person": self.tr("one person, many calls"), "place": self.tr("one place, many calls")}
        if history.repeat_kinds:
            text = self.tr("Repeat call ({kinds}): the call reaches {threshold} calls within {days} days. "
                           "It is flagged when saved; the community officer gets one follow-up task for "
                           "the pattern.").format(
                kinds=self.tr(", ").join(kinds[k] for k in history.repeat_kinds), threshold=history.threshold,
                days=history.window_days)
            style = "color: #a00000; font-weight: bold;"
        else:
            text = self.tr("Earlier calls found; below the repeat threshold ({threshold} calls within "
                           "{days} days).").format(threshold=history.threshold, days=history.window_days)
            style = "color: #7a5a00;"
        if history.same_event:
            text += " " + self.tr("Calls nearby in the last minutes may be the same event: merge them on "
                                  "the board once saved.")
        self.history_status.setText(text)
        self.history_status.setStyleSheet(style)
        statuses = status_names()
        groups = ((self.tr("Same phone"), history.same_phone),
                  (self.tr("Same ID number"), history.same_id_no),
                  (self.tr("Same address"), history.same_address),
                  (self.tr("Same event (nearby, minutes apart)"), history.same_event))
        for title, calls in groups:
            if not calls:
                continue
            parent = QTreeWidgetItem([f"{title} ({len(calls)})"])
            parent.setFirstColumnSpanned(True)
            self.history_list.addTopLevelItem(parent)
            for call in calls:
                parent.addChild(self._history_item(call, statuses))
            parent.setExpanded(True)
        self.history_list.setVisible(True)

    @staticmethod
    def _history_item(call: EarlierCall, statuses: dict[str, str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([call.incident_no, call.received_at.strftime("%Y-%m-%d %H:%M"),
                                call.category_name, statuses.get(call.status, call.status), call.address])
        item.setToolTip(4, call.address)
        return item

    def done(self, result: int) -> None:
        """Closing stops the look-up timer and waits for a look-up still running."""
        if self.repeats is not None:
            self._history_timer.stop()
            self.jobs.wait()
        super().done(result)

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
                if self.repeats is not None and result.incident_id is not None:
                    # Indexed look-ups of the one new call: flagged before the board shows it.
                    self.repeat_check = self.repeats.check_incident(result.incident_id, index_history=False)
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
