"""Tile sources (XYZ folders, MBTiles files) and the shift of the page's points over GCJ-02 tiles."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from station_console.domain.coords import CoordSystem, wgs84_to_gcj02
from station_console.services.map_data import AreaShape, IncidentArrays, Jurisdiction, PlacePoint
from station_console.services.map_page import MapLabels, render_map_page
from station_console.services.map_tiles import (
    MBTILES,
    XYZ,
    PageCoords,
    TileReader,
    TileSourceError,
    blank_png,
    open_tile_source,
    parse_crs,
    sniff_mime,
)

PNG = blank_png()
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def make_xyz(folder: Path, tiles: dict[tuple[int, int, int], bytes], ext: str = "png") -> Path:
    for (z, x, y), data in tiles.items():
        path = folder / str(z) / str(x) / f"{y}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def make_mbtiles(path: Path, tiles: dict[tuple[int, int, int], bytes], fmt: str = "png") -> Path:
    """An MBTiles file (rows numbered from the south, as the format says) for XYZ tiles."""
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE metadata (name TEXT, value TEXT);"
                       "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
                       " tile_data BLOB);"
                       "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);")
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "Test set"), ("format", fmt),
                                                           ("attribution", "Test tiles")])
    conn.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                     [(z, x, 2 ** z - 1 - y, data) for (z, x, y), data in tiles.items()])
    conn.commit()
    conn.close()
    return path


def test_xyz_folder_serves_its_tiles(tmp_path: Path) -> None:
    folder = make_xyz(tmp_path / "tiles", {(14, 13680, 6720): PNG, (15, 27361, 13441): PNG})
    (tmp_path / "tiles" / "README.txt").write_text("not a tile")
    source = open_tile_source(folder)
    assert (source.kind, source.min_zoom, source.max_zoom, source.crs) == (XYZ, 14, 15, CoordSystem.GCJ02)
    reader = TileReader(source)
    tile = reader.read(15, 27361, 13441)
    assert tile is not None and tile.data == PNG and tile.mime == "image/png"
    assert reader.read(15, 27361, 13442) is None
    assert reader.read(3, 99, 0) is None  # outside the zoom level's grid


def test_mbtiles_rows_are_flipped_from_tms(tmp_path: Path) -> None:
    path = make_mbtiles(tmp_path / "set.mbtiles", {(15, 27361, 13441): JPEG, (15, 27361, 13442): PNG},
                        fmt="jpg")
    source = open_tile_source(path, CoordSystem.WGS84)
    assert (source.kind, source.min_zoom, source.max_zoom, source.name) == (MBTILES, 15, 15, "Test set")
    assert source.attribution == "Test tiles"
    reader = TileReader(source)
    north, south = reader.read(15, 27361, 13441), reader.read(15, 27361, 13442)
    assert north is not None and north.mime == "image/jpeg"
    assert south is not None and south.mime == "image/png"  # the bytes decide, not the metadata
    assert reader.read(15, 27361, 32767 - 13441) is None     # the unflipped row is not there
    reader.close()
    # Read-only: the console never writes to the installer's file.
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM tiles").fetchone() == (2,)


def test_bad_sources_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(TileSourceError, match="no such file"):
        open_tile_source(tmp_path / "missing")
    (tmp_path / "empty" / "15").mkdir(parents=True)
    with pytest.raises(TileSourceError, match=r"empty.*no tiles found"):
        open_tile_source(tmp_path / "empty")
    (tmp_path / "notes.mbtiles").write_text("hello")
    with pytest.raises(TileSourceError, match=r"notes.mbtiles.*not an MBTiles file"):
        open_tile_source(tmp_path / "notes.mbtiles")
    vector = make_mbtiles(tmp_path / "vector.mbtiles", {(1, 0, 0): b"\x1f\x8b"}, fmt="pbf")
    with pytest.raises(TileSourceError, match=r"vector.mbtiles.*'pbf'.*raster"):
        open_tile_source(vector)
    with pytest.raises(TileSourceError, match="table 'tiles' is empty"):
        open_tile_source(make_mbtiles(tmp_path / "none.mbtiles", {}))
    with pytest.raises(TileSourceError, match="BD-09"):
        parse_crs("bd09")
    assert parse_crs("") == CoordSystem.GCJ02 and parse_crs("wgs84") == CoordSystem.WGS84


def test_sniffed_types_and_the_blank_tile() -> None:
    assert sniff_mime(PNG) == "image/png" and sniff_mime(JPEG) == "image/jpeg"
    assert sniff_mime(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_mime(b"<html>") is None


def _jurisdiction() -> Jurisdiction:
    ring = [[120.14, 30.27], [120.15, 30.27], [120.15, 30.28], [120.14, 30.27]]
    area = AreaShape(1, "C1", "西湖社区", "", 30.275, 120.145, {"type": "Polygon", "coordinates": [ring]})
    return Jurisdiction("测试派出所", (30.275, 120.145), [area], [replace(area, id=2, parent="西湖社区")],
                        [PlacePoint(1, "岗亭", "post", "", 30.271, 120.141)],
                        [PlacePoint(2, "银行", "bank", "", 30.272, 120.142)], [])


def test_page_coords_shift_every_kind_of_overlay_and_bring_drawn_shapes_back() -> None:
    coords = PageCoords(CoordSystem.GCJ02)
    glon, glat = wgs84_to_gcj02(120.145, 30.275)
    assert coords.point(30.275, 120.145) == pytest.approx((glat, glon))
    rows = coords.points([[30.275, 120.145, 0.5]])
    assert rows[0][:2] == pytest.approx([glat, glon], abs=1e-7) and rows[0][2] == 0.5
    back = coords.back([r[:2] for r in rows])
    assert back[0] == pytest.approx([30.275, 120.145], abs=1e-7)

    shifted = coords.jurisdiction(_jurisdiction())
    assert shifted.center == pytest.approx((glat, glon))
    corner = shifted.communities[0].geometry["coordinates"][0][0]
    assert corner == pytest.approx(list(wgs84_to_gcj02(120.14, 30.27)), abs=1e-7)
    assert shifted.posts[0].lat != 30.271 and shifted.places[0].lon != 120.142

    spot = coords.hotspot({"lat": 30.275, "lon": 120.145, "bounds": [30.27, 120.14, 30.28, 120.15],
                           "rank": 1})
    assert (spot["lat"], spot["lon"], spot["rank"]) == (pytest.approx(glat), pytest.approx(glon), 1)

    arrays = IncidentArrays(np.array([1, 2]), np.array([30.27, 30.28]), np.array([120.14, 120.15]),
                            np.zeros(2, np.int64), np.zeros(2, np.int64),
                            np.array(["2026-03-01T08:00", "2026-03-01T09:00"], dtype="datetime64[s]"),
                            ("0101",), ("criminal",))
    moved = coords.incidents(arrays)
    assert moved.lat[0] == pytest.approx(wgs84_to_gcj02(120.14, 30.27)[1]) and moved.ids is arrays.ids
    assert arrays.lat[0] == 30.27  # the console's own arrays stay WGS-84

    plain = PageCoords()
    assert plain.jurisdiction(_jurisdiction()) == _jurisdiction()
    assert plain.points([[30.0, 120.0]]) == [[30.0, 120.0]] and plain.incidents(arrays) is arrays


def test_page_over_gcj02_tiles_draws_shifted_outlines_and_asks_for_the_tile_scheme(tmp_path: Path) -> None:
    source = open_tile_source(make_xyz(tmp_path / "t", {(15, 1, 1): PNG}))
    page = render_map_page(_jurisdiction(), MapLabels(), source)
    assert f"sctiles:///{source.key}/{{z}}/{{x}}/{{y}}" in page and '"crs": "GCJ-02"' in page
    glon, glat = wgs84_to_gcj02(120.14, 30.27)
    assert f"{glon:.6f}"[:9] in page and f"{glat:.6f}"[:8] in page
    plain = render_map_page(_jurisdiction(), MapLabels())
    assert "sctiles" not in plain and '"crs": "WGS-84"' in plain
