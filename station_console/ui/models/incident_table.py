"""The incident board's table model: lazy pages over ``IncidentService``, live clocks.

The model never holds the whole table. It knows the filter, the sort and the total count, and
loads pages of plain ``IncidentRow`` as the view asks for them (a bounded cache, least recently
used pages dropped first). The clock column is computed in ``data()`` from the row's timestamps,
so the board's one-second tick only repaints the visible clock cells (``tick``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from station_console.domain.workflow import ClockPhase, format_duration
from station_console.services.incidents import (
    IncidentFilter,
    IncidentRow,
    IncidentService,
    Sort,
    SortKey,
)
from station_console.ui.models.incident_labels import (
    FLAG_SYMBOLS,
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
    PRIORITY_COLOURS,
    PRIORITY_SYMBOLS,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    flag_names,
    priority_names,
    source_names,
    status_names,
)

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """The board's columns, in display order."""

    NUMBER = 0
    RECEIVED = 1
    CLOCK = 2
    STATUS = 3
    PRIORITY = 4
    CATEGORY = 5
    ADDRESS = 6
    AREA = 7
    UNIT = 8
    FLAGS = 9


#: Columns whose header click sorts (in SQL, on an index).
SORT_KEYS = {
    Column.NUMBER: SortKey.NUMBER,
    Column.RECEIVED: SortKey.RECEIVED,
    Column.CATEGORY: SortKey.CATEGORY,
    Column.PRIORITY: SortKey.PRIORITY,
    Column.AREA: SortKey.COMMUNITY,
    Column.STATUS: SortKey.STATUS,
}
SORT_COLUMNS = {key: column for column, key in SORT_KEYS.items()}

#: The row object itself (an ``IncidentRow``) and its id, for the view and the detail pane.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3

PAGE_SIZE = 100
#: Pages kept in memory (about 5,000 rows): scrolling a million rows never grows the cache.
MAX_PAGES = 50


