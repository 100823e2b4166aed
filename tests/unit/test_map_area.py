"""The board's drawn-area condition: incidents inside a polygon drawn on the map, in SQL."""

from __future__ import annotations

from sqlalchemy import select

from station_console.services.incidents import IncidentFilter, IncidentService
from station_console.services.map_data import INCIDENT, load_incident_arrays
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES


def _located(db: Database) -> list[tuple[int, float, float]]:
    with db.read() as conn:
        rows = conn.execute(select(INCIDENT.c.id, INCIDENT.c.lat, INCIDENT.c.lon)
                            .where(INCIDENT.c.lat.is_not(None))).all()
    return [(int(r[0]), float(r[1]), float(r[2])) for r in rows]


def _ids(db: Database, flt: IncidentFilter) -> set[int]:
    return set(load_incident_arrays(db, flt, now=DEMO_END).ids.tolist())


@DEMO_ON_BOTH_ENGINES
def test_rectangle_holds_exactly_the_incidents_in_its_box(demo_db: Database) -> None:
    points = _located(demo_db)
    lats = sorted(p[1] for p in points)
    lons = sorted(p[2] for p in points)
    # Edges between the stored points (6 decimals), so none lies on an edge.
    south, north = lats[len(lats) // 4] + 3e-8, lats[3 * len(lats) // 4] + 3e-8
    west, east = lons[len(lons) // 4] + 3e-8, lons[3 * len(lons) // 4] + 3e-8
    area = ((south, west), (north, west), (north, east), (south, east))
    expected = {i for i, lat, lon in points if south < lat < north and west < lon < east}
    got = _ids(demo_db, IncidentFilter(area=area))
    assert got == expected and 0 < len(got) < len(points)
    service = IncidentService(demo_db, now=lambda: DEMO_END)
    assert service.count(IncidentFilter(area=area)) == len(expected)


@DEMO_ON_BOTH_ENGINES
def test_triangle_against_half_planes(demo_db: Database) -> None:
    points = _located(demo_db)
    lats = [p[1] for p in points]
    lons = [p[2] for p in points]
    a = (min(lats), min(lons))
    b = (max(lats), (min(lons) + max(lons)) / 2)
    c = ((min(lats) + max(lats)) / 2, max(lons))

    def side(p: tuple[float, float], q: tuple[float, float], lat: float, lon: float) -> float:
        return (q[0] - p[0]) * (lon - p[1]) - (q[1] - p[1]) * (lat - p[0])

    signs = [(side(a, b, lat, lon), side(b, c, lat, lon), side(c, a, lat, lon)) for _i, lat, lon in points]
    expected = {p[0] for p, s in zip(points, signs, strict=True)
                if all(v > 0 for v in s) or all(v < 0 for v in s)}
    assert 0 < len(expected) < len(points)
    for ring in ((a, b, c), (c, b, a)):  # either winding
        assert _ids(demo_db, IncidentFilter(area=ring)) == expected


@DEMO_ON_BOTH_ENGINES
def test_area_combines_with_the_other_conditions_and_survives_json(demo_db: Database) -> None:
    points = _located(demo_db)
    lat0 = min(p[1] for p in points)
    lon0 = min(p[2] for p in points)
    area = ((lat0 - 1, lon0 - 1), (lat0 + 1, lon0 - 1), (lat0 + 1, lon0 + 1), (lat0 - 1, lon0 + 1))
    flt = IncidentFilter(area=area, categories=frozenset({"0101"}))
    assert IncidentFilter.from_json(flt.to_json()) == flt
    service = IncidentService(demo_db, now=lambda: DEMO_END)
    assert service.count(flt) == service.count(IncidentFilter(categories=frozenset({"0101"}), area=()))
    assert service.count(IncidentFilter(area=((lat0, lon0), (lat0 + 1, lon0)))) == 0
