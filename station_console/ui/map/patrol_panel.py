"""The map's patrol coverage panel (巡逻覆盖): coverage heat on the map, the coverage gap list,
importing GPS tracks and exporting the patrol plan.

Everything that reads the database or writes a file runs on the worker pool; the panel only
sends the results to the map page (its "Patrol coverage" layer).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from station_console.domain.coords import CoordSystem
from station_console.domain.security import Perm
from station_console.services.patrol_coverage import (
    DEFAULT_DAYS,
    DEFAULT_THRESHOLD_MIN,
    CoverageReport,
    HotspotCoverage,
    coverage_report,
)
from station_console.services.patrol_plan import build_plan, write_plan
from station_console.services.patrol_tracks import TrackFileRejected, TrackImportSummary, import_tracks
from station_console.ui.workers import Jobs, Progress

if TYPE_CHECKING:
    from station_console.ui.map.map_screen import MapScreen


class PatrolPanel(QWidget):
    """Coverage of the hotspots by patrols, beside the hotspot list of ``screen``."""

    # A coverage report is in the list and on the page.
    coverage_shown = Signal()
    # A track import or plan export ended; ``message`` says how.
    finished = Signal(str)

    def __init__(self, screen: MapScreen) -> None:
        super().__init__(screen)
        self.setObjectName("patrolPanel")
        self.screen = screen
        self.db = screen.db
        self.jobs = Jobs()
        self.report: CoverageReport | None = None
        self._category_names: dict[str, str] = {}
        self.message = ""
        self._generation = 0

        self.days = QSpinBox()
        self.days.setRange(7, 3650)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setSuffix(self.tr(" days"))
        self.days.setToolTip(self.tr("Hotspots and tracks of this many days up to now"))
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0, 240)
        self.threshold.setDecimals(0)
        self.threshold.setValue(DEFAULT_THRESHOLD_MIN)
        self.threshold.setSuffix(self.tr(" min/day"))
        self.threshold.setToolTip(self.tr("A hotspot with less patrol presence per tracked day in its "
                                          "peak hours is a coverage gap"))
        # Off until the panel is first opened: the map starts with the incidents in front.
        self.show_layer = QCheckBox(self.tr("Show coverage on the map"))
        self._opened = False
        self.days.editingFinished.connect(self.refresh)
        self.threshold.editingFinished.connect(self.refresh)
        self.show_layer.toggled.connect(self._on_show)
        screen.view.bridge.layer_toggled.connect(self._on_layer_toggled)
        screen.group.currentIndexChanged.connect(self.refresh)
        screen.page_loaded.connect(lambda ok: self.refresh() if ok else None)

        self.summary = QLabel()
        self.summary.setObjectName("patrolSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("gapTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Hotspot"), self.tr("Incidents"), self.tr("Peak hours"), self.tr("Patrol min/day"),
            self.tr("Leading categories"),
        ])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((60, 64, 76, 100)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._on_selected)

        self.coords = QComboBox()
        for system in CoordSystem:
            self.coords.addItem(system.value, system.value)
        self.coords.setToolTip(self.tr("Coordinate system of the track file: WGS-84 from GPS devices, "
                                       "GCJ-02 from Gaode or Tencent maps, BD-09 from Baidu maps"))
        self.import_button = QPushButton(self.tr("Import tracks…"))
        self.import_button.setToolTip(self.tr("Patrol GPS tracks from a CSV (unit, time, lat, lon) "
                                              "or GPX file"))
        self.import_button.clicked.connect(self.import_dialog)
        self.export_button = QPushButton(self.tr("Export patrol plan…"))
        self.export_button.setToolTip(self.tr("The hotspots as must-visit points with their peak hours, "
                                              "per police post, as XLSX or PDF"))
        self.export_button.clicked.connect(self.export_dialog)
        identity = self.db.identity
        self.import_button.setEnabled(identity.can(Perm.IMPORT))
        self.coords.setEnabled(identity.can(Perm.IMPORT))
        self.export_button.setEnabled(identity.can(Perm.EXPORT))
        self.status = QLabel()
        self.status.setObjectName("patrolStatus")
        self.status.setWordWrap(True)

        settings = QHBoxLayout()
        for widget in (QLabel(self.tr("Period")), self.days, QLabel(self.tr("Gap below")), self.threshold):
            settings.addWidget(widget)
        settings.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.coords)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(settings)
        layout.addWidget(self.show_layer)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(self.tr("Coverage gaps (hotspots with little patrol in their peak hours)")))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._opened:
            self._opened = True
            self.show_layer.setChecked(True)

    # coverage ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute the coverage of the chosen period in the background, then show it."""
        self._generation += 1
        generation = self._generation
        db, now = self.db, self.screen.now()
        days, threshold = self.days.value(), float(self.threshold.value())
        group = str(self.screen.group.currentData() or "")
        cell_m = float(self.screen.cell.value())

        service = self.screen.service

        def work(_progress: Progress) -> tuple[CoverageReport, dict[str, str]]:
            report = coverage_report(db, days=days, now=now, categories=[group] if group else [],
                                     threshold=threshold, cell_m=cell_m)
            return report, {c.code: c.name for c in service.lookups().categories}

        def done(result: Any) -> None:
            # The map may have closed meanwhile (a result arriving for a deleted panel).
            if not isValid(self) or generation != self._generation:
                return
            self.report, self._category_names = result
            self._fill()
            self._send()
            self.coverage_shown.emit()

        self.jobs.start(work, done, self._failed)

    def _failed(self, error: BaseException, _trace: str) -> None:
        if isValid(self):
            self.status.setText(self.tr("Coverage could not be computed: {error}").format(error=error))

    def _fill(self) -> None:
        report = self.report
        if report is None:
            return
        gaps = report.gaps
        self.summary.setText(self.tr(
            "{hotspots} hotspots, {gaps} with too little patrol; {points} track points of {units} units "
            "on {days} days").format(hotspots=len(report.hotspots), gaps=len(gaps),
                                     points=f"{report.points:,}", units=len(report.subjects),
                                     days=report.tracked_days))
        names = self._category_names
        self.table.setRowCount(len(gaps))
        for row, gap in enumerate(gaps):
            spot = gap.hotspot
            cells = [f"#{spot.rank}", str(spot.count), f"{spot.peak_hours[0]:02d}–{spot.peak_hours[1]:02d}",
                     f"{gap.per_day:.1f}", "、".join(names.get(code, code) for code, _n in spot.leading)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column < 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)

    def _tip(self, gap: HotspotCoverage) -> str:
        spot = gap.hotspot
        return self.tr("Hotspot #{rank}: {minutes} min of patrol per day in its peak hours {peak}").format(
            rank=spot.rank, minutes=f"{gap.per_day:.1f}",
            peak=f"{spot.peak_hours[0]:02d}–{spot.peak_hours[1]:02d}")

    def _send(self) -> None:
        if self.report is None or not self.screen.page_ok:
            return
        # Over GCJ-02 tiles the page draws shifted points, like the screen's own layers.
        coords = self.screen.coords
        gaps = [{**coords.hotspot(g.hotspot.to_dict()), "tip": self._tip(g)} for g in self.report.gaps]
        self.screen.view.call("setCoverage", coords.points(self.report.heat()), gaps,
                              self.show_layer.isChecked())

    def _on_show(self, checked: bool) -> None:
        if self.screen.page_ok:
            self.screen.view.call("showCoverage", checked)

    def _on_layer_toggled(self, name: str, shown: bool) -> None:
        """The layer control switched the coverage layer: the box follows without sending it back."""
        if name == "coverage" and shown != self.show_layer.isChecked():
            self.show_layer.blockSignals(True)
            self.show_layer.setChecked(shown)
            self.show_layer.blockSignals(False)

    def _on_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and self.report is not None:
            spot = self.report.gaps[rows[0].row()].hotspot
            self.screen.centre_on(spot.lat, spot.lon)

    # tracks and the plan ----------------------------------------------------------------

    def import_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import patrol tracks"), "", self.tr("GPS tracks (*.csv *.gpx);;All files (*)"))
        if path:
            self.import_tracks(Path(path), CoordSystem(self.coords.currentData()))

    def import_tracks(self, path: Path, coords: CoordSystem = CoordSystem.WGS84) -> None:
        """Import a track file in the background, then recompute the coverage."""
        db = self.db
        self.import_button.setEnabled(False)
        self.status.setText(self.tr("Importing {name}…").format(name=path.name))

        def work(_progress: Progress) -> TrackImportSummary:
            return import_tracks(db, path, coords=coords)

        def done(result: Any) -> None:
            if self._finish(self.tr("{name}: {read} points read, {new} new, {old} already stored.").format(
                    name=path.name, read=f"{result.read:,}", new=f"{result.inserted:,}",
                    old=f"{result.duplicates:,}")):
                self.refresh()

        def failed(error: BaseException, _trace: str) -> None:
            if isinstance(error, TrackFileRejected):
                problems = "\n".join(str(i) for i in error.issues[:5])
                self._finish(self.tr("{name} was refused, nothing was imported ({count} problems):\n"
                                     "{problems}").format(name=path.name, count=error.count,
                                                          problems=problems))
            else:
                self._finish(self.tr("Tracks not imported: {error}").format(error=error))

        self.jobs.start(work, done, failed)

    def export_dialog(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export patrol plan"), "patrol-plan.xlsx",
            self.tr("Excel workbook (*.xlsx);;PDF (*.pdf)"))
        if path:
            self.export_plan(Path(path))

    def export_plan(self, path: Path) -> None:
        """Write the patrol plan of the shown period (XLSX or PDF by suffix) in the background."""
        if path.suffix.lower() not in (".xlsx", ".pdf"):
            path = path.with_suffix(".xlsx")
        db, now = self.db, self.screen.now()
        days, threshold = self.days.value(), float(self.threshold.value())
        group = str(self.screen.group.currentData() or "")
        cell_m = float(self.screen.cell.value())
        self.export_button.setEnabled(False)

        def work(_progress: Progress) -> int:
            plan = build_plan(db, days=days, now=now, categories=[group] if group else [],
                              threshold=threshold, cell_m=cell_m)
            write_plan(db, plan, path)
            return len(plan.stops)

        def done(result: Any) -> None:
            self._finish(self.tr("Patrol plan with {count} must-visit points written to {path}.").format(
                count=result, path=str(path)))

        def failed(error: BaseException, _trace: str) -> None:
            self._finish(self.tr("The patrol plan was not written: {error}").format(error=error))

        self.jobs.start(work, done, failed)

    def _finish(self, message: str) -> bool:
        """Show how an import or export ended; False when the panel is gone meanwhile."""
        if not isValid(self):
            return False
        self.import_button.setEnabled(self.db.identity.can(Perm.IMPORT))
        self.export_button.setEnabled(self.db.identity.can(Perm.EXPORT))
        self.message = message
        self.status.setText(message)
        self.finished.emit(message)
        return True
