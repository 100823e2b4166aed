"""The audit trail's table model: pages fetched in the background as the view scrolls.

The trail can hold millions of records, so the model never loads it whole: it knows the filter
and the matching count and appends pages (``AuditService.page``, newest first) when the view
asks for more (``canFetchMore`` / ``fetchMore``). Count and pages are read on a worker thread;
a result that arrives after the filter changed is dropped (each filter is a new generation).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from station_console.domain.security import Masker, PersonalField
from station_console.services.audit import AuditFilter, AuditRow, AuditService
from station_console.ui.admin.labels import action_names, object_type_names, outcome_names
from station_console.ui.workers import Jobs, Progress

AnyIndex = QModelIndex | QPersistentModelIndex
translate = QCoreApplication.translate

PAGE_SIZE = 200
#: How far (in records) a search for one record, e.g. the first broken one, reads before it
#: gives up and asks for a narrower filter.
FIND_LIMIT = 50_000
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
DENIED_BACKGROUND = QColor("#f9d6d3")

#: Keys of before/after values that hold personal data, and how each is masked.
PERSONAL_KEYS = {
    "caller_name": PersonalField.NAME, "caller_phone": PersonalField.PHONE,
    "caller_id_no": PersonalField.ID_NO, "subject_name": PersonalField.NAME,
    "subject_phone": PersonalField.PHONE, "subject_id_no": PersonalField.ID_NO,
    "phone": PersonalField.PHONE, "id_no": PersonalField.ID_NO,
}
#: Tables whose ``name`` column is a person's name (not a place or a department).
PERSON_TABLES = frozenset({"dispute_party"})


class Column(IntEnum):
    TIME = 0
    USER = 1
    WORKSTATION = 2
    ACTION = 3
    OBJECT_TYPE = 4
    OBJECT = 5
    OUTCOME = 6
    DETAIL = 7


COLUMN_WIDTHS = {Column.TIME: 145, Column.USER: 80, Column.WORKSTATION: 90,
                 Column.ACTION: 120, Column.OBJECT_TYPE: 110, Column.OBJECT: 60,
                 Column.OUTCOME: 70, Column.DETAIL: 400}


def parse_detail(detail: str) -> Any:
    """A record's detail as data: JSON when it is JSON, else the text itself."""
    if not detail or detail[0] not in "{[":
        return detail
    try:
        return json.loads(detail)
    except ValueError:
        return detail


def mask_value(masker: Masker, object_type: str, key: str, value: Any) -> Any:
    """A before/after value as this reader may see it."""
    if not isinstance(value, str) or masker.clear:
        return value
    kind = PERSONAL_KEYS.get(key)
    if kind is None and key == "name" and object_type in PERSON_TABLES:
        kind = PersonalField.NAME
    return masker(kind, value) if kind is not None else masker.text(value)


def is_change(data: Any) -> bool:
    """Whether a detail is a row change (``{"before": {...}, "after": {...}}``)."""
    return (isinstance(data, dict) and bool(data) and set(data) <= {"before", "after"}
            and all(isinstance(v, dict) for v in data.values()))


def _short(value: Any) -> str:
    if value is None:
        return "∅"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def summary(row: AuditRow, masker: Masker) -> str:
    """One line saying what a record holds (changed fields, or its details)."""
    data = parse_detail(row.detail)
    if is_change(data):
        before, after = data.get("before", {}), data.get("after", {})
        if before and after:
            parts = [f"{k}: {_short(mask_value(masker, row.object_type, k, before.get(k)))} → "
                     f"{_short(mask_value(masker, row.object_type, k, after.get(k)))}"
                     for k in after]
        else:
            fields = after or before
            parts = [f"{k}={_short(mask_value(masker, row.object_type, k, v))}"
                     for k, v in fields.items() if v not in (None, "")]
        text = "; ".join(parts)
    elif isinstance(data, dict):
        text = "; ".join(f"{k}={_short(mask_value(masker, row.object_type, k, v))}"
                         for k, v in data.items())
    else:
        text = masker.text(str(data))
    return text if len(text) <= 300 else text[:299] + "…"


def headers() -> dict[Column, str]:
    return {
        Column.TIME: translate("AuditModel", "Time"),
        Column.USER: translate("AuditModel", "User"),
        Column.WORKSTATION: translate("AuditModel", "Workstation"),
        Column.ACTION: translate("AuditModel", "Action"),
        Column.OBJECT_TYPE: translate("AuditModel", "Object type"),
        Column.OBJECT: translate("AuditModel", "Object"),
        Column.OUTCOME: translate("AuditModel", "Outcome"),
        Column.DETAIL: translate("AuditModel", "Details"),
    }


