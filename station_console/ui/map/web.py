"""The map's web view: an offline-only page and the web-channel bridge to the console."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from station_console.services.map_tiles import TILE_SCHEME, TileSource
from station_console.ui.map.tiles import SCHEME, TileSchemeHandler, tile_handler

#: What the page may load: its own files, Qt's resources, inline data and the base-map tiles.
ALLOWED_SCHEMES = frozenset({"file", "qrc", "data", TILE_SCHEME})


class NetworkGuard(QWebEngineUrlRequestInterceptor):
    """Blocks and records every request of the page outside ``ALLOWED_SCHEMES`` (http(s) above
    all): the station PCs are offline, so such a request is a bug (a CDN link left in the
    page), never something to wait for."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() not in ALLOWED_SCHEMES:
            self.blocked.append(url.toString())
            info.block(True)


class MapBridge(QObject):
    """The object the page sees as ``bridge`` (through QWebChannel)."""

    incident_clicked = Signal(int)
    page_ready = Signal()
    #: A shape drawn on the map: its [lat, lon] corners as JSON (the channel publishes every
    #: signal of this object to the page; a Python-object signal would crash it).
    area_drawn = Signal(str)
    #: A layer switched on or off in the page's layer control: its name and whether it shows.
    layer_toggled = Signal(str, bool)

    @Slot(int)
    def incidentClicked(self, incident_id: int) -> None:
        self.incident_clicked.emit(int(incident_id))

    @Slot(str)
    def areaDrawn(self, ring_json: str) -> None:
        self.area_drawn.emit(ring_json)

    @Slot(str, bool)
    def layerToggled(self, name: str, shown: bool) -> None:
        self.layer_toggled.emit(name, bool(shown))

    @Slot()
    def pageReady(self) -> None:
        self.page_ready.emit()


class MapView(QWebEngineView):
    """A web view whose page loads local files only and talks to ``MapBridge``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        page = QWebEnginePage(self)
        # The guard is the page's child: it lives exactly as long as the page that calls it.
        self.guard = NetworkGuard(page)
        page.setUrlRequestInterceptor(self.guard)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        # Let remote requests reach the guard, which blocks and records each one: were Chromium
        # to drop them silently, a CDN link left in the page would go unnoticed by the tests.
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        self.bridge = MapBridge(page)
        self.channel = QWebChannel(page)
        self.channel.registerObject("bridge", self.bridge)
        page.setWebChannel(self.channel)
        self.setPage(page)
        self.tiles: TileSchemeHandler | None = None

    def set_tiles(self, source: TileSource | None) -> None:
        """Serve the base map's tiles from ``source`` (None: no tiles) from the next load on.

        Without tiles no handler is installed (a page without tiles asks for none), so the web
        profile of a station without a base map is exactly the stock one.
        """
        if source is None and self.page().profile().urlSchemeHandler(SCHEME) is None:
            self.tiles = None
            return
        handler = tile_handler(self.page())
        handler.set_source(source)
        self.tiles = handler if source is not None else None

    def call(self, function: str, *args: Any, callback: Any = None) -> None:
        """Run ``StationMap.<function>(args...)`` in the page (arguments as JSON)."""
        script = f"StationMap.{function}({', '.join(json.dumps(a, ensure_ascii=False) for a in args)})"
        if callback is None:
            self.page().runJavaScript(script)
        else:
            self.page().runJavaScript(script, 0, callback)

    def load_file(self, path: str) -> None:
        """Load the page from a file (``setHtml`` cannot hold pages over 2 MB)."""
        self.load(QUrl.fromLocalFile(path))
