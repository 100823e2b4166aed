"""Offline base-map tiles for the map page: the ``sctiles:`` URL scheme and its settings dialog.

The page asks for ``sctiles:///{key}/{z}/{x}/{y}``; a handler on the page's profile answers from the
installer's tile folder or MBTiles file (``services.map_tiles``). Chromium must know the
scheme before it starts, so ``register_tile_scheme`` runs before the QApplication exists.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, QSettings
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_console.domain.coords import CoordSystem
from station_console.services.map_tiles import (
    SETTING_CRS,
    SETTING_PATH,
    TILE_SCHEME,
    TILE_SYSTEMS,
    TileReader,
    TileSource,
    TileSourceError,
    blank_png,
    open_tile_source,
    parse_crs,
)

SCHEME = TILE_SCHEME.encode("ascii")
_BLANK = blank_png()


def register_tile_scheme() -> None:
    """Declare the tile scheme to QtWebEngine (once, before the QApplication is created)."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == SCHEME:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Path)
    # Local: only local pages (our file: page) may load it, never a remote one.
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalScheme)
    QWebEngineUrlScheme.registerScheme(scheme)


class TileSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers ``sctiles:///{key}/{z}/{x}/{y}`` from the current tile source; a tile the set lacks
    (or of another set, or any tile without a source) is a transparent image: the plain
    background shows there."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader: TileReader | None = None
        self.key = ""
        self.served = 0
        self.missing = 0

    def set_source(self, source: TileSource | None) -> None:
        """Serve ``source`` from now on (None: blank tiles only); the counts start again."""
        if self.reader is not None:
            self.reader.close()
        self.reader = TileReader(source) if source is not None else None
        self.key = source.key if source is not None else ""
        self.served = self.missing = 0

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        parts = job.requestUrl().path().strip("/").split("/")
        if len(parts) != 4 or not all(p.isdigit() for p in parts[1:]):
            job.fail(QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        z, x, y = (int(p) for p in parts[1:])
        tile = None
        if self.reader is not None and parts[0] == self.key:
            tile = self.reader.read(z, x, y)
        if tile is None:
            self.missing += 1
            data, mime = _BLANK, "image/png"
        else:
            self.served += 1
            data, mime = tile.data, tile.mime
        # The buffer belongs to the job: Qt reads it after this returns and deletes it with the job.
        buffer = QBuffer(job)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime.encode("ascii")), buffer)


def tile_handler(page: QWebEnginePage) -> TileSchemeHandler:
    """The tile handler of ``page``'s profile, installed once and kept for the application's life.

    One handler per profile, never removed: swapping handlers as map pages come and go left
    the profile with a stale one (the next page never finished loading).
    """
    profile = page.profile()
    handler = profile.urlSchemeHandler(SCHEME)
    if not isinstance(handler, TileSchemeHandler):
        handler = TileSchemeHandler(QCoreApplication.instance())
        profile.installUrlSchemeHandler(SCHEME, handler)
    return handler


def tile_settings(settings: QSettings) -> tuple[str, str]:
    """The tile source's path and coordinate system as saved (empty path: no tiles)."""
    return str(settings.value(SETTING_PATH, "") or ""), str(settings.value(SETTING_CRS, "") or "")


class TilesDialog(QDialog):
    """Choose the base map's tile folder or MBTiles file and its coordinate system."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Base map tiles"))
        path, crs = tile_settings(settings)
        self.path = QLineEdit(path)
        self.path.setMinimumWidth(380)
        self.path.setPlaceholderText(self.tr("None: the jurisdiction on a plain background"))
        folder = QPushButton(self.tr("Folder…"))
        folder.setToolTip(self.tr("A folder of XYZ tiles: {z}/{x}/{y}.png, .jpg or .webp"))
        folder.clicked.connect(self._pick_folder)
        file = QPushButton(self.tr("MBTiles file…"))
        file.clicked.connect(self._pick_file)
        clear = QPushButton(self.tr("None"))
        clear.clicked.connect(self.path.clear)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        for button in (folder, file, clear):
            row.addWidget(button)
        self.crs = QComboBox()
        names = {CoordSystem.GCJ02: self.tr("GCJ-02 (most Chinese tile sets)"),
                 CoordSystem.WGS84: self.tr("WGS-84 (GPS; government CGCS2000 sets)")}
        for system in TILE_SYSTEMS:
            self.crs.addItem(names[system], system.value)
        try:
            self.crs.setCurrentIndex(self.crs.findData(parse_crs(crs).value))
        except (TileSourceError, ValueError):
            self.crs.setCurrentIndex(0)
        self.message = QLabel()
        self.message.setObjectName("tilesMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Tiles"), row)
        form.addRow(self.tr("Coordinate system"), self.crs)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _pick_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Tile folder"), self.path.text())
        if chosen:
            self.path.setText(chosen)

    def _pick_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("MBTiles file"), self.path.text(),
                                                self.tr("MBTiles (*.mbtiles);;All files (*)"))
        if chosen:
            self.path.setText(chosen)

    def save(self) -> None:
        """Check the choice and keep it in the settings; a bad tile set is refused with the reason."""
        path = self.path.text().strip()
        crs = CoordSystem(str(self.crs.currentData()))
        if path:
            try:
                source = open_tile_source(Path(path), crs)
            except TileSourceError as exc:
                self.message.setText(self.tr("Not used: {error}").format(error=exc))
                return
            path = str(source.path)
        self.settings.setValue(SETTING_PATH, path)
        self.settings.setValue(SETTING_CRS, crs.value)
        self.settings.sync()
        self.accept()
