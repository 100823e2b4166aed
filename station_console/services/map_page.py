"""The map page: a folium map of the jurisdiction that needs nothing from the network.

Folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs; the station PCs have no
internet. The page built here links only the vendored copies under ``resources/web`` (copied
beside the page, referenced by relative path), draws the jurisdiction itself as the base map
(no tiles), and leaves empty layers that ``station_map.js`` fills when the console sends data
(incidents, heat, hotspots) through the web channel, without reloading the page.

With an installer's offline tile set (``services.map_tiles``) the page shows it under the
jurisdiction, asked for through the console's own URL scheme; a GCJ-02 tile set moves the
base map's shapes and points into GCJ-02 so that they sit on the streets they belong to.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.features import DivIcon
from jinja2 import Template

from station_console.config import resource_path
from station_console.domain.coords import CoordSystem
from station_console.services.map_data import AreaShape, Jurisdiction
from station_console.services.map_tiles import PageCoords, TileSource

PAGE_NAME = "map.html"
WEB_DIR = "web"
#: Vendored scripts and style sheets, in load order (paths below ``resources/web``).
SCRIPTS = (
    ("leaflet", "leaflet/leaflet.js"),
    ("leaflet_heat", "leaflet-heat/leaflet_heat.min.js"),
    ("leaflet_draw", "leaflet-draw/leaflet.draw.js"),
    # Ships inside Qt (QtWebChannel's resources); absent in a plain browser, which is fine.
    ("qwebchannel", "qrc:///qtwebchannel/qwebchannel.js"),
    ("station_map", "station_map/station_map.js"),
)
STYLES = (
    ("leaflet_css", "leaflet/leaflet.css"),
    ("leaflet_draw_css", "leaflet-draw/leaflet.draw.css"),
    ("station_map_css", "station_map/station_map.css"),
)
#: Colours of the category groups (incident markers); unknown groups take the fallback.
GROUP_COLOURS = {
    "criminal": "#c62828", "fraud": "#6a1b9a", "public_order": "#ef6c00", "traffic": "#1565c0",
    "dispute": "#f9a825", "fire": "#d84315", "help": "#2e7d32", "non_police": "#78909c",
}
FALLBACK_COLOUR = "#546e7a"
MAX_ZOOM = 20
PLACE_COLOURS = {
    "bank": "#00838f", "school": "#5e35b1", "kindergarten": "#8e24aa", "hospital": "#e53935",
    "heritage": "#6d4c41", "market": "#fb8c00", "mall": "#f4511e", "transport": "#3949ab",
    "hotel": "#00897b", "internet_cafe": "#7cb342", "government": "#455a64",
}


@dataclass(frozen=True)
class MapLabels:
    """The page's translated texts (the UI translates, the page builder stays Qt-free)."""

    communities: str = "Communities"
    grids: str = "Grids"
    posts: str = "Police posts"
    incidents: str = "Incidents"
    heat: str = "Heat"
    hotspots: str = "Hotspots"
    coverage: str = "Patrol coverage"
    place_layer: str = "Key places: {type}"
    place_types: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    #: Texts the script shows (tooltips of hotspots, cluster counts), keyed by name.
    script: Mapping[str, str] = field(default_factory=dict)
    #: Texts of the drawing tools (Leaflet.draw's toolbar and hints), keyed as station_map.js reads them.
    draw: Mapping[str, str] = field(default_factory=dict)