class AuditTableModel(QAbstractTableModel):
    """Audit records matching a filter, newest first, loaded a page at a time."""

    #: The count and first page of a new filter arrived (the count).
    loaded = Signal(int)
    #: Reading failed (the message).
    failed = Signal(str)

    def __init__(self, service: AuditService, masker: Masker,
                 parent: QAbstractTableModel | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.masker = masker
        self.filter = AuditFilter()
        self.total = 0
        self.rows: list[AuditRow] = []
        self.jobs = Jobs()
        self._generation = 0
        self._fetching = False
        self._headers = headers()
        self._actions = action_names()
        self._types = object_type_names()
        self._outcomes = outcome_names()
        self._summaries: dict[int, str] = {}

    # loading ----------------------------------------------------------------------------

    def set_filter(self, flt: AuditFilter) -> None:
        """Show the records matching ``flt``: count and first page are read in the background."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self.filter = flt
        self.rows = []
        self.total = 0
        self._summaries.clear()
        self._fetching = True
        self.endResetModel()
        service = self.service

        def work(_progress: Progress) -> tuple[int, list[AuditRow]]:
            return service.count(flt), service.page(flt, 0, PAGE_SIZE)

        def done(result: tuple[int, list[AuditRow]]) -> None:
            if generation != self._generation:
                return
            self.total, rows = result
            self._append(rows)
            self._fetching = False
            self.loaded.emit(self.total)

        self.jobs.start(work, done, self._failed(generation))

    def reload(self) -> None:
        self.set_filter(self.filter)

    def _failed(self, generation: int) -> Callable[[BaseException, str], None]:
        def failed(exc: BaseException, _trace: str) -> None:
            if generation == self._generation:
                self._fetching = False
                self.failed.emit(str(exc))
        return failed

    def _append(self, rows: list[AuditRow]) -> None:
        """Add rows (while ``_fetching`` is still set, so views reacting to the insert do not
        ask for the next page before these are in). Records written since the first page
        shift the offsets; rows already shown are not added twice."""
        if self.rows:
            rows = [r for r in rows if r.id < self.rows[-1].id]
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    @property
    def busy(self) -> bool:
        return self._fetching

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self.rows) < self.total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, flt, offset, service = self._generation, self.filter, len(self.rows), self.service

        def work(_progress: Progress) -> list[AuditRow]:
            return service.page(flt, offset, PAGE_SIZE)

        def done(rows: list[AuditRow]) -> None:
            if generation != self._generation:
                return
            self._append(rows)
            self._fetching = False
            if not rows:
                self.total = len(self.rows)

        self.jobs.start(work, done, self._failed(generation))

    def find(self, record_id: int, found: Callable[[int | None], None]) -> None:
        """Load pages until the record is in the model; ``found`` gets its row (None if it is
        not among the first ``FIND_LIMIT`` matching records)."""
        row = self.row_of(record_id)
        if row is not None or self._fetching:
            found(row)
            return
        self._fetching = True
        generation, flt, offset, service = self._generation, self.filter, len(self.rows), self.service

        def work(progress: Progress) -> list[AuditRow]:
            rows: list[AuditRow] = []
            while offset + len(rows) < FIND_LIMIT:
                page = service.page(flt, offset + len(rows), 2000)
                rows.extend(page)
                if not page or page[-1].id <= record_id:
                    break
                if not progress.report(len(rows), FIND_LIMIT):
                    break
            return rows

        def done(rows: list[AuditRow]) -> None:
            if generation != self._generation:
                found(None)
                return
            self._append(rows)
            self._fetching = False
            found(self.row_of(record_id))

        def failed(exc: BaseException, trace: str) -> None:
            self._failed(generation)(exc, trace)
            found(None)

        self.jobs.start(work, done, failed)

    def row_of(self, record_id: int) -> int | None:
        for row, record in enumerate(self.rows):
            if record.id == record_id:
                return row
        return None

    def record(self, row: int) -> AuditRow:
        return self.rows[row]

    def shutdown(self) -> None:
        self._generation += 1
        self.jobs.wait()

    # model ------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(Column):
            return self._headers[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        record = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(record, Column(index.column()), role)
        if role == ROW_ROLE:
            return record
        if role == Qt.ItemDataRole.BackgroundRole and record.outcome != "ok":
            return QBrush(DENIED_BACKGROUND)
        return None

    def _text(self, record: AuditRow, column: Column, role: int) -> str:
        if column == Column.TIME:
            return record.at[:19]
        if column == Column.USER:
            return record.username
        if column == Column.WORKSTATION:
            return record.workstation
        if column == Column.ACTION:
            label = self._actions.get(record.action, record.action)
            return f"{label} ({record.action})" if role == Qt.ItemDataRole.ToolTipRole else label
        if column == Column.OBJECT_TYPE:
            return self._types.get(record.object_type, record.object_type)
        if column == Column.OBJECT:
            return record.object_id
        if column == Column.OUTCOME:
            return self._outcomes.get(record.outcome, record.outcome)
        text = self._summaries.get(record.id)
        if text is None:
            text = self._summaries[record.id] = summary(record, self.masker)
        return text
