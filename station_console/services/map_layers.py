"""What the console sends to the map page per layer: compact columns, or aggregates when big.

The page draws what it gets without reloading; the payloads are plain JSON-ready dicts so the
same code feeds the GUI, the tests and the benchmark.
"""

from __future__ import annotations

import numpy as np

from station_console.services.hotspots import CellGrid
from station_console.services.map_data import IncidentArrays

#: Up to this many incidents the page gets one clickable marker each; above, per-cell counts.
MAX_POINTS = 20_000
#: Cell size of the aggregated incident layer.
AGGREGATE_CELL_M = 60.0


def incident_payload(arrays: IncidentArrays, max_points: int = MAX_POINTS) -> dict[str, object]:
    """Markers as columns (``ids``, ``lat``, ``lon``, ``group``), or ``cells`` of
    ``[lat, lon, count, leading group]`` when there are more than ``max_points`` incidents."""
    groups = list(arrays.groups)
    if len(arrays) <= max_points:
        return {
            "ids": arrays.ids.tolist(),
            "lat": np.round(arrays.lat, 6).tolist(),
            "lon": np.round(arrays.lon, 6).tolist(),
            "group": arrays.group.tolist(),
            "groups": groups,
        }
    grid = CellGrid.covering(float(arrays.lat.min()), float(arrays.lon.min()), float(arrays.lat.max()),
                             float(arrays.lon.max()), cell_m=AGGREGATE_CELL_M)
    cells = grid.cell_of(arrays.lat, arrays.lon)
    per_group = np.bincount(cells * len(groups) + arrays.group, minlength=grid.size * len(groups))
    per_group = per_group.reshape(grid.size, len(groups))
    totals = per_group.sum(axis=1)
    leading = per_group.argmax(axis=1)
    out = []
    for cell in np.nonzero(totals)[0].tolist():
        lat, lon = grid.centre(cell)
        out.append([round(lat, 6), round(lon, 6), int(totals[cell]), int(leading[cell])])
    return {"cells": out, "groups": groups, "total": len(arrays)}
