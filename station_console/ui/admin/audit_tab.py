"""The audit trail tab (auditor): filters, a lazy table, a record's details, verifying the hash
chain and exporting to CSV. Reading, verifying and exporting run in the background."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.security import Masker, masker_for
from station_console.services.audit import AuditFilter, AuditRow, AuditService, ChainReport
from station_console.store.database import Database
from station_console.ui.admin.accounts_tab import error_text
from station_console.ui.admin.audit_model import (
    COLUMN_WIDTHS,
    AuditTableModel,
    Column,
    is_change,
    mask_value,
    parse_detail,
)
from station_console.ui.admin.labels import action_names, object_type_names, outcome_names
from station_console.ui.workers import Jobs, Progress

OK_STYLE = "color: #1b7a2f; font-weight: bold;"
BROKEN_STYLE = "color: #b3261e; font-weight: bold;"


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _value_html(value: Any) -> str:
    if value is None:
        return "<i>∅</i>"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return escape(text).replace("\n", "<br>")


class AuditTab(QWidget):
    """Filters above, records on the left, the chosen record's details on the right."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.service = AuditService(db)
        self.masker: Masker = masker_for(db.identity)
        self.jobs = Jobs()
        self._loaded_once = False
        #: The outcome of the last verification.
        self.report: ChainReport | None = None
        self.model = AuditTableModel(self.service, self.masker)
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(self._on_failed)
        self.model.rowsInserted.connect(self._update_count)

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filters())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setPlaceholderText(self.tr("Choose a record to see its details."))
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([960, 400])
        layout.addWidget(splitter, 1)

        bottom = QHBoxLayout()
        self.count_label = QLabel()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        self.chain_label = QLabel()
        self.chain_label.setWordWrap(True)
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom.addWidget(self.chain_label, 3)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.hide()
        bottom.addWidget(self.progress)
        self.verify_button = QPushButton(self.tr("Verify chain"))
        self.verify_button.setToolTip(self.tr(
            "Recompute every record's hash and name the first record that was changed, "
            "removed or reordered"))
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setToolTip(self.tr("Write the records matching the filter to a CSV "
                                              "file, with their hashes"))
        self.export_button.clicked.connect(self.export)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)

    def _build_filters(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        today = date.today()
        self.from_check = QCheckBox(self.tr("From"))
        self.from_date = QDateEdit(_qdate(today - timedelta(days=30)))
        self.to_check = QCheckBox(self.tr("to"))
        self.to_date = QDateEdit(_qdate(today))
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            bar.addWidget(check)
            bar.addWidget(edit)
        self.user_filter = QComboBox()
        self.action_filter = QComboBox()
        self.type_filter = QComboBox()
        for label, combo in ((self.tr("User:"), self.user_filter),
                             (self.tr("Action:"), self.action_filter),
                             (self.tr("Object:"), self.type_filter)):
            combo.addItem(self.tr("All"), "")
            combo.setMinimumWidth(110)
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText(self.tr("Text in object, details or workstation"))
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.returnPressed.connect(self.apply_filter)
        bar.addWidget(self.text_filter, 1)
        self.apply_button = QPushButton(self.tr("Search"))
        self.apply_button.clicked.connect(self.apply_filter)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.clicked.connect(self.clear_filter)
        bar.addWidget(self.apply_button)
        bar.addWidget(self.clear_button)
        return bar

    # loading ----------------------------------------------------------------------------

    def activated(self) -> None:
        """Load on first show; later shows read again (new records may have been written)."""
        if not self._loaded_once:
            self._loaded_once = True
            self._load_choices()
        self.model.reload()

    def shutdown(self) -> None:
        self.model.shutdown()
        self.jobs.wait()

    @property
    def busy(self) -> bool:
        return self.jobs.busy or self.model.busy

    def _load_choices(self) -> None:
        service = self.service

        def work(_progress: Progress) -> tuple[list[str], list[str], list[str]]:
            return (service.distinct("username"), service.distinct("action"),
                    service.distinct("object_type"))

        self.jobs.start(work, self._fill_choices, lambda exc, _t: self._on_failed(str(exc)))

    def _fill_choices(self, choices: tuple[list[str], list[str], list[str]]) -> None:
        users, actions, types = choices
        action_labels, type_labels = action_names(), object_type_names()
        for combo, values, labels in ((self.user_filter, users, {}),
                                      (self.action_filter, actions, action_labels),
                                      (self.type_filter, types, type_labels)):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in sorted(values, key=lambda v, lb=labels: lb.get(v, v)):
                combo.addItem(labels.get(value, value), value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def current_filter(self) -> AuditFilter:
        start = end = None
        if self.from_check.isChecked():
            start = datetime.combine(_pydate(self.from_date.date()), time())
        if self.to_check.isChecked():
            end = datetime.combine(_pydate(self.to_date.date()) + timedelta(days=1), time())
        return AuditFilter(start=start, end=end, username=self.user_filter.currentData() or "",
                           action=self.action_filter.currentData() or "",
                           object_type=self.type_filter.currentData() or "",
                           text=self.text_filter.text().strip())

    def apply_filter(self) -> None:
        self.detail.clear()
        self.count_label.setText(self.tr("Searching…"))
        self.model.set_filter(self.current_filter())

    def clear_filter(self) -> None:
        for check in (self.from_check, self.to_check):
            check.setChecked(False)
        for combo in (self.user_filter, self.action_filter, self.type_filter):
            combo.setCurrentIndex(0)
        self.text_filter.clear()
        self.apply_filter()

    def _on_loaded(self, _total: int) -> None:
        self._update_count()
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("{total} records ({shown} loaded)").format(
            total=f"{self.model.total:,}", shown=f"{self.model.rowCount():,}"))

    def _on_failed(self, message: str) -> None:
        self.count_label.setText(self.tr("Reading the audit trail failed: {error}")
                                 .format(error=message))

    # details ----------------------------------------------------------------------------

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        self.detail.setHtml(self.detail_html(self.model.record(current.row())))

    def detail_html(self, record: AuditRow) -> str:
        """A record as readable HTML: its fields, then what changed (before and after)."""
        actions, types, outcomes = action_names(), object_type_names(), outcome_names()
        fields = [
            (self.tr("Record"), str(record.id)),
            (self.tr("Time"), record.at),
            (self.tr("User"), record.username),
            (self.tr("Workstation"), record.workstation),
            (self.tr("Action"), f"{actions.get(record.action, record.action)} ({record.action})"),
            (self.tr("Object"), f"{types.get(record.object_type, record.object_type)} "
                                f"{record.object_id}".strip()),
            (self.tr("Outcome"), outcomes.get(record.outcome, record.outcome)),
        ]
        parts = ["<table cellspacing='0' cellpadding='3'>"]
        parts += [f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in fields]
        parts.append("</table>")
        data = parse_detail(record.detail)
        if is_change(data):
            parts.append(self._change_html(record, data))
        elif isinstance(data, dict) and data:
            parts.append(f"<p><b>{escape(self.tr('Details'))}</b></p>")
            parts.append("<table border='1' cellspacing='0' cellpadding='3'>")
            for key, value in data.items():
                shown = mask_value(self.masker, record.object_type, key, value)
                parts.append(f"<tr><td>{escape(key)}</td><td>{_value_html(shown)}</td></tr>")
            parts.append("</table>")
        elif data:
            parts.append(f"<p><b>{escape(self.tr('Details'))}</b></p>"
                         f"<p>{_value_html(self.masker.text(str(data)))}</p>")
        return "".join(parts)

    def _change_html(self, record: AuditRow, data: dict[str, dict[str, Any]]) -> str:
        before, after = data.get("before"), data.get("after")
        keys = list((after or before or {}).keys())
        heads = [self.tr("Field")]
        if before is not None:
            heads.append(self.tr("Before"))
        if after is not None:
            heads.append(self.tr("After"))
        rows = ["<table border='1' cellspacing='0' cellpadding='3' width='100%'>",
                "<tr>" + "".join(f"<th align='left'>{escape(h)}</th>" for h in heads) + "</tr>"]
        for key in keys:
            cells = [escape(key)]
            for side in (before, after):
                if side is not None:
                    value = mask_value(self.masker, record.object_type, key, side.get(key))
                    cells.append(_value_html(value))
            changed = before is not None and after is not None
            style = " style='background-color:#fff4ce'" if changed else ""
            rows.append(f"<tr{style}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        rows.append("</table>")
        title = self.tr("Changed fields") if before and after else self.tr("Fields")
        return f"<p><b>{escape(title)}</b></p>" + "".join(rows)

    # verify and export ------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.verify_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy)

    def verify(self) -> None:
        """Verify the whole chain in the background; show the outcome and the broken record."""
        if self.jobs.busy:
            return
        self._busy(True)
        self.chain_label.setStyleSheet("")
        self.chain_label.setText(self.tr("Verifying the chain…"))
        service = self.service
        self.jobs.start(lambda _p: service.verify(), self._verified, self._job_failed)

    def _verified(self, report: ChainReport) -> None:
        self._busy(False)
        self.report = report
        if report.ok:
            self.chain_label.setStyleSheet(OK_STYLE)
            self.chain_label.setText(self.tr("Chain intact: {count} records verified.")
                                     .format(count=f"{report.records:,}"))
            return
        assert report.broken_id is not None
        self.chain_label.setStyleSheet(BROKEN_STYLE)
        self.chain_label.setText(self.tr("Chain broken at record {id}: {reason}").format(
            id=report.broken_id, reason=self.reason_text(report.reason)))
        self.model.find(report.broken_id, self._select_found)

    def _select_found(self, row: int | None) -> None:
        if row is None:
            self.chain_label.setText(self.chain_label.text() + " " + self.tr(
                "(The record is not in the list as filtered: clear the filters or choose "
                "its date.)"))
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, Column.TIME),
                            QAbstractItemView.ScrollHint.PositionAtCenter)

    def reason_text(self, reason: str) -> str:
        """The verifier's reason in the user's language."""
        missing = re.fullmatch(r"record (\d+) is missing \(deleted\) before record (\d+)", reason)
        if missing:
            return self.tr("record {missing} is missing (deleted) before record {id}").format(
                missing=missing.group(1), id=missing.group(2))
        known = {
            "does not follow the record before it (a record before it was changed, removed or "
            "reordered)": self.tr("it does not follow the record before it (a record before it "
                                  "was changed, removed or reordered)"),
            "its content was changed after it was written":
                self.tr("its content was changed after it was written"),
        }
        return known.get(reason, reason)

    def export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export audit records"), f"audit-{date.today():%Y%m%d}.csv",
            self.tr("CSV files (*.csv)"))
        if name:
            self.start_export(Path(name))

    def start_export(self, target: Path) -> None:
        """Write the records matching the current filter to ``target`` in the background."""
        if self.jobs.busy:
            return
        self._busy(True)
        self.chain_label.setStyleSheet("")
        self.chain_label.setText(self.tr("Exporting…"))
        service, flt = self.service, self.model.filter

        def done(count: int) -> None:
            self._busy(False)
            self.chain_label.setText(self.tr("{count} records exported to {file}.").format(
                count=f"{count:,}", file=target))

        self.jobs.start(lambda _p: service.export_csv(flt, target), done, self._job_failed)

    def _job_failed(self, exc: BaseException, _trace: str) -> None:
        self._busy(False)
        self.chain_label.setStyleSheet(BROKEN_STYLE)
        self.chain_label.setText(error_text(exc))
        QMessageBox.warning(self, self.tr("Audit trail"), error_text(exc))
