"""The board's filter bar: time preset, multi-choice code filters, area, flags and text search.

It edits an ``IncidentFilter`` and emits ``changed`` when the user changes anything; typing
in the search box is debounced so that a query runs once the operator pauses.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from PySide6.QtCore import QDateTime, QLocale, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.enums import IncidentSource, IncidentStatus, Priority
from station_console.domain.shifts import TimePreset
from station_console.services.incidents import Flag, IncidentFilter, Lookups, Response
from station_console.ui.models.incident_labels import (
    FLAG_SYMBOLS,
    flag_names,
    priority_names,
    source_names,
    status_names,
)

#: Milliseconds of quiet after typing before the search runs.
SEARCH_DEBOUNCE_MS = 300


class MultiChoice(QToolButton):
    """A button with a menu of checkable choices; no choice means "all"."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._menu = QMenu(self)
        self.setMenu(self._menu)
        self._actions: list[QAction] = []
        self._update_text()

    def add_section(self, title: str) -> None:
        self._menu.addSection(title)

    def add_choice(self, value: object, text: str) -> None:
        action = QAction(text, self._menu, checkable=True)
        action.setData(value)
        action.toggled.connect(self._on_toggled)
        self._menu.addAction(action)
        self._actions.append(action)

    def _on_toggled(self, _checked: bool) -> None:
        self._update_text()
        self.changed.emit()

    def values(self) -> list[object]:
        return [a.data() for a in self._actions if a.isChecked()]

    def set_values(self, values: Iterable[object]) -> None:
        wanted = set(values)
        for action in self._actions:
            with QSignalBlocker(action):
                action.setChecked(action.data() in wanted)
        self._update_text()

    def actions_list(self) -> list[QAction]:
        return list(self._actions)

    def _update_text(self) -> None:
        chosen = [a.text() for a in self._actions if a.isChecked()]
        if not chosen:
            summary = self.tr("all")
        elif len(chosen) == 1:
            summary = chosen[0]
        else:
            summary = self.tr("{count} chosen").format(count=len(chosen))
        self.setText(f"{self._label}: {summary}")
        self.setToolTip("\n".join(chosen))


