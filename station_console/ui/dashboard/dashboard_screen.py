"""The chief's dashboard: period, tiles with 环比/同比, charts, communities, officer scorecard.

Figures come from ``AnalyticsService`` on a background job; a cheap watermark poll refreshes
them when incidents change. Clicking a tile, a trend point, a category bar, a matrix cell or a
community row opens the board on exactly the incidents behind it; the tiles of disputes, warnings
and tasks, and a scorecard row, list the records behind them (``ItemsDialog``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QDate, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.workflow import ClockPolicy
from station_console.services.analytics import (
    DEFAULT_WEIGHTS,
    INDICATORS,
    AnalyticsService,
    Dashboard,
    Figure,
    ItemDrill,
    PeriodKind,
    Unit,
    parse_weights,
    period_for,
)
from station_console.services.briefing import collect_briefing, format_value, write_briefing
from station_console.services.incidents import IncidentFilter, IncidentService
from station_console.store.database import Database
from station_console.ui.dashboard.items_dialog import ItemsDialog
from station_console.ui.live import LiveRefresh
from station_console.ui.widgets.screen import HeaderLabel, Screen, wait_until
from station_console.ui.workers import Jobs, Progress

if TYPE_CHECKING:
    from station_console.ui.main_window import MainWindow

#: Categories shown in the category chart (the busiest).
CATEGORY_BARS = 12
#: The announced tables (on a server) whose changes the figures may show.
LIVE_TABLES = ("incident", "incident_event", "task", "task_event", "loop_event")
#: How long after the first announcement the dashboard looks (changes arriving together).
LIVE_COALESCE_MS = 500
#: The daily-calls chart spans at least this many days, however few the period has had so far.
TREND_MIN_DAYS = 8
#: How often the dashboard looks for new data (``AnalyticsService.data_mark``).
POLL_MS = 15_000
#: Figures older than this are computed again when the screen is shown or polled while shown,
#: even with no new data: "overdue now" and running periods move with the clock alone.
STALE_AFTER = timedelta(minutes=1)
SETTINGS_WEIGHTS = "dashboard/weights"
SETTINGS_PRIORITY_LIMITS = "board/priority_dispatch_limits"
GOOD, BAD, NEUTRAL = "#1b7f3b", "#c0392b", "#6b7785"
BLUE, GREY = "#1f5fa8", "#9aa3ad"


class Tile(QFrame):
    """One figure: name, value, and its 环比 / 同比 with arrows and colours. Clickable."""

    clicked = Signal()

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"tile_{key.replace(':', '_')}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("QFrame { background: #ffffff; border: 1px solid #cfd8e3; border-radius: 6px; }"
                           "QLabel { border: none; }")
        self.name = QLabel()
        self.name.setStyleSheet("color: #44505e;")
        self.value = QLabel("—")
        self.value.setStyleSheet("font-size: 22px; font-weight: bold; color: #1f2d3d;")
        self.previous = QLabel()
        self.last_year = QLabel()
        self.note = QLabel()
        self.note.setStyleSheet("color: #6b7785;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(1)
        for w in (self.name, self.value, self.previous, self.last_year, self.note):
            layout.addWidget(w)
        self.setMinimumWidth(170)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


def figure_text(fig: Figure) -> str:
    """A figure's value on screen ("—" when there is nothing to measure)."""
    return format_value(fig, minute="′", second="″")


