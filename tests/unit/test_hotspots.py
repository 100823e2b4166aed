"""Heat grid and hotspots on generated incidents: planted hotspots are found, noise gives none."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from station_console.cli import main
from station_console.domain import geo
from station_console.domain.shifts import TimePreset
from station_console.services.hotspots import (
    CellGrid,
    TimeWindow,
    find_hotspots,
    gi_star,
    heat_counts,
    parse_hours,
    peak_band,
    station_hotspots,
    window_mask,
)
from station_console.services.incidents import IncidentFilter
from station_console.services.map_data import (
    IncidentArrays,
    category_groups,
    incident_location,
    load_incident_arrays,
    load_jurisdiction,
)
from station_console.services.map_layers import incident_payload
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES

ORIGIN = (120.14, 30.25)  # (lon, lat)
SIZE_M = 3000.0
START = datetime(2026, 1, 1)


def _arrays(east: np.ndarray, north: np.ndarray, hours: np.ndarray, days: np.ndarray,
            categories: list[str]) -> IncidentArrays:
    lon = ORIGIN[0] + east / geo.metres_per_degree_lon(ORIGIN[1])
    lat = ORIGIN[1] + north / geo.METRES_PER_DEGREE_LAT
    received = (np.datetime64(START, "s") + days.astype("timedelta64[D]") + hours.astype("timedelta64[h]")
                + np.timedelta64(17, "m"))
    groups = {"0101": "criminal", "0501": "dispute", "0201": "public_order"}
    return IncidentArrays.build(np.arange(east.size), lat, lon, categories, received, groups)


def _uniform(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(0, SIZE_M, n), rng.uniform(0, SIZE_M, n)


def _grid() -> CellGrid:
    north, east = ORIGIN[1] + SIZE_M / geo.METRES_PER_DEGREE_LAT, \
        ORIGIN[0] + SIZE_M / geo.metres_per_degree_lon(ORIGIN[1])
    return CellGrid.covering(ORIGIN[1], ORIGIN[0], north, east, cell_m=150)


def _background(seed: int, n: int = 4000) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    east, north = _uniform(rng, n)
    return east, north, rng.integers(0, 24, n), rng.integers(0, 60, n)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_uniform_noise_gives_no_hotspot(seed: int) -> None:
    east, north, hours, days = _background(seed)
    arrays = _arrays(east, north, hours, days, ["0201"] * east.size)
    assert find_hotspots(arrays, TimeWindow(), _grid()) == []


def test_planted_hotspots_are_found_with_category_hours_and_change() -> None:
    east, north, hours, days = _background(11)
    rng = np.random.default_rng(12)
    planted = {(800.0, 2200.0): 150, (2300.0, 600.0): 90}
    parts_e, parts_n, parts_h, parts_d, cats = [east], [north], [hours], [days], ["0201"] * east.size
    for (pe, pn), n in planted.items():
        parts_e.append(rng.normal(pe, 25, n))
        parts_n.append(rng.normal(pn, 25, n))
        parts_h.append(rng.integers(19, 22, n))    # evenings: 19, 20, 21
        parts_d.append(rng.integers(30, 60, n))    # all in the second month
        cats += ["0101"] * n
    arrays = _arrays(np.concatenate(parts_e), np.concatenate(parts_n), np.concatenate(parts_h),
                     np.concatenate(parts_d), cats)
    window = TimeWindow(start=START + timedelta(days=30), end=START + timedelta(days=60))
    found = find_hotspots(arrays, window, _grid())
    assert found, "the planted hotspots were missed"
    centres = [geo.to_metres(ORIGIN, (h.lon, h.lat)) for h in found]
    for pe, pn in planted:
        assert min(np.hypot(e - pe, n - pn) for e, n in centres) < 160
    for spot, (e, n) in zip(found, centres, strict=True):
        assert any(np.hypot(e - pe, n - pn) < 260 for pe, pn in planted), "a hotspot away from the plants"
        assert spot.z > 3
    top = found[0]
    assert top.rank == 1 and top.count == max(h.count for h in found)
    assert top.leading[0][0] == "0101"
    assert top.peak_hours == (19, 22)
    assert top.previous_count is not None and top.previous_count < top.count
    assert top.change_pct is not None and top.change_pct > 100
    # Hotspots only of the planted hours: the evening band still finds them, the morning none.
    evening = find_hotspots(arrays, TimeWindow(hours=parse_hours("19-22")), _grid())
    morning = find_hotspots(arrays, TimeWindow(hours=parse_hours("6-9")), _grid())
    assert evening and not morning


def test_heat_counts_every_incident_once() -> None:
    east, north, hours, days = _background(3, 500)
    arrays = _arrays(east, north, hours, days, ["0201"] * 500)
    grid = _grid()
    cells = grid.cell_of(arrays.lat, arrays.lon)
    assert (cells >= 0).all()
    counts = heat_counts(cells, np.ones(500, dtype=bool), grid)
    assert counts.sum() == 500
    # A plain loop over the points gives the same grid.
    expected = np.zeros(grid.size, dtype=np.int64)
    for c in cells:
        expected[c] += 1
    assert (counts.ravel() == expected).all()


def test_gi_star_of_a_single_peak() -> None:
    counts = np.zeros((20, 20), dtype=np.int64)
    counts[10, 10] = 50
    z = gi_star(counts)
    assert np.unravel_index(np.argmax(z), z.shape) in {(9, 9), (10, 10), (11, 11), (9, 10), (10, 9),
                                                       (9, 11), (11, 9), (10, 11), (11, 10)}
    assert z[10, 10] > 5 and z[0, 0] < 0


def test_window_mask_by_hours_weekdays_and_group() -> None:
    hours = np.array([0, 8, 20, 23])
    days = np.array([0, 1, 2, 3])  # 2026-01-01 is a Thursday
    arrays = _arrays(np.zeros(4), np.zeros(4), hours, days, ["0101", "0501", "0201", "0101"])
    def chosen(window: TimeWindow) -> list[bool]:
        return window_mask(arrays, window).tolist()

    assert chosen(TimeWindow(hours=parse_hours("22-2"))) == [True, False, False, True]
    assert chosen(TimeWindow(weekdays=frozenset({3}))) == [True, False, False, False]
    assert chosen(TimeWindow(groups=frozenset({"dispute"}))) == [False, True, False, False]
    assert chosen(TimeWindow(categories=frozenset({"0101"}))) == [True, False, False, True]


def test_parse_hours_and_peak_band() -> None:
    assert parse_hours("18-22") == {18, 19, 20, 21}
    assert parse_hours("23-1") == {23, 0}
    assert parse_hours("7") == {7}
    assert len(parse_hours("0-24")) == 24
    for bad in ("x", "5-5", "25-3"):
        with pytest.raises(ValueError):
            parse_hours(bad)
    assert peak_band(np.array([23, 23, 0, 1, 12])) == (23, 2)


@DEMO_ON_BOTH_ENGINES
def test_hotspots_command_prints_the_ranked_list(demo_db: Database,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = _target(demo_db)
    # The demo station ends at DEMO_END: ten years back from today covers all of it.
    assert main(["--db", target, "hotspots", "--days", "3650", "--json"]) == 0
    spots = json.loads(capsys.readouterr().out)
    assert spots, "the demo station's planted e-bike and fraud hotspots were not found"
    assert [s["rank"] for s in spots] == list(range(1, len(spots) + 1))
    assert {"lat", "lon", "count", "z", "peak_hours", "leading_categories"} <= set(spots[0])
    assert all(s["z"] > 2 for s in spots)
    assert main(["--db", target, "hotspots", "--days", "3650", "--category", "criminal",
                 "--hours", "18-22", "--json"]) == 0
    evening = json.loads(capsys.readouterr().out)
    assert all(s["count"] <= max(x["count"] for x in spots) for s in evening)
    assert main(["--db", target, "hotspots", "--hours", "25-3"]) == 2
    assert "--hours" in capsys.readouterr().err


def _target(db: Database) -> str:
    """What ``--db`` takes for an open database: its file, or its server URL."""
    return str(db.path) if db.path else db.engine.url.render_as_string(hide_password=False)


def _map_figures(db: Database) -> dict[str, object]:
    """What the map and the hotspot list get from the store, in a form to compare engines with."""
    everything = load_incident_arrays(db, IncidentFilter(), now=DEMO_END)
    order = np.argsort(everything.ids)
    week = IncidentFilter(preset=TimePreset.LAST_7D, categories=frozenset({"0102", "0501"}))
    evening = frozenset(range(18, 23))
    return {
        "jurisdiction": load_jurisdiction(db),
        "groups": category_groups(db),
        "ids": everything.ids[order].tolist(),
        "lat": everything.lat[order].tolist(),
        "lon": everything.lon[order].tolist(),
        "received": everything.received[order].tolist(),
        "categories": [everything.categories[c] for c in everything.category[order]],
        "week": sorted(load_incident_arrays(db, week, now=DEMO_END).ids.tolist()),
        "cells": incident_payload(everything, max_points=100)["cells"],
        "hotspots": [h.to_dict() for h in station_hotspots(db, days=3650, now=DEMO_END)],
        "evening": [h.to_dict() for h in station_hotspots(db, days=90, now=DEMO_END,
                                                         categories=("criminal",), hours=evening)],
        "location": incident_location(db, int(everything.ids[0])),
    }


@DEMO_ON_BOTH_ENGINES
def test_map_layers_and_hotspots_read_the_same_station_alike_on_both_engines(
        demo_db: Database, demo_template: Path) -> None:
    # The same seed gives the same demo station on either engine: what the map and the hotspot
    # list read from it must be the same, value for value.
    sqlite = Database.open(demo_template)
    try:
        expected = _map_figures(sqlite)
    finally:
        sqlite.close()
    got = _map_figures(demo_db)
    assert got["ids"] and got["week"] and got["cells"] and got["hotspots"]
    for key, value in expected.items():
        assert got[key] == value, key
