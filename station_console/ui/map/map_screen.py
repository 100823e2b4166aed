"""The jurisdiction map (地图): base map, incidents, patrol heat by hour and ranked hotspots.

The page is built once (folium, vendored assets, no network) and kept; new data reaches it
through ``StationMap.*`` calls without a reload. Reading incidents and computing hotspots run
on the worker pool; the hour slider recomputes the heat from arrays already in memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QEventLoop, QLocale, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QSlider,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from station_console.config import Paths
from station_console.domain.coords import CoordSystem
from station_console.services.geo_import import (
    ImportResult,
    ReassignCancelled,
    import_boundaries,
    read_boundaries,
)
from station_console.services.hotspots import (
    DEFAULT_CELL_M,
    CellGrid,
    Hotspot,
    TimeWindow,
    find_hotspots,
    grid_for,
    heat_points,
    window_mask,
)
from station_console.services.incidents import IncidentFilter, IncidentService, Watermark
from station_console.services.map_data import (
    IncidentArrays,
    Jurisdiction,
    incident_location,
    load_incident_arrays,
    load_jurisdiction,
)
from station_console.services.map_layers import incident_payload
from station_console.services.map_page import MapLabels, write_map_page
from station_console.services.map_tiles import (
    PageCoords,
    TileSource,
    TileSourceError,
    open_tile_source,
    parse_crs,
)
from station_console.store.database import Database
from station_console.ui.board.board_screen import BoardScreen
from station_console.ui.map.boundary_dialog import BoundaryChoice, BoundaryDialog
from station_console.ui.map.patrol_panel import PatrolPanel
from station_console.ui.map.tiles import TilesDialog, tile_settings
from station_console.ui.map.web import MapView
from station_console.ui.widgets.screen import HeaderLabel, Screen
from station_console.ui.workers import Jobs, Progress, Worker

if TYPE_CHECKING:
    from station_console.ui.main_window import MainWindow

# Heat is drawn from cells this size (aggregates: one point per cell reaches the page).
HEAT_CELL_M = 60.0
PLAY_STEP_MS = 1200
RELOAD_DELAY_MS = 400
DAY_CHOICES = (7, 30, 90, 365)
DEFAULT_DAYS = 90
#: The period combo's entry for a range of dates chosen by hand.
CUSTOM_PERIOD = 0


@dataclass(frozen=True)
class _Loaded:
    """What a background load hands to the screen."""

    arrays: IncidentArrays
    payload: dict[str, object]
    hours: np.ndarray
    heat_cells: np.ndarray
    heat_grid: CellGrid
    area: tuple[tuple[float, float], ...]


class MapScreen(Screen):
    """The map screen. ``filter_source`` gives the board's current filter (default: all)."""

    screen_id = "map"
    incident_clicked = Signal(int)
    page_loaded = Signal(bool)
    # Incidents, heat and hotspots have reached the page (after each reload).
    data_applied = Signal()
    # A new hotspot list is in the table and on the page.
    hotspots_shown = Signal()
    # The user drew an area to filter by (its (lat, lon) corners), or cleared it (empty tuple).
    area_drawn = Signal(object)
    # A boundary import ended (done, cancelled or refused): ``boundary_message`` says which.
    boundaries_imported = Signal()

    def __init__(self, db: Database, settings: QSettings, cache_dir: Path, *,
                 filter_source: Callable[[], IncidentFilter] | None = None,
                 now: Callable[[], datetime] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mapScreen")
        self.db = db
        self.settings = settings
        self.cache_dir = cache_dir
        self.filter_source = filter_source or IncidentFilter
        self.now = now or datetime.now
        self.service = IncidentService(db, now=self.now)
        self.jurisdiction: Jurisdiction | None = None
        self.loaded: _Loaded | None = None
        self.hotspots: list[Hotspot] = []
        self.page_ok: bool | None = None
        self._started = False
        self._generation = 0
        self._hotspot_generation = 0
        self.jobs = Jobs()
        self._pending_highlight: int | None = None
        self._loaded_key: tuple[IncidentFilter, Watermark] | None = None
        self.import_progress: QProgressDialog | None = None
        self.boundary_message = ""
        # Said once more after the next reload's count, which would otherwise replace it.
        self._pending_notice = ""
        # Where the page puts WGS-84 points: shifted to GCJ-02 over GCJ-02 tiles.
        self.coords = PageCoords()
        self.tiles_problem = ""
        self._build()

    def title(self) -> str:
        return self.tr("Map")

    # building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.view = MapView(self)
        self.view.loadFinished.connect(self._on_load_finished)
        self.view.bridge.incident_clicked.connect(self._on_marker_clicked)
        self.view.bridge.area_drawn.connect(lambda ring: self.area_drawn.emit(
            tuple((float(a), float(b)) for a, b in self.coords.back(json.loads(ring)))))

        self.days = QComboBox()
        for days in DAY_CHOICES:
            self.days.addItem(self.tr("Last {days} days").format(days=days), days)
        self.days.addItem(self.tr("Dates…"), CUSTOM_PERIOD)
        self.days.setCurrentIndex(DAY_CHOICES.index(DEFAULT_DAYS))
        # A period of whole days, both ends included (shown with "Dates…").
        today = self.now().date()
        self.date_from = QDateEdit(today - timedelta(days=DEFAULT_DAYS - 1))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
            edit.dateChanged.connect(self._on_period_changed)
        self.date_from.setToolTip(self.tr("First day of the period"))
        self.date_to.setToolTip(self.tr("Last day of the period (included)"))
        # Weekdays of receipt (Monday first); none checked means every day.
        self.weekday_buttons: list[QToolButton] = []
        for day in range(7):
            button = QToolButton()
            button.setCheckable(True)
            button.setText(QLocale().dayName(day + 1, QLocale.FormatType.ShortFormat))
            button.toggled.connect(self._on_period_changed)
            self.weekday_buttons.append(button)
        self.group = QComboBox()
        self.group.addItem(self.tr("All categories"), "")
        self.cell = QSpinBox()
        self.cell.setRange(50, 500)
        self.cell.setSingleStep(25)
        self.cell.setValue(int(DEFAULT_CELL_M))
        self.cell.setSuffix(self.tr(" m"))
        self.cell.setToolTip(self.tr("Hotspot cell size"))
        self.days.currentIndexChanged.connect(self._on_days)
        self.group.currentIndexChanged.connect(self._recompute_hotspots)
        self.cell.valueChanged.connect(self._recompute_hotspots)

        self.all_day = QCheckBox(self.tr("All day"))
        self.all_day.setChecked(True)
        self.hour = QSlider(Qt.Orientation.Horizontal)
        self.hour.setRange(0, 23)
        self.hour.setFixedWidth(220)
        self.hour.setEnabled(False)
        self.hour_label = QLabel()
        self.hour_label.setMinimumWidth(90)
        self.play = QToolButton()
        self.play.setCheckable(True)
        self.play.setText(self.tr("▶ Play"))
        self.play.setToolTip(self.tr("Step the heat through the hours of the day"))
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(PLAY_STEP_MS)
        self._play_timer.timeout.connect(self._next_hour)
        self.all_day.toggled.connect(self._on_all_day)
        self.hour.valueChanged.connect(lambda _v: self.update_heat())
        self.play.toggled.connect(self._on_play)

        controls = QHBoxLayout()
        controls.addWidget(HeaderLabel(self.title()))
        controls.addSpacing(12)
        for widget in (QLabel(self.tr("Period")), self.days, self.date_from, self.date_to,
                       QLabel(self.tr("Category")), self.group, QLabel(self.tr("Cell")), self.cell):
            controls.addWidget(widget)
        self.clear_area = QToolButton()
        self.clear_area.setText(self.tr("Clear area"))
        self.clear_area.setToolTip(self.tr("Show the incidents of the whole jurisdiction again"))
        self.clear_area.setEnabled(False)
        self.clear_area.clicked.connect(lambda: self.area_drawn.emit(()))
        controls.addWidget(self.clear_area)
        self.import_button = QToolButton()
        self.import_button.setText(self.tr("Import boundaries…"))
        self.import_button.setToolTip(self.tr("Community or grid outlines from a GeoJSON file; every "
                                              "incident is then given the areas that hold it"))
        self.import_button.clicked.connect(self.import_dialog)
        controls.addWidget(self.import_button)
        self.tiles_button = QToolButton()
        self.tiles_button.setText(self.tr("Base map…"))
        self.tiles_button.setToolTip(self.tr("Offline map tiles under the jurisdiction (a tile folder "
                                             "or an MBTiles file) and their coordinate system"))
        self.tiles_button.clicked.connect(self.tiles_dialog)
        controls.addWidget(self.tiles_button)
        controls.addStretch(1)
        times = QHBoxLayout()
        times.addWidget(QLabel(self.tr("Weekdays")))
        times.setSpacing(2)
        for button in self.weekday_buttons:
            times.addWidget(button)
        times.addSpacing(16)
        for widget in (QLabel(self.tr("Heat by hour")), self.all_day, self.hour, self.hour_label, self.play):
            times.addWidget(widget)
        times.addStretch(1)

        self.status = QLabel(self.tr("Loading the map…"))
        self.status.setObjectName("mapStatus")
        self.picked = QLabel()
        self.picked.setObjectName("mapPicked")
        self.picked.setWordWrap(True)

        self.table = QTableWidget(0, 6)
        self.table.setObjectName("hotspotTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("#"), self.tr("Incidents"), self.tr("z"), self.tr("Leading categories"),
            self.tr("Peak hours"), self.tr("Change"),
        ])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((36, 64, 52, 150, 76, 60)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._on_hotspot_selected)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel(self.tr("Hotspots (significant cells, most incidents first)")))
        side_layout.addWidget(self.table, 1)
        side_layout.addWidget(self.picked)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.view)
        # The hotspot list and, on a tab beside it, the patrol coverage (patrol_panel.py).
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(side, self.tr("Hotspots"))
        self.patrol = PatrolPanel(self)
        self.side_tabs.addTab(self.patrol, self.tr("Patrol coverage"))
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1000, 440])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(controls)
        layout.addLayout(times)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload_if_changed)
        self._update_hour_label()

    def labels(self) -> MapLabels:
        """The page's texts in the UI language."""
        chinese = QLocale().language() == QLocale.Language.Chinese
        groups = {g.code: (g.name if chinese else g.name_en) for g in (self.jurisdiction.groups
                                                                      if self.jurisdiction else [])}
        return MapLabels(
            communities=self.tr("Communities"), grids=self.tr("Grids"), posts=self.tr("Police posts"),
            incidents=self.tr("Incidents"), heat=self.tr("Heat"), hotspots=self.tr("Hotspots"),
            coverage=self.tr("Patrol coverage"),
            place_layer=self.tr("Key places: {type}"),
            place_types={
                "bank": self.tr("banks"), "school": self.tr("schools"),
                "kindergarten": self.tr("kindergartens"),
                "hospital": self.tr("hospitals"), "heritage": self.tr("heritage sites"),
                "market": self.tr("markets"), "mall": self.tr("malls"), "transport": self.tr("stations"),
                "hotel": self.tr("hotels"), "internet_cafe": self.tr("internet cafés"),
                "government": self.tr("government offices"),
            },
            groups=groups,
            script={"hotspot": self.tr("#{rank}: {count} incidents, z = {z}, peak hours {peak}")},
            draw={
                "rectangle": self.tr("Draw a rectangle: the board shows the incidents inside it"),
                "polygon": self.tr("Draw a polygon: the board shows the incidents inside it"),
                "rectangleStart": self.tr("Click and drag to draw a rectangle."),
                "release": self.tr("Release the mouse to finish."),
                "polygonStart": self.tr("Click to place the first corner."),
                "polygonCont": self.tr("Click to place the next corner."),
                "polygonEnd": self.tr("Click the first corner to close the shape."),
                "crossError": self.tr("The edges must not cross."),
                "cancel": self.tr("Cancel"), "cancelTitle": self.tr("Stop drawing"),
                "finish": self.tr("Finish"), "finishTitle": self.tr("Close the shape"),
                "undo": self.tr("Delete last corner"), "undoTitle": self.tr("Delete the last corner placed"),
            },
        )

    # loading ----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """The window is closing: stop the timers and let running work (layers, hotspots, the
        patrol tab's coverage and imports) finish, so that none reports to a deleted widget."""
        self._play_timer.stop()
        self._reload_timer.stop()
        self.jobs.wait()
        self.patrol.jobs.wait()

    def activated(self) -> None:
        if not self._started:
            self.start()

    def start(self) -> None:
        """Build the page (on a worker) and load it; then load the incidents."""
        self._started = True
        folder = self.cache_dir / "map"
        db = self.db
        tiles_path, tiles_crs = tile_settings(self.settings)

        def work(_progress: Progress) -> tuple[Jurisdiction, TileSource | None, str]:
            tiles, problem = None, ""
            if tiles_path:
                try:
                    tiles = open_tile_source(tiles_path, parse_crs(tiles_crs))
                except (TileSourceError, ValueError) as exc:
                    problem = str(exc)
            return load_jurisdiction(db), tiles, problem

        def built(loaded: Any) -> None:
            result, tiles, self.tiles_problem = loaded
            self.jurisdiction = result
            self.coords = PageCoords(tiles.crs if tiles else CoordSystem.WGS84)
            self.view.set_tiles(tiles)
            chinese = QLocale().language() == QLocale.Language.Chinese
            for g in result.groups:
                if self.group.findData(g.code) < 0:
                    self.group.addItem(g.name if chinese else g.name_en, g.code)
            labels = self.labels()
            self.page_ok = None
            self._run(lambda _p: write_map_page(result, labels, folder, tiles),
                      lambda path: self.view.load_file(str(path)))
            self.reload()

        self._run(work, built)

    def _run(self, fn: Callable[[Progress], Any], finished: Callable[[Any], None]) -> Worker:
        """Run map work in the background; a failure is shown in the status line."""

        def failed(error: BaseException, _trace: str) -> None:
            self.status.setText(self.tr("The map could not be loaded: {error}").format(error=error))

        return self.jobs.start(fn, finished, failed)

    def schedule_reload(self) -> None:
        """Reload the incidents a moment from now (the board's filter or data changed)."""
        if self._started:
            self._reload_timer.start()

    def _reload_if_changed(self) -> None:
        # The board refreshes for many reasons (selection, clocks, polls); reload only when
        # its filter or the incidents changed, so markers do not blink under the user's mouse.
        if (self.filter_source(), self.service.watermark()) != self._loaded_key:
            self.reload()

    def reload(self) -> None:
        """Read the incidents of the board's filter on a worker, then send them to the page."""
        self._generation += 1
        generation = self._generation
        flt, now, db = self.filter_source(), self.now(), self.db
        self._loaded_key = (flt, self.service.watermark())
        bounds = self.jurisdiction.bounds() if self.jurisdiction else None
        coords = self.coords
        self.status.setText(self.tr("Reading incidents…"))

        def work(progress: Progress) -> _Loaded:
            arrays = load_incident_arrays(db, flt, now=now, progress=progress.report)
            heat_grid = grid_for(arrays, bounds, HEAT_CELL_M)
            return _Loaded(arrays, incident_payload(coords.incidents(arrays)), arrays.hour,
                           heat_grid.cell_of(arrays.lat, arrays.lon), heat_grid, flt.area)

        def finished(result: Any) -> None:
            if generation != self._generation:
                return
            self.loaded = result
            self.clear_area.setEnabled(bool(result.area))
            self.status.setText(self.tr("{count} incidents on the map (the board's filter)").format(
                count=f"{len(result.arrays):,}"))
            if self.tiles_problem:
                self.status.setText(self.status.text() + " · " + self.tr(
                    "Base map tiles not shown: {error}").format(error=self.tiles_problem))
            if self._pending_notice:
                self.status.setText(self.status.text() + " · " + self._pending_notice)
                self._pending_notice = ""
            self._recompute_hotspots()
            self._send_incidents()

        self._run(work, finished)

    def _on_load_finished(self, ok: bool) -> None:
        self.page_ok = ok
        self.page_loaded.emit(ok)
        if not ok:
            self.status.setText(self.tr("The map page could not be loaded."))
            return
        self._send_incidents()
        self._send_hotspots()
        self.update_heat()

    def wait_ready(self, timeout_ms: int) -> str | None:
        if not self._started:
            self.start()
        if self.page_ok is None:
            loop = QEventLoop()
            self.page_loaded.connect(loop.quit)
            QTimer.singleShot(timeout_ms, loop.quit)
            loop.exec()
            self.page_loaded.disconnect(loop.quit)
        if self.page_ok is None:
            return self.tr("the map page did not finish loading in {seconds} s").format(
                seconds=timeout_ms // 1000)
        return None if self.page_ok else self.tr("the map page failed to load")

    # sending data to the page ------------------------------------------------------------

    def _page_ready(self) -> bool:
        return bool(self.page_ok)

    def _send_incidents(self) -> None:
        if not self._page_ready() or self.loaded is None:
            return
        self.view.call("setArea", self.coords.points([list(p) for p in self.loaded.area]))
        self.view.call("setIncidents", self.loaded.payload, callback=lambda _n: self._after_incidents())
        self.update_heat()

    def _after_incidents(self) -> None:
        if self._pending_highlight is not None:
            self.highlight_incident(self._pending_highlight)
        self.data_applied.emit()

    def _window(self) -> TimeWindow:
        """The period, weekdays and category chosen above the map (hours: the heat slider)."""
        days = int(self.days.currentData())
        group = str(self.group.currentData() or "")
        weekdays = frozenset(d for d, b in enumerate(self.weekday_buttons) if b.isChecked())
        groups = frozenset({group}) if group else frozenset()
        if days == CUSTOM_PERIOD:
            first, last = sorted((self.date_from.date().toPython(), self.date_to.date().toPython()))
            start = datetime.combine(first, time())  # type: ignore[arg-type]
            end = datetime.combine(last, time()) + timedelta(days=1)  # type: ignore[arg-type]
            return TimeWindow(start=start, end=end, weekdays=weekdays, groups=groups)
        now = self.now()
        return TimeWindow(start=now - timedelta(days=days), end=now, weekdays=weekdays, groups=groups)

    def _on_days(self, _index: int) -> None:
        custom = self.days.currentData() == CUSTOM_PERIOD
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self._on_period_changed()

    def _on_period_changed(self, *_args: object) -> None:
        """Period or weekdays changed: new hotspots (in the background) and new heat."""
        self._recompute_hotspots()

    def _recompute_hotspots(self) -> None:
        if self.loaded is None:
            return
        self._hotspot_generation += 1
        generation = self._hotspot_generation
        arrays, window, cell_m = self.loaded.arrays, self._window(), float(self.cell.value())
        bounds = self.jurisdiction.bounds() if self.jurisdiction else None

        def work(_progress: Progress) -> list[Hotspot]:
            return find_hotspots(arrays, window, grid_for(arrays, bounds, cell_m))

        def finished(result: Any) -> None:
            if generation != self._hotspot_generation:
                return
            self.hotspots = result
            self._fill_table()
            self._send_hotspots()
            self.hotspots_shown.emit()

        self._run(work, finished)
        self.update_heat()

    def _send_hotspots(self) -> None:
        if self._page_ready():
            self.view.call("setHotspots", [self.coords.hotspot(h.to_dict()) for h in self.hotspots])

    def update_heat(self) -> None:
        """Send the heat of the chosen period, category and hour (aggregated per cell)."""
        self._update_hour_label()
        if not self._page_ready() or self.loaded is None:
            return
        loaded = self.loaded
        mask = window_mask(loaded.arrays, self._window())
        if not self.all_day.isChecked():
            mask &= loaded.hours == self.hour.value()
        self.view.call("setHeat", self.coords.points(
            heat_points(loaded.arrays, mask, loaded.heat_grid, loaded.heat_cells)))

    def _fill_table(self) -> None:
        names = {c.code: c.name for c in self.service.lookups().categories}
        self.table.setRowCount(len(self.hotspots))
        for row, spot in enumerate(self.hotspots):
            change = "—" if spot.change_pct is None else f"{spot.change_pct:+.0f}%"
            cells = [str(spot.rank), str(spot.count), f"{spot.z:.1f}",
                     "、".join(names.get(code, code) for code, _n in spot.leading),
                     f"{spot.peak_hours[0]:02d}–{spot.peak_hours[1]:02d}", change]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column in (0, 1, 2, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)

    # hours ------------------------------------------------------------------------------

    def _on_all_day(self, checked: bool) -> None:
        self.hour.setEnabled(not checked)
        if checked and self.play.isChecked():
            self.play.setChecked(False)
        self.update_heat()

    def _on_play(self, playing: bool) -> None:
        self.play.setText(self.tr("❚❚ Pause") if playing else self.tr("▶ Play"))
        if playing:
            self.all_day.setChecked(False)
            self._play_timer.start()
        else:
            self._play_timer.stop()

    def _next_hour(self) -> None:
        self.hour.setValue((self.hour.value() + 1) % 24)

    def _update_hour_label(self) -> None:
        if self.all_day.isChecked():
            self.hour_label.setText(self.tr("00:00–24:00"))
        else:
            h = self.hour.value()
            self.hour_label.setText(f"{h:02d}:00–{h:02d}:59")

    # base map ---------------------------------------------------------------------------

    def tiles_dialog(self) -> None:
        """Choose the offline tile set; the page is rebuilt over it when the choice is saved."""
        dialog = TilesDialog(self.settings, self)
        dialog.setModal(True)
        dialog.accepted.connect(self.start)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # boundaries -------------------------------------------------------------------------

    def import_dialog(self) -> None:
        """Ask for a GeoJSON boundary file, then import it in the background."""
        dialog = BoundaryDialog(self)
        dialog.setModal(True)
        dialog.accepted.connect(lambda: self.import_boundaries(dialog.choice()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def import_boundaries(self, choice: BoundaryChoice) -> Worker:
        """Read, store and apply a boundary file on a worker, with progress and a cancel button;
        the page is rebuilt with the new outlines when done."""
        db = self.db
        progress = QProgressDialog(self.tr("Importing {name} and re-assigning incidents…").format(
            name=choice.path.name), self.tr("Cancel"), 0, 100, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self.import_progress = progress

        def work(report: Progress) -> ImportResult:
            boundaries = read_boundaries(choice.path, choice.name_property, choice.parent_property)
            return import_boundaries(db, boundaries, kind=choice.kind, progress=report.report)

        def on_progress(done: int, total: int) -> None:
            if total:
                progress.setValue(min(100, 100 * done // total))

        def finished(result: Any) -> None:
            progress.close()
            self.import_progress = None
            changed = result.reassigned.changed if result.reassigned else 0
            self.boundary_message = self.tr(
                "Boundaries imported: {added} new, {updated} updated; {changed} incidents changed "
                "community or grid.").format(added=len(result.added), updated=len(result.updated),
                                             changed=f"{changed:,}")
            self.status.setText(self.boundary_message)
            self._pending_notice = self.boundary_message
            self.boundaries_imported.emit()
            self.start()

        def failed(error: BaseException, _trace: str) -> None:
            progress.close()
            self.import_progress = None
            if isinstance(error, ReassignCancelled):
                self.boundary_message = self.tr("Import cancelled: nothing was changed.")
            else:
                self.boundary_message = self.tr(
                    "Boundaries not imported, nothing was changed: {error}").format(error=error)
            self.status.setText(self.boundary_message)
            self.boundaries_imported.emit()

        worker = self.jobs.start(work, finished, failed, progress=on_progress)
        progress.canceled.connect(worker.progress.cancel)
        return worker

    # the link with the board ------------------------------------------------------------

    def _on_marker_clicked(self, incident_id: int) -> None:
        row = self.service.row(incident_id)
        if row is not None:
            self.picked.setText(self.tr("{number} · {category} · {time}\n{address}").format(
                number=row.incident_no, category=row.category_name,
                time=row.received_at.strftime("%Y-%m-%d %H:%M"), address=row.address))
        self.incident_clicked.emit(incident_id)

    def highlight_incident(self, incident_id: int | None) -> None:
        """Ring and centre an incident's marker (the board selected it)."""
        if incident_id is None:
            return
        if not self._page_ready():
            self._pending_highlight = incident_id
            return
        self._pending_highlight = None
        place = incident_location(self.db, incident_id)
        if place is not None:
            self.view.call("highlight", incident_id, *self.coords.point(*place))

    def _on_hotspot_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            spot = self.hotspots[rows[0].row()]
            self.centre_on(spot.lat, spot.lon)

    def centre_on(self, lat: float, lon: float) -> None:
        """Centre the page on a WGS-84 point at street zoom (shifted like every overlay)."""
        if self._page_ready():
            x, y = self.coords.point(lat, lon)
            self.view.page().runJavaScript(f"StationMap.map.setView([{x}, {y}], 17, {{animate: false}})")


def map_screen_for(window: MainWindow) -> MapScreen:
    """The map screen of the main window, linked both ways with the incident board."""
    board = window.screens.get("board")
    cache_dir = Paths(Path(window.settings.fileName()).parent).cache_dir
    if not isinstance(board, BoardScreen):
        return MapScreen(window.db, window.settings, cache_dir)
    screen = MapScreen(window.db, window.settings, cache_dir, filter_source=lambda: board.current_filter)
    link_with_board(screen, board)
    return screen


def link_with_board(screen: MapScreen, board: BoardScreen) -> None:
    """Marker clicks select on the board, board selections ring on the map, a drawn area narrows
    the board's filter, and the map follows the board's filter and data. ``screen`` reads its
    filter from ``board`` (its ``filter_source``)."""
    screen.incident_clicked.connect(board.select_incident)
    # A drawn area narrows the board's filter; the map follows the board as for any filter.
    screen.area_drawn.connect(lambda area: board.show_filter(replace(board.current_filter, area=area)))
    # The board requeries after filter changes, new incidents and commands: follow it.
    board.refreshed.connect(screen.schedule_reload)
    board.view.selectionModel().currentRowChanged.connect(
        lambda *_: screen.highlight_incident(board.current_id()))