class DashboardScreen(Screen):
    """The chief's daily dashboard. ``now`` and ``poll_ms`` can be fixed for tests."""

    screen_id = "dashboard"
    refreshed = Signal()
    drill_down = Signal(object)
    #: Open another screen on a drill-down's records: ("loops", tab) or ("tasks", officer id or None).
    open_screen = Signal(str, object)

    def __init__(self, db: Database, settings: QSettings, *, now: Callable[[], datetime] | None = None,
                 poll_ms: int = POLL_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardScreen")
        self.db = db
        self.settings = settings
        self.now = now or datetime.now
        policy = ClockPolicy.from_text(str(settings.value(SETTINGS_PRIORITY_LIMITS, "")))
        self.service = AnalyticsService(db, now=self.now, policy=policy)
        self.incidents = IncidentService(db, now=self.now)
        self.policy = policy
        self.jobs = Jobs()
        self.data: Dashboard | None = None
        self.last_error = ""
        self._pending = False
        self._mark: tuple[Any, ...] | None = None
        #: When the figures on screen were asked for (``now``'s clock).
        self._asked_at: datetime | None = None
        self._category_bars: list[Any] = []
        self._trend_x = np.zeros(0, dtype=np.float64)
        self.weights = self._load_weights()
        self.items_dialog: ItemsDialog | None = None
        self._build()
        day = self.service.last_data_day() or self.now().date()
        today = self.now().date()
        self.date_edit.setDate(QDate(min(day, today)))
        self.end_edit.setDate(QDate(min(day, today)))
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.poll)
        self._poll.start()
        # On a server, what another workstation commits is looked at once it is announced.
        self._follow = LiveRefresh(db, LIVE_TABLES, self.poll, coalesce_ms=LIVE_COALESCE_MS, parent=self)
        self._mark = self.service.data_mark()
        self.refresh()

    def title(self) -> str:
        return self.tr("Dashboard")

    # building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = QComboBox()
        self.kind.setObjectName("periodKind")
        for kind, text in ((PeriodKind.DAY, self.tr("Day")), (PeriodKind.WEEK, self.tr("Week")),
                           (PeriodKind.MONTH, self.tr("Month")), (PeriodKind.CUSTOM, self.tr("Custom"))):
            self.kind.addItem(text, kind.value)
        self.kind.setCurrentIndex(2)
        self.date_edit = QDateEdit()
        self.end_edit = QDateEdit()
        for edit in (self.date_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.end_edit.setVisible(False)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.period_label = QLabel()
        self.period_label.setObjectName("periodLabel")
        self.status = QLabel()
        self.status.setStyleSheet("color: #6b7785;")
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.briefing_button = QPushButton(self.tr("Daily briefing…"))
        self.briefing_button.setObjectName("briefingButton")
        self.briefing_button.clicked.connect(self.save_briefing_dialog)
        preview = QPushButton(self.tr("Print preview…"))
        preview.clicked.connect(self.print_preview)
        export = QPushButton(self.tr("Export charts…"))
        export.clicked.connect(self.export_charts_dialog)
        weights = QPushButton(self.tr("Scorecard weights…"))
        weights.clicked.connect(self.edit_weights)

        top = QHBoxLayout()
        top.addWidget(HeaderLabel(self.tr("Dashboard")))
        top.addSpacing(16)
        for w in (QLabel(self.tr("Period")), self.kind, self.date_edit, self.end_edit, refresh):
            top.addWidget(w)
        top.addStretch(1)
        for w in (export, weights, preview, self.briefing_button):
            top.addWidget(w)
        second = QHBoxLayout()
        second.addWidget(self.period_label)
        second.addStretch(1)
        second.addWidget(self.status)

        self.tiles: dict[str, Tile] = {}
        self.tile_grid = QGridLayout()
        self.tile_grid.setSpacing(8)
        self.group_row = QHBoxLayout()
        self.group_row.setSpacing(6)
        self.group_buttons: list[QPushButton] = []

        pg.setConfigOptions(antialias=True, background="w", foreground="#333333")
        self.trend = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.trend.setObjectName("trendChart")
        self.trend.setMinimumHeight(240)
        self.trend.showGrid(x=False, y=True, alpha=0.3)
        self.trend.setMouseEnabled(x=False, y=False)
        self.trend.addLegend(offset=(-10, 5))
        self.trend.scene().sigMouseClicked.connect(self._on_trend_click)
        self.categories_plot = pg.PlotWidget()
        self.categories_plot.setObjectName("categoryChart")
        self.categories_plot.setMinimumHeight(240)
        self.categories_plot.setMouseEnabled(x=False, y=False)
        self.categories_plot.scene().sigMouseClicked.connect(self._on_category_click)

        self.matrix = QTableWidget(7, 24)
        self.matrix.setObjectName("hourWeekdayMatrix")
        self.matrix.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.matrix.setHorizontalHeaderLabels([str(h) for h in range(24)])
        self.matrix.setVerticalHeaderLabels(self._weekday_names())
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.setMinimumHeight(230)
        self.matrix.cellClicked.connect(self._on_matrix_click)

        self.communities = QTableWidget(0, 8)
        self.communities.setObjectName("communityTable")
        self.communities.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.communities.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.communities.setHorizontalHeaderLabels([
            self.tr("Community"), self.tr("Calls"), self.tr("Previous"), self.tr("Criminal"),
            self.tr("Property"), self.tr("Repeat"), self.tr("Non-police"), self.tr("5-min arrival")])
        # The figures take the width their headers and values need ("5-min arrival" was cut off
        # when every column had an equal share); the community names take the rest.
        header = self.communities.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.communities.verticalHeader().setVisible(False)
        self.communities.setMinimumHeight(280)
        self.communities.cellClicked.connect(self._on_community_click)

        self.scorecard = QTableWidget(0, 3 + len(INDICATORS))
        self.scorecard.setObjectName("scorecard")
        self.scorecard.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.scorecard.setHorizontalHeaderLabels(
            [self.tr("Officer"), self.tr("Team"), self.tr("Score")]
            + [self._indicator_names()[k] for k in INDICATORS])
        self.scorecard.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.scorecard.verticalHeader().setVisible(False)
        self.scorecard.setMinimumHeight(280)
        self.scorecard.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.scorecard.cellClicked.connect(self._on_scorecard_click)

        charts = QGridLayout()
        charts.addWidget(self._section(self.tr("Daily calls (grey: a year earlier)"), self.trend), 0, 0)
        charts.addWidget(self._section(self.tr("Busiest categories (click a bar)"), self.categories_plot),
                         0, 1)
        charts.addWidget(self._section(self.tr("Hour of day × weekday"), self.matrix), 1, 0)
        charts.addWidget(self._section(self.tr("Communities"), self.communities), 1, 1)

        body = QWidget()
        body.setObjectName("dashboardBody")
        inner = QVBoxLayout(body)
        inner.setContentsMargins(16, 8, 16, 16)
        inner.addLayout(self.tile_grid)
        inner.addLayout(self.group_row)
        inner.addLayout(charts)
        inner.addWidget(self._section(self.tr("Officer scorecard (weighted indicators, 0–100; click an "
                                              "officer for the calls and tasks behind the score)"),
                                      self.scorecard))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 0)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(scroll, 1)

    def _section(self, title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        label = QLabel(title)
        label.setStyleSheet("font-weight: bold; color: #1f3c66;")
        layout.addWidget(label)
        layout.addWidget(widget)
        return box

    def _weekday_names(self) -> list[str]:
        return [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"),
                self.tr("Sat"), self.tr("Sun")]

    def _figure_names(self) -> dict[str, str]:
        return {
            "calls": self.tr("Calls"), "criminal": self.tr("Criminal cases"),
            "property": self.tr("Property cases"), "arrival_rate": self.tr("Arrived within 5 min"),
            "median_dispatch": self.tr("Median dispatch time"),
            "median_arrival": self.tr("Median arrival time"),
            "non_police_share": self.tr("Non-police share"), "diversion_rate": self.tr("Diversion rate"),
            "repeat_rate": self.tr("Repeat-call rate"), "overdue_now": self.tr("Overdue now"),
            "disputes_opened": self.tr("Disputes registered"),
            "disputes_resolved": self.tr("Disputes resolved"),
            "warning_on_time_rate": self.tr("On-time warning answers"),
            "task_signoff_rate": self.tr("On-time task sign-off"),
            "task_feedback_rate": self.tr("On-time task feedback"),
        }

    def _indicator_names(self) -> dict[str, str]:
        return {
            "handled": self.tr("Calls handled"), "arrival_rate": self.tr("5-min arrival"),
            "closure_rate": self.tr("Closed"), "community_repeat": self.tr("Repeat calls at home"),
            "signoff_rate": self.tr("Tasks signed on time"), "feedback_rate": self.tr("Feedback on time"),
        }

    # period and refresh --------------------------------------------------------------------

    def _on_kind(self, _index: int) -> None:
        self.end_edit.setVisible(self.current_kind() == PeriodKind.CUSTOM)
        self.refresh()

    def current_kind(self) -> PeriodKind:
        return PeriodKind(self.kind.currentData())

    def set_period(self, kind: PeriodKind, day: date, last_day: date | None = None) -> None:
        """Choose a period (as the user would) and refresh."""
        self.kind.blockSignals(True)
        self.date_edit.blockSignals(True)
        self.end_edit.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(kind.value))
        self.date_edit.setDate(QDate(day))
        self.end_edit.setDate(QDate(last_day or day))
        self.end_edit.setVisible(kind == PeriodKind.CUSTOM)
        for w in (self.kind, self.date_edit, self.end_edit):
            w.blockSignals(False)
        self.refresh()

    def current_period(self) -> Any:
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        last: date = self.end_edit.date().toPython()  # type: ignore[assignment]
        kind = self.current_kind()
        return period_for(kind, day, max(day, last) if kind == PeriodKind.CUSTOM else None)

    def activated(self) -> None:
        self.poll()

    def poll(self) -> None:
        """Refresh when incidents, tasks, disputes or warning orders changed since the last look,
        or when the screen is shown and its figures are more than ``STALE_AFTER`` old."""
        mark = self.service.data_mark()
        stale = (self.isVisible() and self._asked_at is not None
                 and self.now() - self._asked_at > STALE_AFTER)
        if (self._mark is not None and mark != self._mark) or stale:
            self.refresh()
        self._mark = mark

    def refresh(self) -> None:
        """Recompute every figure in the background; a refresh asked for meanwhile runs after."""
        if self.jobs.busy:
            self._pending = True
            return
        period, weights, service = self.current_period(), dict(self.weights), self.service
        self._asked_at = self.now()
        self.status.setText(self.tr("Updating…"))

        def work(_progress: Progress) -> Dashboard:
            return service.dashboard(period, weights=weights)

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
            return "the dashboard's figures did not arrive in time"
        return self.last_error or None

    def shutdown(self) -> None:
        """Stop polling and wait for the running job (the window is closing)."""
        self._poll.stop()
        self._follow.close()
        if self.items_dialog is not None:
            self.items_dialog.close()
        self.jobs.wait()

    # showing --------------------------------------------------------------------------------

    def _apply(self, data: Dashboard) -> None:
        self.data = data
        self.last_error = ""
        cur = data.comparison.current
        self.period_label.setText(self.tr("%1 to %2").replace("%1", f"{cur.start:%Y-%m-%d %H:%M}")
                                  .replace("%2", f"{cur.end:%Y-%m-%d %H:%M}")
                                  + (self.tr(" (so far)") if data.comparison.running else ""))
        self.status.setText(self.tr("Updated %1").replace("%1", f"{data.now:%H:%M:%S}"))
        self._show_tiles(data)
        self._show_trend(data)
        self._show_categories(data)
        self._show_matrix(data)
        self._show_communities(data)
        self._show_scorecard(data)
        self.refreshed.emit()
        self._after_job()

    def _comparison(self, fig: Figure, other: float | None, name: str) -> tuple[str, str]:
        change = fig.change(other)
        if change is None:
            return f"{name} —", NEUTRAL
        arrow = "▲" if change > 0 else "▼" if change < 0 else "＝"
        amount = (self.tr("%1 pt").replace("%1", f"{abs(change) * 100:.1f}") if fig.unit == Unit.RATE
                  else f"{abs(change) * 100:.1f}%")
        colour = NEUTRAL
        if fig.higher_is_better is not None and change != 0:
            colour = GOOD if (change > 0) == fig.higher_is_better else BAD
        return f"{name} {arrow} {amount}", colour

    def _show_tiles(self, data: Dashboard) -> None:
        names = self._figure_names()
        for index, fig in enumerate(data.tiles):
            tile = self.tiles.get(fig.key)
            if tile is None:
                tile = Tile(fig.key)
                tile.clicked.connect(lambda key=fig.key: self.drill(key))
                self.tiles[fig.key] = tile
                self.tile_grid.addWidget(tile, index // 5, index % 5)
            tile.name.setText(names.get(fig.key, fig.key))
            tile.value.setText(figure_text(fig))
            if fig.key == "overdue_now":
                colour = BAD if fig.value else GOOD
                tile.value.setStyleSheet(f"font-size: 22px; font-weight: bold; color: {colour};")
                tile.previous.setText(self.tr("open calls past their clock"))
                tile.last_year.setText("")
            else:
                for label, other, name in ((tile.previous, fig.previous, self.tr("vs previous")),
                                           (tile.last_year, fig.last_year, self.tr("vs last year"))):
                    text, colour = self._comparison(fig, other, name)
                    label.setText(text)
                    label.setStyleSheet(f"color: {colour};")
            note = ""
            if fig.target is not None:
                note = self.tr("target %1 · %2 late").replace("%1", f"{fig.target * 100:.0f}%") \
                    .replace("%2", str(fig.count))
                below = fig.value is not None and fig.value < fig.target
                tile.value.setStyleSheet("font-size: 22px; font-weight: bold; color: %s;"
                                         % (BAD if below else GOOD))
            elif fig.items is not None and fig.unit == Unit.RATE:
                note = (self.tr("%1 of %2 on time").replace("%1", str(fig.count)).replace("%2", str(fig.base))
                        if fig.base else self.tr("none judged yet"))
            elif fig.unit == Unit.RATE:
                note = self.tr("%1 of %2").replace("%1", str(fig.count)).replace("%2", str(fig.base))
            tile.note.setText(note)
            tile.setToolTip(self.tr("Click to list these records") if fig.items is not None
                            else self.tr("Click to open these incidents on the board"))
        while self.group_buttons:
            self.group_buttons.pop().deleteLater()
        for fig in data.groups:
            button = QPushButton(f"{fig.label} {figure_text(fig)}")
            button.setObjectName(f"group_{fig.key.split(':', 1)[1]}")
            change = fig.change(fig.previous)
            if change is not None and change != 0:
                button.setText(button.text() + (" ▲" if change > 0 else " ▼"))
            button.setToolTip(self._comparison(fig, fig.previous, self.tr("vs previous"))[0])
            button.clicked.connect(lambda _=False, key=fig.key: self.drill(key))
            self.group_row.addWidget(button)
            self.group_buttons.append(button)

    def _show_trend(self, data: Dashboard) -> None:
        self.trend.clear()
        points = data.trend
        if not points:
            return
        x = np.array([datetime.combine(p.day, datetime.min.time()).timestamp() + 43_200 for p in points],
                     dtype=np.float64)
        y = np.array([p.count for p in points], dtype=np.float64)
        self.trend.addItem(pg.BarGraphItem(x=x, height=y, width=86_400 * 0.7, brush=BLUE,
                                           name=self.tr("Calls")))
        earlier = [(xi, p.last_year) for xi, p in zip(x, points, strict=True) if p.last_year is not None]
        if earlier:
            ex = np.array([e[0] for e in earlier], dtype=np.float64)
            ey = np.array([e[1] for e in earlier], dtype=np.float64)
            self.trend.plot(ex, ey, pen=pg.mkPen(GREY, width=2, style=Qt.PenStyle.DashLine),
                            name=self.tr("A year earlier"))
        # At least TREND_MIN_DAYS across: on the first day of a month the axis would otherwise
        # count hours under a single bar.
        right = max(x[-1] + 86_400, x[0] - 86_400 + TREND_MIN_DAYS * 86_400)
        self.trend.setXRange(x[0] - 86_400, right, padding=0)
        self._trend_x = x

    def _on_trend_click(self, event: Any) -> None:
        if self.data is None or not self._trend_x.size:
            return
        pos = self.trend.getPlotItem().vb.mapSceneToView(event.scenePos())
        index = int(np.argmin(np.abs(self._trend_x - pos.x())))
        if abs(self._trend_x[index] - pos.x()) <= 43_200:
            self.drill_filter(self.data.trend[index].drill)

    def _show_categories(self, data: Dashboard) -> None:
        """The busiest categories as horizontal bars, busiest on top."""
        self.categories_plot.clear()
        cats = sorted((c for c in data.categories if c.count), key=lambda c: c.count)[-CATEGORY_BARS:]
        self._category_bars = cats
        if not cats:
            return
        y = np.arange(len(cats), dtype=np.float64)
        widths = np.array([c.count for c in cats], dtype=np.float64)
        self.categories_plot.addItem(pg.BarGraphItem(x0=0.0, y=y, height=0.7, width=widths, brush=BLUE))
        self.categories_plot.getAxis("left").setTicks([[(float(i), c.name) for i, c in enumerate(cats)]])
        self.categories_plot.setYRange(-0.6, len(cats) - 0.4, padding=0)
        self.categories_plot.setXRange(0, max(c.count for c in cats) * 1.05, padding=0)

    def _on_category_click(self, event: Any) -> None:
        if self.data is None or not self._category_bars:
            return
        pos = self.categories_plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        index = round(pos.y())
        if 0 <= index < len(self._category_bars) and abs(pos.y() - index) <= 0.35:
            self.drill_filter(self._category_bars[index].drill)

    def _show_matrix(self, data: Dashboard) -> None:
        top = max((max(row) for row in data.matrix), default=0) or 1
        for d, row in enumerate(data.matrix):
            for h, n in enumerate(row):
                item = QTableWidgetItem(str(n) if n else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                share = n / top
                item.setBackground(QColor.fromRgbF(1 - 0.85 * share, 1 - 0.55 * share, 1 - 0.25 * share))
                item.setForeground(QColor("#ffffff" if share > 0.6 else "#1f2d3d"))
                self.matrix.setItem(d, h, item)

    def _on_matrix_click(self, row: int, column: int) -> None:
        if self.data is not None:
            self.drill_filter(self.data.matrix_drill(row, column))

    def _show_communities(self, data: Dashboard) -> None:
        self.communities.setRowCount(len(data.communities))
        for r, c in enumerate(data.communities):
            rate = "—" if c.arrival_rate is None else f"{c.arrival_rate * 100:.1f}%"
            for col, value in enumerate((c.name, c.calls, c.previous_calls, c.criminal, c.property, c.repeat,
                                         c.non_police, rate)):
                item = QTableWidgetItem(str(value))
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.communities.setItem(r, col, item)

    def _on_community_click(self, row: int, _column: int) -> None:
        if self.data is not None and 0 <= row < len(self.data.communities):
            self.drill_filter(self.data.communities[row].drill)

    def _show_scorecard(self, data: Dashboard) -> None:
        teams = {"community": self.tr("Community"), "patrol": self.tr("Patrol"), "case": self.tr("Cases"),
                 "command_room": self.tr("Command room"), "leadership": self.tr("Leadership")}
        self.scorecard.setRowCount(len(data.scorecard))
        for r, row in enumerate(data.scorecard):
            score = "—" if row.score is None else f"{row.score:.1f}"
            cells = [row.name, teams.get(row.team, row.team), score]
            for key in INDICATORS:
                value = row.values.get(key)
                if value is None:
                    cells.append("—")
                elif key in ("handled", "community_repeat"):
                    cells.append(f"{value:.0f}")
                else:
                    cells.append(f"{value * 100:.0f}%")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.scorecard.setItem(r, col, item)

    # drill-down -----------------------------------------------------------------------------

    def drill(self, key: str) -> None:
        """Open the board on the incidents behind the tile ``key`` (or list its records)."""
        if self.data is None:
            return
        fig = self.data.tile(key)
        if fig.drill is not None:
            self.drill_filter(fig.drill)
        elif fig.items is not None:
            name = self._figure_names().get(key, key)
            self.show_items(name, [(name, fig.items)])

    def _on_scorecard_click(self, row: int, _column: int) -> None:
        if self.data is not None and 0 <= row < len(self.data.scorecard):
            self.drill_officer(self.data.scorecard[row].officer_id)

    def drill_officer(self, officer_id: int) -> None:
        """List the calls and tasks behind an officer's scorecard row."""
        if self.data is None:
            return
        name = next(r.name for r in self.data.scorecard if r.officer_id == officer_id)
        labels = {"handled": self.tr("Calls handled"), "signoff_rate": self.tr("Tasks: sign-off"),
                  "feedback_rate": self.tr("Tasks: feedback")}
        drills = self.data.officer_drills(officer_id)
        self.show_items(name, [(labels[key], drill) for key, drill in drills.items()])

    def show_items(self, title: str, sections: list[tuple[str, ItemDrill]]) -> ItemsDialog:
        """Open the list dialog of the records behind a figure (one at a time)."""
        if self.items_dialog is not None:
            self.items_dialog.close()
        dialog = ItemsDialog(self.service, title, sections, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_screen.connect(self.open_screen)
        dialog.destroyed.connect(lambda _obj=None, d=dialog: self._forget_dialog(d))
        self.items_dialog = dialog
        dialog.show()
        return dialog

    def _forget_dialog(self, dialog: ItemsDialog) -> None:
        if self.items_dialog is dialog:
            self.items_dialog = None

    def drill_filter(self, flt: IncidentFilter) -> None:
        self.drill_down.emit(flt)

    # weights, briefing, export --------------------------------------------------------------

    def _load_weights(self) -> dict[str, float]:
        try:
            return parse_weights(str(self.settings.value(SETTINGS_WEIGHTS, "")))
        except ValueError:
            return dict(DEFAULT_WEIGHTS)

    def edit_weights(self) -> None:
        current = ", ".join(f"{k}={v:g}" for k, v in self.weights.items())
        text, ok = QInputDialog.getText(
            self, self.tr("Scorecard weights"),
            self.tr("Weight of each indicator (0 leaves it out):"), text=current)
        if not ok:
            return
        try:
            self.weights = parse_weights(text)
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("Scorecard weights"), str(exc))
            return
        self.settings.setValue(SETTINGS_WEIGHTS, ", ".join(f"{k}={v:g}" for k, v in self.weights.items()))
        self.refresh()

    def briefing_day(self) -> date:
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return day

    def write_briefing(self, path: Path, done: Callable[[Path], None] | None = None) -> None:
        """Write the briefing of the chosen day in the background, with progress and cancel."""
        db, day, weights = self.db, self.briefing_day(), dict(self.weights)
        now, policy = self.now, self.policy
        dialog = QProgressDialog(self.tr("Writing the daily briefing…"), self.tr("Cancel"), 0, 0, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def work(progress: Progress) -> Path:
            briefing = collect_briefing(db, day, now=now, weights=weights, policy=policy)
            if progress.cancelled:
                return path
            write_briefing(briefing, path, db=db)
            return path

        def finished(result: Any) -> None:
            dialog.reset()
            self.status.setText(self.tr("Briefing written to %1").replace("%1", str(result)))
            if done is not None:
                done(result)

        def failed(error: Any, _trace: str) -> None:
            dialog.reset()
            QMessageBox.warning(self, self.tr("Daily briefing"),
                                self.tr("The briefing could not be written: %1").replace("%1", str(error)))

        worker = self.jobs.start(work, finished, failed)
        dialog.canceled.connect(worker.progress.cancel)

    def save_briefing_dialog(self) -> None:
        day = self.briefing_day()
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the daily briefing"), f"briefing-{day.isoformat()}.pdf",
            self.tr("PDF (*.pdf);;Excel workbook (*.xlsx)"))
        if path:
            self.write_briefing(Path(path))

    def print_preview(self) -> None:
        """Write the briefing PDF, then show it in the print preview (from where it prints)."""
        folder = Path(tempfile.mkdtemp(prefix="briefing-"))
        target = folder / f"briefing-{self.briefing_day().isoformat()}.pdf"
        self.write_briefing(target, self._preview_pdf)

    def _preview_pdf(self, path: Path) -> None:
        document = QPdfDocument(self)
        document.load(str(path))
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setObjectName("briefingPreview")

        def paint(p: QPrinter) -> None:
            painter = QPainter(p)
            rect = painter.viewport()
            for page in range(document.pageCount()):
                if page:
                    p.newPage()
                image: QImage = document.render(page, QSize(rect.width(), rect.height()))
                painter.drawImage(rect, image)
            painter.end()

        dialog.paintRequested.connect(paint)
        self.preview_dialog = dialog
        dialog.open()

    def export_charts(self, folder: Path) -> list[Path]:
        """Save the trend and category charts as PNG files in ``folder``."""
        written = []
        for name, plot in (("trend", self.trend), ("categories", self.categories_plot)):
            exporter = ImageExporter(plot.getPlotItem())
            exporter.parameters()["width"] = max(800, plot.width() * 2)
            path = folder / f"dashboard-{name}.png"
            exporter.export(str(path))
            written.append(path)
        return written

    def export_charts_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export the charts as PNG to"))
        if folder:
            paths = self.export_charts(Path(folder))
            self.status.setText(self.tr("%1 charts saved").replace("%1", str(len(paths))))


def dashboard_screen_for(window: MainWindow) -> DashboardScreen:
    """The dashboard of the main window; its drill-downs open the board."""
    screen = DashboardScreen(window.db, window.settings)

    def open_board(flt: IncidentFilter) -> None:
        board = window.show_screen("board")
        show = getattr(board, "show_filter", None)
        if show is not None:
            show(flt)

    def open_records(screen_id: str, arg: object) -> None:
        target = window.show_screen(screen_id)
        show = getattr(target, "show_tab" if screen_id == "loops" else "show_officer", None)
        if show is not None:
            show(arg)

    screen.drill_down.connect(open_board)
    screen.open_screen.connect(open_records)
    return screen