class FilterBar(QWidget):
    """Edits the board's filter; ``changed`` fires on every user change."""

    changed = Signal()

    def __init__(self, lookups: Lookups, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boardFilterBar")
        self._lookups = lookups
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)

        self.preset = QComboBox()
        self.preset.setObjectName("presetCombo")
        presets = [
            (TimePreset.SHIFT, self.tr("This shift")),
            (TimePreset.TODAY, self.tr("Today")),
            (TimePreset.LAST_24H, self.tr("Last 24 hours")),
            (TimePreset.LAST_7D, self.tr("Last 7 days")),
            (TimePreset.ALL, self.tr("All time")),
            (TimePreset.CUSTOM, self.tr("Custom range…")),
        ]
        for value, text in presets:
            self.preset.addItem(text, value.value)
        self.start_edit = QDateTimeEdit()
        self.end_edit = QDateTimeEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            edit.setVisible(False)
        self.start_edit.setToolTip(self.tr("From (inclusive)"))
        self.end_edit.setToolTip(self.tr("Until (exclusive)"))
        today = datetime.combine(datetime.now().date(), time())
        self.start_edit.setDateTime(QDateTime(today - timedelta(days=1)))
        self.end_edit.setDateTime(QDateTime(today + timedelta(days=1)))
        for edit in (self.start_edit, self.end_edit):
            edit.dateTimeChanged.connect(self._emit)

        self.categories = MultiChoice(self.tr("Category"))
        self.categories.setObjectName("categoryFilter")
        group = None
        for cat in lookups.categories:
            if cat.group_name != group:
                group = cat.group_name
                self.categories.add_section(group)
            self.categories.add_choice(cat.code, f"{cat.code} {cat.name}")
        self.statuses = MultiChoice(self.tr("Status"))
        self.statuses.setObjectName("statusFilter")
        for status, name in status_names().items():
            self.statuses.add_choice(IncidentStatus(status).value, name)
        self.sources = MultiChoice(self.tr("Source"))
        for source, name in source_names().items():
            self.sources.add_choice(IncidentSource(source).value, name)
        self.priorities = MultiChoice(self.tr("Priority"))
        for priority, name in priority_names().items():
            self.priorities.add_choice(int(Priority(priority)), name)

        self.community = QComboBox()
        self.community.setObjectName("communityFilter")
        self.community.addItem(self.tr("All communities"), None)
        for area in lookups.communities:
            self.community.addItem(area.name, area.id)
        self.grid = QComboBox()
        self.grid.setObjectName("gridFilter")
        self._fill_grids(None)

        self.flag_buttons: dict[Flag, QToolButton] = {}
        names = flag_names()
        for flag in Flag:
            button = QToolButton()
            button.setCheckable(True)
            button.setText(f"{FLAG_SYMBOLS[flag]} {names[flag]}")
            button.setObjectName(f"flag_{flag.value}")
            button.toggled.connect(self._emit)
            self.flag_buttons[flag] = button

        self.search = QLineEdit()
        self.search.setObjectName("boardSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Search number, address, description, caller or phone (4+ digits)"))
        self.search.setMinimumWidth(260)
        self.search.textEdited.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._flush_search)

        # Conditions only the dashboard's drill-down (hour, weekday, response time) or the map (a
        # drawn area) set: kept until "Clear filters", and named so the operator sees why the list
        # is narrower.
        self._drill = IncidentFilter()
        self.drill_label = QLabel()
        self.drill_label.setObjectName("drillLabel")
        self.drill_label.setVisible(False)
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.clicked.connect(self._clear)

        self.preset.currentIndexChanged.connect(self._on_preset)
        for multi in (self.categories, self.statuses, self.sources, self.priorities):
            multi.changed.connect(self._emit)
        self.community.currentIndexChanged.connect(self._on_community)
        self.grid.currentIndexChanged.connect(self._emit)

        first = QHBoxLayout()
        first.setContentsMargins(0, 0, 0, 0)
        for widget in (self.preset, self.start_edit, self.end_edit, self.categories, self.statuses,
                       self.sources, self.priorities, self.community, self.grid):
            first.addWidget(widget)
        first.addStretch(1)
        second = QHBoxLayout()
        second.setContentsMargins(0, 0, 0, 0)
        second.addWidget(self.search, 1)
        for button in self.flag_buttons.values():
            second.addWidget(button)
        second.addWidget(self.drill_label)
        second.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(first)
        layout.addLayout(second)

    # reading and writing the filter ------------------------------------------------------

    def current_filter(self) -> IncidentFilter:
        preset = TimePreset(self.preset.currentData())
        custom = preset == TimePreset.CUSTOM
        return IncidentFilter(
            preset=preset,
            start=self.start_edit.dateTime().toPython() if custom else None,  # type: ignore[arg-type]
            end=self.end_edit.dateTime().toPython() if custom else None,  # type: ignore[arg-type]
            categories=frozenset(str(v) for v in self.categories.values()),
            statuses=frozenset(str(v) for v in self.statuses.values()),
            sources=frozenset(str(v) for v in self.sources.values()),
            priorities=frozenset(int(v) for v in self.priorities.values()),  # type: ignore[call-overload]
            community_id=self.community.currentData(),
            grid_id=self.grid.currentData(),
            flags=frozenset(f for f, b in self.flag_buttons.items() if b.isChecked()),
            text=self.search.text().strip(),
            hours=self._drill.hours,
            weekdays=self._drill.weekdays,
            response=self._drill.response,
            area=self._drill.area,
        )

    def set_filter(self, flt: IncidentFilter) -> None:
        """Show a filter (e.g. restored from the settings) without emitting ``changed``."""
        widgets = (self.preset, self.start_edit, self.end_edit, self.community, self.grid,
                   *self.flag_buttons.values())
        blockers = [QSignalBlocker(w) for w in widgets]
        index = self.preset.findData(flt.preset.value)
        self.preset.setCurrentIndex(max(index, 0))
        custom = flt.preset == TimePreset.CUSTOM
        self.start_edit.setVisible(custom)
        self.end_edit.setVisible(custom)
        if flt.start is not None:
            self.start_edit.setDateTime(QDateTime(flt.start))
        if flt.end is not None:
            self.end_edit.setDateTime(QDateTime(flt.end))
        self.categories.set_values(flt.categories)
        self.statuses.set_values(flt.statuses)
        self.sources.set_values(flt.sources)
        self.priorities.set_values(flt.priorities)
        self.community.setCurrentIndex(max(self.community.findData(flt.community_id), 0))
        self._fill_grids(self.community.currentData())
        self.grid.setCurrentIndex(max(self.grid.findData(flt.grid_id), 0))
        for flag, button in self.flag_buttons.items():
            button.setChecked(flag in flt.flags)
        self.search.setText(flt.text)
        self._drill = flt
        parts = []
        if flt.hours:
            parts.append(self.tr("hours %1").replace("%1", ",".join(str(h) for h in sorted(flt.hours))))
        if flt.weekdays:
            names = [QLocale().dayName(d + 1, QLocale.FormatType.ShortFormat) for d in sorted(flt.weekdays)]
            parts.append(",".join(names))
        if flt.response != Response.ANY:
            parts.append({
                Response.DISPATCHED: self.tr("dispatch recorded"),
                Response.ARRIVED: self.tr("arrival recorded"),
                Response.ON_TIME: self.tr("arrived within 5 minutes"),
                Response.LATE: self.tr("arrived after 5 minutes"),
            }[flt.response])
        if flt.area:
            parts.append(self.tr("area drawn on the map"))
        self.drill_label.setText(" · ".join(parts))
        self.drill_label.setVisible(bool(parts))
        del blockers

    # reactions ------------------------------------------------------------------------

    def _emit(self, *_args: object) -> None:
        self._debounce.stop()
        self.changed.emit()

    def _flush_search(self) -> None:
        if self._debounce.isActive():
            self._emit()

    def _on_preset(self, _index: int) -> None:
        custom = TimePreset(self.preset.currentData()) == TimePreset.CUSTOM
        self.start_edit.setVisible(custom)
        self.end_edit.setVisible(custom)
        self._emit()

    def _on_community(self, _index: int) -> None:
        with QSignalBlocker(self.grid):
            self._fill_grids(self.community.currentData())
        self._emit()

    def _fill_grids(self, community_id: int | None) -> None:
        self.grid.clear()
        self.grid.addItem(self.tr("All grids"), None)
        for area in self._lookups.grids:
            if community_id is not None and area.parent_id == community_id:
                self.grid.addItem(area.name, area.id)
        self.grid.setEnabled(self.grid.count() > 1)

    def _clear(self) -> None:
        self.set_filter(IncidentFilter(preset=TimePreset(self.preset.currentData())))
        self._emit()