class _VendoredAssets(JSCSSMixin):
    """Links the vendored libraries by relative path (instance lists: folium's class-level
    lists stay untouched for anyone else in the process)."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "VendoredAssets"
        self.default_js = [(name, _href(path)) for name, path in SCRIPTS[1:]]
        self.default_css = [(name, _href(path)) for name, path in STYLES[1:]]


class _Init(MacroElement):
    """Hands the map and its empty layers to ``station_map.js`` (rendered after them)."""

    _template = Template("""
{% macro script(this, kwargs) %}
    StationMap.init({
        map: {{ this.map_name }},
        layers: { {% for key, name in this.layers.items() %}{{ key }}: {{ name }},{% endfor %} },
        config: {{ this.config }}
    });
{% endmacro %}
""")

    def __init__(self, map_name: str, layers: dict[str, str], config: dict[str, object]) -> None:
        super().__init__()
        self._name = "StationMapInit"
        self.map_name = map_name
        self.layers = layers
        self.config = json.dumps(config, ensure_ascii=False)


def _href(path: str) -> str:
    return path if ":" in path else f"{WEB_DIR}/{path}"


def _feature_collection(areas: list[AreaShape]) -> dict[str, object]:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": a.geometry,
             "properties": {"id": a.id, "name": a.name, "parent": a.parent}}
            for a in areas
        ],
    }


def build_map(jurisdiction: Jurisdiction, labels: MapLabels, tiles: TileSource | None = None) -> folium.Map:
    """The folium map of the jurisdiction with the (empty) data layers and a layer control,
    over ``tiles`` when given (the jurisdiction moved into the tiles' coordinate system)."""
    coords = PageCoords(tiles.crs if tiles else CoordSystem.WGS84)
    jurisdiction = coords.jurisdiction(jurisdiction)
    # No zoom animation: software-rendered station PCs gain nothing from it, and a view change
    # asked for during an animation (the board selecting an incident) would be dropped.
    fmap = folium.Map(location=list(jurisdiction.center), zoom_start=15, tiles=None, prefer_canvas=True,
                      control_scale=True, zoom_animation=False)
    fmap.default_js = [(SCRIPTS[0][0], _href(SCRIPTS[0][1]))]
    fmap.default_css = [(STYLES[0][0], _href(STYLES[0][1]))]
    _VendoredAssets().add_to(fmap)
    if tiles is not None:
        # Leaflet scales the deepest tiles up past the set's own zoom range.
        folium.TileLayer(tiles=tiles.url, attr=html.escape(tiles.attribution or tiles.name), name=tiles.name,
                         max_zoom=MAX_ZOOM, max_native_zoom=tiles.max_zoom, overlay=False,
                         control=False).add_to(fmap)

    if jurisdiction.communities:
        communities = folium.FeatureGroup(name=labels.communities, control=True)
        folium.GeoJson(
            _feature_collection(jurisdiction.communities),
            style_function=lambda _f: {"color": "#37474f", "weight": 2.5, "fillColor": "#cfd8dc",
                                       "fillOpacity": 0.35},
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        ).add_to(communities)
        for area in jurisdiction.communities:
            folium.Marker(
                [area.lat, area.lon], interactive=False,
                icon=DivIcon(html=f'<div class="area-label">{html.escape(area.name)}</div>',
                             icon_size=(120, 20), icon_anchor=(60, 10), class_name="area-label-icon"),
            ).add_to(communities)
        communities.add_to(fmap)
    if jurisdiction.grids:
        grids = folium.FeatureGroup(name=labels.grids)
        folium.GeoJson(
            _feature_collection(jurisdiction.grids),
            style_function=lambda _f: {"color": "#607d8b", "weight": 1, "dashArray": "4 3",
                                       "fillOpacity": 0},
            tooltip=folium.GeoJsonTooltip(fields=["parent", "name"], labels=False),
        ).add_to(grids)
        grids.add_to(fmap)
    if jurisdiction.posts:
        posts = folium.FeatureGroup(name=labels.posts)
        for post in jurisdiction.posts:
            folium.Marker(
                [post.lat, post.lon], tooltip=f"{post.name}<br>{post.address}",
                icon=DivIcon(html='<div class="post-icon">★</div>', icon_size=(22, 22),
                             icon_anchor=(11, 11), class_name="post-icon-wrap"),
            ).add_to(posts)
        posts.add_to(fmap)
    by_type: dict[str, folium.FeatureGroup] = {}
    for place in jurisdiction.places:
        group = by_type.get(place.kind)
        if group is None:
            name = labels.place_types.get(place.kind, place.kind)
            group = by_type[place.kind] = folium.FeatureGroup(name=labels.place_layer.format(type=name))
        colour = PLACE_COLOURS.get(place.kind, FALLBACK_COLOUR)
        folium.CircleMarker(
            [place.lat, place.lon], radius=6, color="#ffffff", weight=1.5, fill=True, fill_color=colour,
            fill_opacity=0.95, tooltip=f"{place.name}<br>{place.address}",
        ).add_to(group)
    for group in by_type.values():
        group.add_to(fmap)

    incidents = folium.FeatureGroup(name=labels.incidents)
    heat = folium.FeatureGroup(name=labels.heat, show=False)
    hotspots = folium.FeatureGroup(name=labels.hotspots)
    coverage = folium.FeatureGroup(name=labels.coverage, show=False)
    for layer in (incidents, heat, hotspots, coverage):
        layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    bounds = jurisdiction.bounds()
    if bounds is not None:
        fmap.fit_bounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]])
    config = {
        "groupColours": {g.code: GROUP_COLOURS.get(g.code, FALLBACK_COLOUR) for g in jurisdiction.groups},
        "groupNames": dict(labels.groups),
        "fallbackColour": FALLBACK_COLOUR,
        "maxZoom": MAX_ZOOM,
        "crs": coords.crs.value,
        "text": {**labels.script, "draw": dict(labels.draw)},
    }
    _Init(fmap.get_name(), {"incidents": incidents.get_name(), "heat": heat.get_name(),
                            "hotspots": hotspots.get_name(), "coverage": coverage.get_name()},
          config).add_to(fmap)
    return fmap


def render_map_page(jurisdiction: Jurisdiction, labels: MapLabels, tiles: TileSource | None = None) -> str:
    """The page's HTML text (links relative to the page's folder)."""
    return build_map(jurisdiction, labels, tiles).get_root().render()


def write_map_page(jurisdiction: Jurisdiction, labels: MapLabels, folder: Path,
                   tiles: TileSource | None = None) -> Path:
    """Write the page and the vendored assets it links into ``folder``; return the page's path.

    The assets are copied (not linked) so the page works from a folder on any file system,
    and refreshed each time so an upgraded program never shows an old copy.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(resource_path("web"), folder / WEB_DIR, dirs_exist_ok=True)
    page = folder / PAGE_NAME
    page.write_text(render_map_page(jurisdiction, labels, tiles), encoding="utf-8")
    return page
