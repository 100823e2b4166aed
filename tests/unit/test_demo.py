"""The demo station generator: determinism, shape of the data, geometry, cancel and clear."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, func, select

from station_console.domain import geo
from station_console.domain.workflow import OUTCOMES
from station_console.services.demo import (
    DemoCancelled,
    clear_station_data,
    database_is_empty,
    generate_demo,
)
from station_console.services.incidents import IncidentFilter, IncidentService
from station_console.store.database import Database
from station_console.store.dialect import search_clause
from station_console.store.models import Incident

END = datetime(2026, 3, 15, 10, 30)
N = 4000
SEED = 11
STATION_TABLES = ("station", "community", "grid", "police_post", "key_place", "officer",
                  "officer_community", "patrol_unit", "patrol_unit_member", "incident",
                  "incident_event")
ALL_TABLES = (*STATION_TABLES, "category_group", "incident_category")


def _open(tmp_path: Path, name: str = "t.db") -> Database:
    return Database.open(tmp_path / name, create=True)


def _demo(tmp_path: Path, name: str = "t.db", **kw: Any) -> Database:
    db = _open(tmp_path, name)
    args: dict[str, Any] = {"incidents": N, "seed": SEED, "end": END, **kw}
    generate_demo(db, **args)
    return db


def _rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    with db.read() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql).fetchall()]


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    dump = {t: _rows(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in ALL_TABLES}
    dump["app_meta"] = _rows(
        db, "SELECT * FROM app_meta WHERE key IN ('demo', 'demo_seed', 'station_code') "
            "ORDER BY key")
    return dump


def _counts(db: Database) -> dict[str, int]:
    return {t: _rows(db, f"SELECT count(*) FROM {t}")[0][0] for t in (*ALL_TABLES, "app_meta")}


def _rings(db: Database, table: str) -> dict[int, list[geo.Point]]:
    return {i: geo.polygon_outer_ring(g) for i, g in _rows(db, f"SELECT id, geometry FROM {table}")}


def test_same_seed_gives_identical_rows_and_another_seed_does_not(tmp_path: Path) -> None:
    a = _demo(tmp_path, "a.db")
    b = _demo(tmp_path, "b.db")
    c = _demo(tmp_path, "c.db", seed=SEED + 1)
    assert _dump(a) == _dump(b)
    dump_a, dump_c = _dump(a), _dump(c)
    assert dump_a["incident"] != dump_c["incident"]
    assert dump_a["community"] != dump_c["community"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6, 20240501])
def test_layout_is_within_bounds(tmp_path: Path, seed: int) -> None:
    db = _demo(tmp_path, incidents=0, seed=seed)
    counts = _counts(db)
    assert 6 <= counts["community"] <= 10
    assert 2 <= counts["police_post"] <= 4
    assert 30 <= counts["key_place"] <= 60
    assert 35 <= counts["officer"] <= 45
    assert 4 <= counts["patrol_unit"] <= 6
    assert counts["incident"] == counts["incident_event"] == 0
    assert counts["incident_category"] == 30
    assert _rows(db, "SELECT count(*) FROM key_place WHERE place_type = 'heritage'")[0][0] >= 1
    # Every community has exactly one primary community officer, a sworn one.
    primaries = _rows(db, """
        SELECT c.id, count(o.id) FROM community c
        LEFT JOIN officer_community oc ON oc.community_id = c.id AND oc.is_primary
        LEFT JOIN officer o ON o.id = oc.officer_id AND o.team = 'community'
             AND o.kind = 'police'
        GROUP BY c.id""")
    assert all(n == 1 for _, n in primaries)
    for c_count, g_count in _rows(db, "SELECT c.id, count(g.id) FROM community c "
                                      "JOIN grid g ON g.community_id = c.id GROUP BY c.id"):
        assert 3 <= g_count <= 6, c_count
    badges = [b for (b,) in _rows(db, "SELECT badge_no FROM officer")]
    phones = [p for (p,) in _rows(db, "SELECT phone FROM officer")]
    assert all(re.fullmatch(r"\d{6}", b) for b in badges)
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    meta = dict(_rows(db, "SELECT key, value FROM app_meta"))
    assert meta["demo"] == "1" and meta["demo_seed"] == str(seed)
    assert meta["station_code"] == _rows(db, "SELECT code FROM station")[0][0]


def test_default_end_is_now_truncated_to_the_minute(tmp_path: Path) -> None:
    db = _open(tmp_path)
    before = datetime.now().replace(second=0, microsecond=0)
    summary = generate_demo(db, incidents=30, seed=SEED)
    assert summary.incidents == 30
    (latest,) = _rows(db, "SELECT max(received_at) FROM incident")[0]
    latest_dt = datetime.fromisoformat(latest)
    assert before - timedelta(hours=5) <= latest_dt <= datetime.now()


def test_distribution_matches_the_domain_figures(tmp_path: Path) -> None:
    db = _demo(tmp_path)
    (non_police,) = _rows(db, """
        SELECT avg(c.is_police = 0) FROM incident i
        JOIN incident_category c ON c.code = i.category_code""")[0]
    assert 0.40 <= non_police <= 0.60
    (five_min,) = _rows(db, """
        SELECT avg((julianday(arrived_at) - julianday(received_at)) * 86400 <= 300)
        FROM incident i JOIN incident_category c ON c.code = i.category_code
        WHERE c.is_police AND arrived_at IS NOT NULL""")[0]
    assert 0.85 <= five_min <= 0.98
    (diverted,) = _rows(db, """
        SELECT avg(is_diverted) FROM incident i
        JOIN incident_category c ON c.code = i.category_code WHERE NOT c.is_police""")[0]
    assert 0.4 <= diverted <= 0.9
    assert _rows(db, "SELECT count(*) FROM incident i JOIN incident_category c "
                     "ON c.code = i.category_code WHERE c.is_police AND is_diverted")[0][0] == 0
    hours = Counter(int(h) for (h,) in _rows(db, "SELECT substr(received_at, 12, 2) "
                                                 "FROM incident"))
    night = sum(hours[h] for h in range(2, 6)) / 4
    assert night * 3 < hours[10] and night * 3 < hours[20]
    (source_110,) = _rows(db, "SELECT avg(source = '110') FROM incident")[0]
    assert source_110 > 0.6
    (outside,) = _rows(db, "SELECT avg(NOT in_jurisdiction) FROM incident")[0]
    assert 0 < outside < 0.02


def test_ebike_theft_concentrates_in_place_and_evening(tmp_path: Path) -> None:
    db = _demo(tmp_path)
    thefts = _rows(db, "SELECT grid_id, substr(received_at, 12, 2) FROM incident "
                       "WHERE category_code = '0102'")
    (grids,) = _rows(db, "SELECT count(*) FROM grid")[0]
    assert len(thefts) > 50
    top3 = sum(n for _, n in Counter(g for g, _ in thefts).most_common(3)) / len(thefts)
    assert top3 > 0.5 and top3 > 4 * 3 / grids
    evening = sum(18 <= int(h) <= 23 for _, h in thefts) / len(thefts)
    assert evening > 0.55
    fraud = _rows(db, "SELECT community_id, substr(received_at, 12, 2) FROM incident "
                      "WHERE category_code = '0201'")
    top2 = sum(n for _, n in Counter(c for c, _ in fraud).most_common(2)) / len(fraud)
    assert top2 > 0.5
    assert sum(8 <= int(h) <= 17 for _, h in fraud) / len(fraud) > 0.6


def test_repeat_callers_and_repeat_places(tmp_path: Path) -> None:
    db = _demo(tmp_path)
    calls = _rows(db, "SELECT caller_phone, caller_name, caller_id_no, received_at, is_repeat, "
                      "category_code, address FROM incident WHERE caller_phone != '' "
                      "ORDER BY received_at, id")
    by_phone: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in calls:
        by_phone[row[0]].append(row)
    repeaters = {p: rows for p, rows in by_phone.items() if len(rows) >= 3}
    assert repeaters
    assert 0.005 <= len(repeaters) / len(by_phone) <= 0.03
    for rows in repeaters.values():
        assert len({(r[1], r[2], r[6]) for r in rows}) == 1  # same person, same address
        assert [bool(r[4]) for r in rows] == [False, False] + [True] * (len(rows) - 2)
    flagged = sum(bool(r[4]) for r in calls)
    assert flagged == sum(len(rows) - 2 for rows in repeaters.values())
    # The woman of the domain notes: family disputes month after month.
    monthly = [
        rows for rows in repeaters.values()
        if len({r[3][:7] for r in rows if r[5] == "0501"}) >= 3
    ]
    assert monthly
    top_address = _rows(db, "SELECT count(*) FROM incident GROUP BY address "
                            "ORDER BY 1 DESC LIMIT 1")[0][0]
    assert top_address >= 10


def test_callers_numbers_and_texts_look_real(tmp_path: Path) -> None:
    db = _demo(tmp_path)
    rows = _rows(db, "SELECT incident_no, caller_phone, caller_id_no, caller_name, description, "
                     "address, status, outcome_code, feedback FROM incident")
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    for no, phone, id_no, name, description, address, status, outcome, feedback in rows:
        assert re.fullmatch(r"J330106\d{8}\d{6}", no)
        assert phone == "" or re.fullmatch(r"1[3-9]\d{9}", phone)
        if id_no:
            assert re.fullmatch(r"\d{17}[\dX]", id_no)
            total = sum(int(c) * w for c, w in zip(id_no[:17], weights, strict=True))
            assert "10X98765432"[total % 11] == id_no[17]
            datetime.strptime(id_no[6:14], "%Y%m%d")
        assert name == "" or 2 <= len(name) <= 4
        assert description and address.startswith("杭州市")
        assert bool(feedback) == (status == "closed")
        assert bool(outcome) == (status in ("resolved", "closed"))
        assert outcome == "" or outcome in OUTCOMES
    assert sum(r[2][:6] == "330106" for r in rows if r[2]) > 0.5 * sum(1 for r in rows if r[2])
    assert any(r[3] == "" for r in rows)  # some callers stay anonymous


def test_timelines_are_ordered_and_logged(tmp_path: Path) -> None:
    db = _demo(tmp_path)
    stages = ("received_at", "dispatched_at", "arrived_at", "resolved_at", "closed_at")
    rows = _rows(db, f"SELECT id, {', '.join(stages)}, updated_at, status, is_diverted, "
                     "unit_id, officer_id FROM incident")
    events = Counter(i for (i,) in _rows(db, "SELECT incident_id FROM incident_event"))
    end = END.isoformat(sep=" ")
    for iid, *times, updated, status, diverted, unit, officer in rows:
        present = [t for t in times if t is not None]
        assert present == sorted(present) and present[-1] <= end
        assert updated == present[-1]
        assert events[iid] == len(present)
        if diverted:
            assert times[1] is None and times[2] is None and unit is None
        elif times[1] is not None:
            assert officer is not None
        else:
            assert unit is None and officer is None
        assert status == ("closed" if times[4] else "resolved" if times[3] else
                          "arrived" if times[2] else "dispatched" if times[1] else "new")
    old = (END - timedelta(days=1)).isoformat(sep=" ")
    assert _rows(db, f"SELECT count(*) FROM incident WHERE received_at < '{old}' "
                     "AND status != 'closed'")[0][0] == 0
    # Stored times are exactly what SQLAlchemy's DateTime writes on SQLite.
    with db.read() as conn:
        bind = DateTime().dialect_impl(conn.dialect).bind_processor(conn.dialect)
        assert bind is not None
        stored = conn.exec_driver_sql("SELECT received_at FROM incident LIMIT 1").scalar_one()
        assert bind(datetime.fromisoformat(stored)) == stored


def test_open_incidents_in_every_status_near_end(tmp_path: Path) -> None:
    db = _demo(tmp_path)
    recent = (END - timedelta(hours=6)).isoformat(sep=" ")
    statuses = dict(_rows(db, f"SELECT status, count(*) FROM incident "
                              f"WHERE received_at >= '{recent}' GROUP BY status"))
    for status in ("new", "dispatched", "arrived", "resolved"):
        assert statuses.get(status, 0) >= 1, status
    busy = {u for (u,) in _rows(db, "SELECT DISTINCT unit_id FROM incident "
                                    "WHERE status IN ('dispatched', 'arrived') AND unit_id")}
    units = dict(_rows(db, "SELECT id, status FROM patrol_unit"))
    assert {u for u, s in units.items() if s == "busy"} == busy
    assert any(s == "available" for s in units.values())


def test_areas_tile_without_overlap_and_points_lie_in_their_areas(tmp_path: Path) -> None:
    db = _demo(tmp_path)
    communities = _rings(db, "community")
    grids = _rings(db, "grid")
    grid_owner = dict(_rows(db, "SELECT id, community_id FROM grid"))
    lons = [p[0] for ring in communities.values() for p in ring]
    lats = [p[1] for ring in communities.values() for p in ring]
    inside_any = 0
    steps = 70
    for i in range(steps):
        for j in range(steps):
            pt = (min(lons) + (max(lons) - min(lons)) * (i + 0.5) / steps,
                  min(lats) + (max(lats) - min(lats)) * (j + 0.5) / steps)
            in_c = [c for c, ring in communities.items() if geo.point_in_ring(pt, ring)]
            in_g = [g for g, ring in grids.items() if geo.point_in_ring(pt, ring)]
            assert len(in_c) <= 1 and len(in_g) == len(in_c)
            if in_c:
                inside_any += 1
                assert grid_owner[in_g[0]] == in_c[0]
    assert inside_any > 0.6 * steps * steps  # the jittered lattice fills most of its box
    for cid, lat, lon, gid, ok in _rows(db, "SELECT community_id, lat, lon, grid_id, "
                                            "in_jurisdiction FROM incident"):
        if ok:
            assert geo.point_in_ring((lon, lat), communities[cid])
            assert geo.point_in_ring((lon, lat), grids[gid])
            assert grid_owner[gid] == cid
        else:
            assert cid is None and gid is None
            assert not any(geo.point_in_ring((lon, lat), r) for r in communities.values())
    for cid, gid, lat, lon in _rows(db, "SELECT community_id, grid_id, lat, lon FROM key_place"):
        assert geo.point_in_ring((lon, lat), grids[gid]) and grid_owner[gid] == cid
    for cid, lat, lon in _rows(db, "SELECT id, center_lat, center_lon FROM community"):
        assert geo.point_in_ring((lon, lat), communities[cid])


def test_cancel_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = _open(tmp_path)
    before = _counts(db)
    seen: list[tuple[int, int]] = []

    def stop_after_first_chunk(done: int, total: int) -> bool:
        seen.append((done, total))
        return done == 0

    with pytest.raises(DemoCancelled):
        generate_demo(db, incidents=N, seed=SEED, end=END, progress=stop_after_first_chunk)
    assert seen == [(0, N), (N, N)]
    assert _counts(db) == before
    assert database_is_empty(db)


def test_clear_and_regenerate(tmp_path: Path) -> None:
    db = _open(tmp_path)
    assert database_is_empty(db)
    generate_demo(db, incidents=500, seed=SEED, end=END)
    assert not database_is_empty(db)
    first = _dump(db)
    with db.write() as conn:
        clear_station_data(conn, db)
    assert database_is_empty(db)
    counts = _counts(db)
    assert all(counts[t] == 0 for t in STATION_TABLES)
    assert counts["incident_category"] == 30
    assert _rows(db, "SELECT count(*) FROM app_meta WHERE key LIKE 'demo%'")[0][0] == 0
    generate_demo(db, incidents=500, seed=SEED, end=END)
    assert _dump(db) == first
    # The text index was rebuilt over the new rows.
    (address,) = _rows(db, "SELECT address FROM incident ORDER BY id LIMIT 1")[0]
    with db.read() as conn:
        clause, params = search_clause(conn, address)
        table = Incident.__table__  # type: ignore[attr-defined]
        query = select(func.count()).select_from(table).where(clause)
        hits = conn.execute(query, params).scalar_one()
    assert hits >= 1


def test_geo_helpers() -> None:
    square = [(120.0, 30.0), (120.01, 30.0), (120.01, 30.01), (120.0, 30.01)]
    assert geo.ring_centroid(square) == pytest.approx((120.005, 30.005))
    assert geo.point_in_ring((120.005, 30.005), square)
    assert not geo.point_in_ring((120.02, 30.005), square)
    lon, lat = geo.offset(120.0, 30.0, 1000.0, 1000.0)
    assert geo.haversine_m((120.0, 30.0), (lon, 30.0)) == pytest.approx(1000.0, rel=1e-3)
    assert geo.haversine_m((120.0, 30.0), (120.0, lat)) == pytest.approx(1000.0, rel=1e-3)
    assert geo.to_metres((120.0, 30.0), (lon, lat)) == pytest.approx((1000.0, 1000.0))
    assert geo.polygon_outer_ring(geo.polygon_geojson(square)) == [*square, square[0]]


def test_the_same_demo_station_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    # The same seed builds the same station on both engines: the board's first page, a Chinese
    # text search and every table's row count agree.
    small = {"incidents": 300, "seed": SEED, "end": END}
    on_sqlite = _demo(tmp_path, **small)
    on_postgres = Database.open(pg_url)
    generate_demo(on_postgres, **small)
    try:
        (street,) = _rows(on_sqlite, "SELECT address FROM incident ORDER BY id LIMIT 1")[0]
        needle = re.sub(r"[0-9号]+.*$", "", street)[-3:]
        boards = []
        for db in (on_sqlite, on_postgres):
            board = IncidentService(db, now=lambda: END)
            total, page = board.first_page(IncidentFilter())
            found, hits = board.first_page(IncidentFilter(text=needle))
            boards.append((total, [r.incident_no for r in page], found,
                           [r.incident_no for r in hits], _counts(db)))
        assert boards[0][0] == 300 and boards[0][2] > 0
        assert boards[0] == boards[1]
    finally:
        on_sqlite.close()
        on_postgres.close()
