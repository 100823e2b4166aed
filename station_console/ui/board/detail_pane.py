"""The board's detail pane: every field of the selected incident, its timeline and related calls."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.workflow import format_duration
from station_console.services.incidents import IncidentDetail, RelatedCall
from station_console.store.database import Database
from station_console.ui.board.loops_section import LoopsSection
from station_console.ui.models.incident_labels import (
    FLAG_SYMBOLS,
    PRIORITY_SYMBOLS,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    event_names,
    flag_names,
    outcome_names,
    priority_names,
    source_names,
    status_names,
)
from station_console.ui.models.incident_table import IncidentTableModel

FIELD_ORDER = (
    "status", "clock", "category", "priority", "source", "received", "address", "area", "caller",
    "phone", "id_no", "unit", "description", "outcome", "feedback", "flags", "times",
)


def _time(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class DetailPane(QWidget):
    """Shows one ``IncidentDetail``; a double-click on a related call asks to open it."""

    related_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, db: Database | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentDetail")
        self.setStyleSheet(
            "QLabel#detailHeading { font-size: 16px; font-weight: bold; color: #1f3550; padding: 4px 0; }"
            "QLabel#detailSection { font-weight: bold; color: #1f3550; padding-top: 6px; }"
            "QLabel#detailCaption { color: #5a6570; }")
        self.detail: IncidentDetail | None = None
        self.heading = QLabel()
        self.heading.setObjectName("detailHeading")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setWordWrap(True)

        self._values: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(0, 0, 0, 0)
        captions = self._field_captions()
        for key in FIELD_ORDER:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"detail_{key}")
            caption = QLabel(captions[key])
            caption.setObjectName("detailCaption")
            form.addRow(caption, value)
            self._values[key] = value
            self._captions[key] = caption

        self.timeline = QTreeWidget()
        self.timeline.setObjectName("detailTimeline")
        self.timeline.setHeaderLabels([self.tr("Time"), self.tr("Event"), self.tr("By"), self.tr("Detail")])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setUniformRowHeights(True)
        self.timeline.setMinimumHeight(120)
        for column, width in enumerate((128, 96, 64)):
            self.timeline.setColumnWidth(column, width)

        self.related = QTreeWidget()
        self.related.setObjectName("detailRelated")
        self.related.setHeaderLabels([self.tr("Number"), self.tr("Received"), self.tr("Category"),
                                      self.tr("Status"), self.tr("Address")])
        self.related.setMinimumHeight(120)
        for column, width in enumerate((170, 120, 90, 70)):
            self.related.setColumnWidth(column, width)
        self.related.itemDoubleClicked.connect(self._on_related)

        self.loops = LoopsSection(db)
        # After a proposed merge the board shows the incident the calls went into.
        self.loops.merged.connect(self.related_activated.emit)

        self.placeholder = QLabel(self.tr("Select an incident in the list to see its details."))
        self.placeholder.setObjectName("detailPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(8, 4, 8, 4)
        body_layout.addWidget(self.heading)
        body_layout.addWidget(form_host)
        body_layout.addWidget(self._section(self.tr("Loops")))
        body_layout.addWidget(self.loops)
        body_layout.addWidget(self._section(self.tr("Timeline")))
        body_layout.addWidget(self.timeline, 2)
        body_layout.addWidget(self._section(self.tr("Related calls (double-click to open)")))
        body_layout.addWidget(self.related, 3)
        self.body = QScrollArea()
        self.body.setWidgetResizable(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setWidget(body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.body)
        self.show_detail(None, datetime.now())

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("detailSection")
        return label

    def _field_captions(self) -> dict[str, str]:
        return {
            "status": self.tr("Status"), "clock": self.tr("Clock"), "category": self.tr("Category"),
            "priority": self.tr("Priority"), "source": self.tr("Source"), "received": self.tr("Received"),
            "address": self.tr("Address"), "area": self.tr("Community / grid"),
            "caller": self.tr("Caller"), "phone": self.tr("Phone"), "id_no": self.tr("ID number"),
            "unit": self.tr("Unit / officer"), "description": self.tr("Description"),
            "outcome": self.tr("Outcome"), "feedback": self.tr("Feedback"), "flags": self.tr("Flags"),
            "times": self.tr("Times"),
        }

    def value_text(self, key: str) -> str:
        """The text shown for a field (for tests and accessibility checks)."""
        return self._values[key].text()

    def show_detail(self, detail: IncidentDetail | None, now: datetime) -> None:
        """Fill the pane (or show the placeholder for no selection)."""
        self.loops.load(detail.row.id if detail is not None else None)
        self.detail = detail
        self.placeholder.setVisible(detail is None)
        self.body.setVisible(detail is not None)
        if detail is None:
            return
        row = detail.row
        statuses = status_names()
        self.heading.setText(f"{row.incident_no}  ·  {row.category_name}")
        status = f"{STATUS_SYMBOLS.get(row.status, '')} {statuses.get(row.status, row.status)}"  # type: ignore[call-overload]
        colour = STATUS_COLOURS.get(row.status)  # type: ignore[call-overload]
        self._values["status"].setText(status)
        self._values["status"].setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "")
        symbol = PRIORITY_SYMBOLS.get(row.priority, "")  # type: ignore[call-overload]
        self._values["priority"].setText(f"{symbol} {priority_names().get(row.priority, row.priority)}")
        self._values["category"].setText(f"{row.category_code} {row.category_name}")
        self._values["source"].setText(source_names().get(row.source, row.source))
        self._values["received"].setText(_time(row.received_at))
        self._values["address"].setText(row.address + (
            f"  ({detail.lat:.6f}, {detail.lon:.6f})" if detail.lat is not None and detail.lon is not None
            else ""))
        self._values["area"].setText(" / ".join(x for x in (row.community_name, row.grid_name) if x))
        self._values["caller"].setText(row.caller_name)
        self._values["phone"].setText(row.caller_phone)
        self._values["id_no"].setText(detail.caller_id_no)
        self._values["unit"].setText(" / ".join(x for x in (row.unit_name, row.officer_name) if x))
        self._values["description"].setText(detail.description)
        self._values["outcome"].setText(outcome_names().get(detail.outcome_code, detail.outcome_code))
        self._values["feedback"].setText(detail.feedback)
        names = flag_names()
        flags = " ".join(f"{FLAG_SYMBOLS[f]}{names[f]}" for f in sorted(row.flags(now)))
        if detail.merged_into_no:
            flags += "  " + self.tr("merged into {number}").format(number=detail.merged_into_no)
        elif row.merged_count:
            flags += "  " + self.tr("{count} calls merged in").format(count=row.merged_count)
        self._values["flags"].setText(flags.strip())
        times = [(self.tr("dispatched"), row.dispatched_at), (self.tr("arrived"), row.arrived_at),
                 (self.tr("resolved"), detail.resolved_at), (self.tr("closed"), detail.closed_at),
                 (self.tr("reopened"), row.reopened_at)]
        self._values["times"].setText("\n".join(f"{label} {_time(t)}" for label, t in times if t))
        self.update_clock(now)
        for key in FIELD_ORDER:
            visible = bool(self._values[key].text())
            self._values[key].setVisible(visible)
            self._captions[key].setVisible(visible)

        self.timeline.clear()
        actions = event_names()
        for event in detail.events:
            item = QTreeWidgetItem([_time(event.at), actions.get(event.action, event.action), event.actor,
                                    event.detail])
            item.setToolTip(3, event.detail)
            self.timeline.addTopLevelItem(item)

        self.related.clear()
        groups = [
            (self.tr("Merged calls"), detail.merged_calls),
            (self.tr("Same phone number"), detail.same_phone),
            (self.tr("Same address"), detail.same_address),
        ]
        for title, calls in groups:
            if not calls:
                continue
            parent = QTreeWidgetItem([f"{title} ({len(calls)})"])
            parent.setFirstColumnSpanned(True)
            parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.related.addTopLevelItem(parent)
            for call in calls:
                parent.addChild(self._related_item(call, statuses))
            parent.setExpanded(True)
        if self.related.topLevelItemCount() == 0:
            empty = QTreeWidgetItem([self.tr("No other calls from this phone or address.")])
            empty.setFirstColumnSpanned(True)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.related.addTopLevelItem(empty)

    @staticmethod
    def _related_item(call: RelatedCall, statuses: dict[str, str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([call.incident_no, call.received_at.strftime("%Y-%m-%d %H:%M"),
                                call.category_name, statuses.get(call.status, call.status), call.address])
        item.setData(0, Qt.ItemDataRole.UserRole, call.id)
        item.setToolTip(4, call.address)
        return item

    def update_clock(self, now: datetime) -> None:
        """Refresh the running clock line (called by the board's one-second tick)."""
        if self.detail is None:
            return
        row = self.detail.row
        text = IncidentTableModel.clock_text(row, now)
        clock = row.clock(now)
        if clock is not None and clock.remaining_s is not None:
            if clock.overdue:
                text += "  " + self.tr("overdue by {time}").format(time=format_duration(-clock.remaining_s))
            else:
                text += "  " + self.tr("{time} left").format(time=format_duration(clock.remaining_s))
        self._values["clock"].setText(text)
        overdue = clock is not None and clock.overdue
        self._values["clock"].setStyleSheet("color: #a00000; font-weight: bold;" if overdue else "")

    def _on_related(self, item: QTreeWidgetItem, _column: int) -> None:
        incident_id = item.data(0, Qt.ItemDataRole.UserRole)
        if incident_id is not None:
            self.related_activated.emit(int(incident_id))
