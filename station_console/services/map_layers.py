"""What the console sends to the map page per layer: compact columns, or aggregates when big.

The page draws what it gets without reloading; the payloads are plain JSON-ready dicts so the
same code feeds the GUI, the tests and the benchmark.
"""

from __future__ import annotations

import base64

import numpy as np
import numpy.typing as npt

from station_console.services.hotspots import CellGrid
from station_console.services.map_data import IncidentArrays

#: Up to this many incidents the page gets one clickable marker each; above, per-cell counts.
MAX_POINTS = 20_000
#: Cell size of the aggregated incident layer.
AGGREGATE_CELL_M = 60.0


#: Coordinates travel as whole millionths of a degree (about 0.1 m).
MICRODEGREES = 1_000_000


def _b64(values: npt.NDArray[np.generic], dtype: str) -> str:
    """Little-endian bytes of ``values`` as ``dtype``, base64 (the page reads them as a typed array)."""
    return base64.b64encode(np.ascontiguousarray(values, dtype=np.dtype(dtype).newbyteorder("<"))
                            .tobytes()).decode("ascii")


def incident_payload(arrays: IncidentArrays, max_points: int = MAX_POINTS) -> dict[str, object]:
    """Markers as base64 columns, or ``cells`` of ``[lat, lon, count, leading group]`` when there
    are more than ``max_points`` incidents.

    The columns are ``ids`` (int32), ``lat`` and ``lon`` (int32 millionths of a degree) and
    ``group`` (uint8 index into ``groups``), ``n`` rows each: 20,000 markers as JSON number
    lists took longer to write and to parse than to draw; typed arrays cost next to nothing.
    """
    groups = list(arrays.groups)
    if len(arrays) <= max_points:
        return {
            "n": len(arrays),
            "ids": _b64(arrays.ids, "i4"),
            "lat": _b64(np.rint(arrays.lat * MICRODEGREES), "i4"),
            "lon": _b64(np.rint(arrays.lon * MICRODEGREES), "i4"),
            "group": _b64(arrays.group, "u1"),
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