class IncidentTableModel(QAbstractTableModel):
    """Lazy, paged, sorted and filtered incidents for the board's table view."""

    def __init__(self, service: IncidentService, *, page_size: int = PAGE_SIZE,
                 now: Callable[[], datetime] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.page_size = page_size
        self.now = now or service.now
        self.filter = IncidentFilter()
        self.sort_order = Sort()
        self._count = 0
        self._pages: OrderedDict[int, list[IncidentRow]] = OrderedDict()
        self._overdue: set[int] = set()
        self._status = status_names()
        self._priority = priority_names()
        self._flags = flag_names()
        self._sources = source_names()
        self._bold = QFont()
        self._bold.setBold(True)

    # loading --------------------------------------------------------------------------

    def load(self, flt: IncidentFilter, sort: Sort | None = None) -> None:
        """Query synchronously (count and first page) and show the result."""
        sort = sort or self.sort_order
        total, rows = self.service.first_page(flt, sort, self.page_size)
        self.show_result(flt, sort, total, rows)

    def show_result(self, flt: IncidentFilter, sort: Sort, total: int, first_page: list[IncidentRow]) -> None:
        """Show a query result computed elsewhere (e.g. on a worker thread)."""
        self.beginResetModel()
        self.filter = flt
        self.sort_order = sort
        self._count = total
        self._pages.clear()
        self._overdue.clear()
        if first_page:
            self._pages[0] = first_page
        self.endResetModel()

    def page_of(self, row: int) -> list[IncidentRow]:
        """The cached page holding ``row``, loaded from the database on a miss."""
        number = row // self.page_size
        page = self._pages.get(number)
        if page is None:
            page = self.service.page(self.filter, self.sort_order, number * self.page_size, self.page_size)
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def row_at(self, row: int) -> IncidentRow | None:
        """The incident shown at a row (None past the end, e.g. rows deleted meanwhile)."""
        if not 0 <= row < self._count:
            return None
        page = self.page_of(row)
        offset = row % self.page_size
        return page[offset] if offset < len(page) else None

    def cached_rows(self) -> int:
        """Rows held in memory now (never the whole table)."""
        return sum(len(p) for p in self._pages.values())

    @property
    def total(self) -> int:
        return self._count

    # Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(Column):
            return None
        return self.column_titles()[Column(section)]

    def column_titles(self) -> dict[Column, str]:
        return {
            Column.NUMBER: self.tr("Number"),
            Column.RECEIVED: self.tr("Received"),
            Column.CLOCK: self.tr("Clock"),
            Column.CATEGORY: self.tr("Category"),
            Column.PRIORITY: self.tr("Priority"),
            Column.ADDRESS: self.tr("Address"),
            Column.AREA: self.tr("Community / grid"),
            Column.STATUS: self.tr("Status"),
            Column.UNIT: self.tr("Unit"),
            Column.FLAGS: self.tr("Flags"),
        }

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(Column):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = Column(index.column())
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row.id
        now = self.now()
        clock = row.clock(now)
        overdue = clock is not None and clock.overdue
        if overdue:
            self._overdue.add(row.id)
        else:
            self._overdue.discard(row.id)
        if role == OVERDUE_ROLE:
            return overdue
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, now)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, now)
        if role == Qt.ItemDataRole.BackgroundRole:
            return OVERDUE_BACKGROUND if overdue else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.STATUS:
                return STATUS_COLOURS.get(row.status)  # type: ignore[call-overload]
            if column == Column.PRIORITY:
                return PRIORITY_COLOURS.get(row.priority)  # type: ignore[call-overload]
            if column == Column.CLOCK and overdue:
                return OVERDUE_FOREGROUND
            return None
        if role == Qt.ItemDataRole.FontRole:
            urgent = column == Column.PRIORITY and row.priority == 1
            return self._bold if urgent or (overdue and column == Column.CLOCK) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.CLOCK:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: IncidentRow, column: Column, now: datetime) -> str:
        if column == Column.NUMBER:
            return row.incident_no
        if column == Column.RECEIVED:
            fmt = "%H:%M:%S" if row.received_at.date() == now.date() else "%m-%d %H:%M"
            return row.received_at.strftime(fmt)
        if column == Column.CLOCK:
            return self.clock_text(row, now)
        if column == Column.CATEGORY:
            return row.category_name
        if column == Column.PRIORITY:
            symbol = PRIORITY_SYMBOLS.get(row.priority, "")  # type: ignore[call-overload]
            return f"{symbol} {self._priority.get(row.priority, str(row.priority))}".strip()
        if column == Column.ADDRESS:
            return row.address
        if column == Column.AREA:
            grid = row.grid_name.removeprefix(row.community_name)
            return " / ".join(x for x in (row.community_name, grid) if x)
        if column == Column.STATUS:
            symbol = STATUS_SYMBOLS.get(row.status, "")  # type: ignore[call-overload]
            return f"{symbol} {self._status.get(row.status, row.status)}"
        if column == Column.UNIT:
            return " / ".join(x for x in (row.unit_name, row.officer_name) if x)
        return " ".join(f"{FLAG_SYMBOLS[f]}{self._flags[f]}" for f in sorted(row.flags(now)))

    @staticmethod
    def clock_text(row: IncidentRow, now: datetime) -> str:
        """``◷ 1:05 / 2:00`` while the clock runs, ``⚠`` once overdue, ``●`` on scene."""
        clock = row.clock(now)
        if clock is None:
            return ""
        elapsed = format_duration(clock.elapsed_s)
        if clock.limit_s is None:
            return f"● {elapsed}"
        mark = "⚠" if clock.overdue else "◷"
        return f"{mark} {elapsed} / {format_duration(clock.limit_s)}"

    def _tooltip(self, row: IncidentRow, column: Column, now: datetime) -> str | None:
        if column == Column.CLOCK:
            clock = row.clock(now)
            if clock is None or clock.remaining_s is None:
                return None
            text = (self.tr("Dispatch limit {limit}") if clock.phase == ClockPhase.DISPATCH
                    else self.tr("Arrival limit {limit}"))
            limit = text.format(limit=format_duration(clock.limit_s or 0))
            if clock.overdue:
                return limit + " — " + self.tr("overdue by {time}").format(
                    time=format_duration(-clock.remaining_s))
            return limit + " — " + self.tr("{time} left").format(time=format_duration(clock.remaining_s))
        if column in (Column.ADDRESS, Column.CATEGORY):
            return f"{row.address}\n{row.caller_name} {row.caller_phone}".strip()
        if column == Column.RECEIVED:
            source = self._sources.get(row.source, row.source)
            return row.received_at.strftime("%Y-%m-%d %H:%M:%S") + " · " + source
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header click: sort in SQL on an indexed column; other columns keep the order."""
        key = SORT_KEYS.get(Column(column)) if 0 <= column < len(Column) else None
        if key is None:
            return
        sort = Sort(key, order == Qt.SortOrder.DescendingOrder)
        if sort == self.sort_order:
            return
        self.beginResetModel()
        self.sort_order = sort
        self._pages.clear()
        self.endResetModel()

    # clocks ---------------------------------------------------------------------------

    def tick(self, first: int, last: int) -> None:
        """Repaint the clocks of rows ``first..last`` (the visible ones); whole rows whose
        overdue state flipped since they were last drawn."""
        if self._count == 0 or first < 0 or last < first:
            return
        last = min(last, self._count - 1)
        now = self.now()
        roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole]
        for r in range(first, last + 1):
            row = self.row_at(r)
            if row is None:
                continue
            clock = row.clock(now)
            overdue = clock is not None and clock.overdue
            if overdue != (row.id in self._overdue):
                self.dataChanged.emit(self.index(r, 0), self.index(r, len(Column) - 1))
        self.dataChanged.emit(self.index(first, Column.CLOCK), self.index(last, Column.CLOCK), roles)
