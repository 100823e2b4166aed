"""The district view (分局): the stations whose change packages this database applied, side by side.

One row per station (and the district's total) with the dashboard's incident figures and their
change against the previous period, a bar chart of one chosen figure per station, and the weekly
comparison report as PDF or XLSX. Figures come from ``DistrictService`` on a background job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.services.analytics import AnalyticsService, Figure, Period, PeriodKind, Unit, period_for
from station_console.services.district import DISTRICT_KEYS, DistrictComparison, DistrictService
from station_console.services.district_report import write_district_report
from station_console.store.database import Database
from station_console.ui.dashboard.dashboard_screen import figure_text
from station_console.ui.widgets.screen import HeaderLabel, Screen, wait_until
from station_console.ui.workers import Jobs, Progress

if TYPE_CHECKING:
    from station_console.ui.main_window import MainWindow

GOOD, BAD, NEUTRAL = "#1b7f3b", "#c0392b", "#6b7785"
BLUE, GREY = "#1f5fa8", "#c5cfdb"
#: Rows the table shows before it scrolls (a district has up to about twenty stations).
TABLE_ROWS_SHOWN = 14


class DistrictScreen(Screen):
    """Stations compared over a week or a month. ``now`` can be fixed for tests."""

    screen_id = "district"
    refreshed = Signal()
    report_written = Signal(object)

    def __init__(self, db: Database, *, now: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("districtScreen")
        self.db = db
        self.now = now or datetime.now
        self.service = DistrictService(db, now=self.now)
        self.jobs = Jobs()
        self.data: DistrictComparison | None = None
        self.last_error = ""
        self._pending = False
        self._build()
        self.date_edit.setDate(QDate(self.default_day()))
        self.refresh()

    def title(self) -> str:
        return self.tr("District")

    def default_day(self) -> date:
        """A day of the last whole week with data: the weekly comparison is of complete weeks."""
        today = self.now().date()
        day = min(AnalyticsService(self.db, now=self.now).last_data_day() or today, today)
        week = period_for(PeriodKind.WEEK, day)
        return day - timedelta(days=7) if week.end > self.now() else day

    # building -------------------------------------------------------------------------------

    def _figure_names(self) -> dict[str, str]:
        return {
            "calls": self.tr("Calls"), "criminal": self.tr("Criminal cases"),
            "arrival_rate": self.tr("Arrived within 5 min"),
            "median_arrival": self.tr("Median arrival time"),
            "non_police_share": self.tr("Non-police share"), "diversion_rate": self.tr("Diversion rate"),
            "repeat_rate": self.tr("Repeat-call rate"),
            "task_signoff_rate": self.tr("Signed on time"),
            "task_feedback_rate": self.tr("Feedback on time"),
        }

    def _build(self) -> None:
        self.kind = QComboBox()
        self.kind.setObjectName("districtPeriodKind")
        for kind, text in ((PeriodKind.WEEK, self.tr("Week")), (PeriodKind.MONTH, self.tr("Month"))):
            self.kind.addItem(text, kind.value)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.dateChanged.connect(lambda _d: self.refresh())
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.report_button = QPushButton(self.tr("Comparison report…"))
        self.report_button.setObjectName("districtReportButton")
        self.report_button.clicked.connect(self.save_report_dialog)
        self.period_label = QLabel()
        self.period_label.setObjectName("districtPeriodLabel")
        self.status = QLabel()
        self.status.setStyleSheet("color: #6b7785;")

        top = QHBoxLayout()
        top.addWidget(HeaderLabel(self.tr("District")))
        top.addSpacing(16)
        for w in (QLabel(self.tr("Period")), self.kind, self.date_edit, refresh):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.report_button)
        second = QHBoxLayout()
        second.addWidget(self.period_label)
        second.addStretch(1)
        second.addWidget(self.status)

        names = self._figure_names()
        self.table = QTableWidget(0, 1 + len(DISTRICT_KEYS))
        self.table.setObjectName("districtTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setHorizontalHeaderLabels([self.tr("Station"), *(names[k] for k in DISTRICT_KEYS)])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 150)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)

        self.chart_figure = QComboBox()
        self.chart_figure.setObjectName("districtChartFigure")
        for key in DISTRICT_KEYS:
            self.chart_figure.addItem(names[key], key)
        self.chart_figure.currentIndexChanged.connect(lambda _i: self._show_chart())
        pg.setConfigOptions(antialias=True, background="w", foreground="#333333")
        self.chart = pg.PlotWidget()
        self.chart.setObjectName("districtChart")
        self.chart.setMinimumHeight(260)
        self.chart.setMouseEnabled(x=False, y=False)
        self.chart.showGrid(x=False, y=True, alpha=0.3)
        self.chart.addLegend(offset=(-10, 5))

        chart_row = QHBoxLayout()
        chart_row.addWidget(QLabel(self.tr("Chart")))
        chart_row.addWidget(self.chart_figure)
        chart_row.addStretch(1)
        self.note = QLabel(self.tr(
            "Each station's incidents are those whose last change it wrote (the origin in the change "
            "packages). Its tasks are as its latest package reported them (number, state and times "
            "only), judged now. Disputes and warning orders stay in each station's own database and "
            "are not compared here."))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #6b7785;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.table)
        layout.addLayout(chart_row)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.note)

    # computing ------------------------------------------------------------------------------

    def current_period(self) -> Period:
        """The week or month containing the chosen day."""
        d = self.date_edit.date()
        return period_for(PeriodKind(self.kind.currentData()), date(d.year(), d.month(), d.day()))

    def refresh(self) -> None:
        """Recompute the comparison in the background; a refresh asked for meanwhile runs after."""
        if self.jobs.busy:
            self._pending = True
            return
        period, service = self.current_period(), self.service
        self.status.setText(self.tr("Updating…"))

        def work(_progress: Progress) -> DistrictComparison:
            return service.compare(period)

        self.jobs.start(work, self._apply, self._failed)

    def _failed(self, error: Any, _trace: str) -> None:
        self.last_error = str(error)
        self.status.setText(self.tr("Could not compute the figures: %1").replace("%1", str(error)))
        self._after_job()

    def _after_job(self) -> None:
        if self._pending:
            self._pending = False
            self.refresh()

    def wait_ready(self, timeout_ms: int) -> str | None:
        wait_until(lambda: not (self.jobs.busy or self._pending), timeout_ms)
        if self.jobs.busy:
            return "the district's figures did not arrive in time"
        return self.last_error or None

    def shutdown(self) -> None:
        self.jobs.wait()

    # showing --------------------------------------------------------------------------------

    def _apply(self, data: DistrictComparison) -> None:
        self.data = data
        self.last_error = ""
        cur = data.comparison.current
        self.period_label.setText(
            self.tr("%1 to %2, %3 stations").replace("%1", f"{cur.start:%Y-%m-%d}")
            .replace("%2", f"{cur.end - timedelta(microseconds=1):%Y-%m-%d}")
            .replace("%3", str(len(data.rows)))
            + (self.tr(" (so far)") if data.comparison.running else ""))
        self.status.setText(self.tr("Updated %1").replace("%1", f"{data.now:%H:%M:%S}"))
        self._show_table(data)
        self._show_chart()
        self.refreshed.emit()
        self._after_job()

    def _change(self, fig: Figure) -> tuple[str, str]:
        change = fig.change(fig.previous)
        if change is None:
            return "", NEUTRAL
        arrow = "▲" if change > 0 else "▼" if change < 0 else "＝"
        amount = (self.tr("%1 pt").replace("%1", f"{abs(change) * 100:.1f}") if fig.unit == Unit.RATE
                  else f"{abs(change) * 100:.1f}%")
        colour = NEUTRAL
        if fig.higher_is_better is not None and change != 0:
            colour = GOOD if (change > 0) == fig.higher_is_better else BAD
        return f"{arrow} {amount}", colour

    def _show_table(self, data: DistrictComparison) -> None:
        lines = [(r.station.name, r.figures, self._received(r.station.last_package_at)) for r in data.rows]
        lines.append((self.tr("District total"), data.total, ""))
        self.table.setRowCount(len(lines))
        bold = self.table.font()
        bold.setBold(True)
        for row, (name, figures, received) in enumerate(lines):
            item = QTableWidgetItem(name)
            item.setToolTip(received)
            if row == len(lines) - 1:
                item.setFont(bold)
            self.table.setItem(row, 0, item)
            for col, key in enumerate(DISTRICT_KEYS, start=1):
                fig = figures[key]
                change, colour = self._change(fig)
                # The change on a line of its own: nine figures side by side leave no room beside.
                cell = QTableWidgetItem(f"{figure_text(fig)}\n{change}".rstrip())
                cell.setForeground(QBrush(QColor(colour if change else "#1f2d3d")))
                cell.setToolTip(self.tr("Previous period: %1").replace(
                    "%1", figure_text(Figure(key, fig.unit, fig.previous, None, None, 0))))
                if row == len(lines) - 1:
                    cell.setFont(bold)
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()
        # As tall as its rows (up to a dozen or so), the chart takes the rest.
        rows_height = sum(self.table.rowHeight(r) for r in range(min(len(lines), TABLE_ROWS_SHOWN)))
        self.table.setFixedHeight(self.table.horizontalHeader().height() + rows_height
                                  + 2 * self.table.frameWidth() + 2)

    def _received(self, at: datetime | None) -> str:
        """The station cell's tooltip: how current its figures are."""
        if at is None:
            return self.tr("This database's own station")
        return self.tr("Last package applied %1; its tasks are as of then").replace(
            "%1", f"{at:%Y-%m-%d %H:%M}")

    def _show_chart(self) -> None:
        """The chosen figure per station: this period's bar beside the previous period's."""
        self.chart.clear()
        data = self.data
        if data is None or not data.rows:
            return
        key = str(self.chart_figure.currentData())
        figures = [r.figure(key) for r in data.rows]
        # Rates in percent, times in minutes.
        scale = {Unit.RATE: 100.0, Unit.SECONDS: 1 / 60}.get(figures[0].unit, 1.0)
        x = np.arange(len(figures), dtype=np.float64)
        now = np.array([(f.value or 0.0) * scale for f in figures], dtype=np.float64)
        before = np.array([(f.previous or 0.0) * scale if f.previous is not None else 0.0 for f in figures],
                          dtype=np.float64)
        self.chart.addItem(pg.BarGraphItem(x=x - 0.18, height=now, width=0.34, brush=BLUE,
                                           name=self.tr("This period")))
        self.chart.addItem(pg.BarGraphItem(x=x + 0.18, height=before, width=0.34, brush=GREY,
                                           name=self.tr("Previous period")))
        self.chart.getAxis("bottom").setTicks([[(float(i), r.station.name) for i, r in enumerate(data.rows)]])
        unit = {Unit.RATE: "%", Unit.SECONDS: self.tr("min")}.get(figures[0].unit, "")
        self.chart.setLabel("left", unit)
        top = max(float(now.max()), float(before.max()), 1.0)
        self.chart.setXRange(-0.6, len(figures) - 0.4, padding=0)
        self.chart.setYRange(0, top * 1.1, padding=0)

    # the report -----------------------------------------------------------------------------

    def save_report_dialog(self) -> None:
        period = self.current_period()
        year, week, _ = period.start.date().isocalendar()
        stem = f"district-{year}-W{week:02d}" if period.kind == PeriodKind.WEEK else \
            f"district-{period.start:%Y-%m}"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the comparison report"), f"{stem}.pdf",
            self.tr("PDF (*.pdf);;Excel workbook (*.xlsx)"))
        if path:
            self.write_report(Path(path))

    def write_report(self, path: Path) -> None:
        """Write the period's comparison report in the background (``report_written`` on success)."""
        period, service, db = self.current_period(), self.service, self.db
        self.report_button.setEnabled(False)
        self.status.setText(self.tr("Writing %1…").replace("%1", path.name))

        def work(_progress: Progress) -> Path:
            write_district_report(service.compare(period, notable=True), path, db=db)
            return path

        def done(written: Path) -> None:
            self.report_button.setEnabled(True)
            self.status.setText(self.tr("Report saved to %1").replace("%1", str(written)))
            self.report_written.emit(written)

        def failed(error: Any, _trace: str) -> None:
            self.report_button.setEnabled(True)
            self.last_error = str(error)
            self.status.setText(self.tr("Could not write the report: %1").replace("%1", str(error)))

        self.jobs.start(work, done, failed)


def district_screen_for(window: MainWindow) -> DistrictScreen:
    """The district view of the main window."""
    return DistrictScreen(window.db)
