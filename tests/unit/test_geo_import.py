"""Boundary import (GeoJSON) and the bulk re-assignment of incidents by point-in-polygon."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from station_console.domain import geo
from station_console.services.changes import export_package
from station_console.services.geo_import import (
    COMMUNITY,
    GRID,
    INCIDENT,
    BoundaryError,
    ReassignCancelled,
    ReassignResult,
    assign,
    boundary_properties,
    import_boundaries,
    polygon_mask,
    read_boundaries,
    reassign_incidents,
)
from station_console.store.database import Database
from tests.conftest import DEMO_ON_BOTH_ENGINES
from tests.unit.changes_helpers import close_all, make_replicas

# A concave "C" shape (lon, lat) and a square with a square hole.
C_SHAPE = [[0, 0], [4, 0], [4, 1], [1, 1], [1, 3], [4, 3], [4, 4], [0, 4], [0, 0]]
OUTER = [[10, 10], [14, 10], [14, 14], [10, 14], [10, 10]]
HOLE = [[11, 11], [13, 11], [13, 13], [11, 13], [11, 11]]


def _write(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _feature(name: str | None, geometry: Any, **props: Any) -> dict[str, Any]:
    properties = dict(props)
    if name is not None:
        properties["名称"] = name
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_point_in_polygon_against_reference_values() -> None:
    lon = np.array([0.5, 2.0, 3.0, 2.0, 12.0, 10.5, 13.5, 20.0, 2.0])
    lat = np.array([2.0, 2.0, 0.5, 3.5, 12.0, 10.5, 12.0, 20.0, -1.0])
    # inside the C's back, in its mouth, in its lower arm, upper arm, in the hole, in the ring,
    # in the ring, far away, below
    expected = [True, False, True, True, False, True, True, False, False]
    got = polygon_mask(lat, lon, [[C_SHAPE], [OUTER, HOLE]])
    assert got.tolist() == expected


def test_vectorised_matches_the_scalar_ray_casting_of_intake() -> None:
    rng = np.random.default_rng(3)
    lon = rng.uniform(-1, 15, 20_000)
    lat = rng.uniform(-1, 15, 20_000)
    got = assign(lat, lon, [[[C_SHAPE]], [[OUTER, HOLE]]])
    ref = []
    for x, y in zip(lon.tolist(), lat.tolist(), strict=True):
        if geo.point_in_ring((x, y), [tuple(p) for p in C_SHAPE]):
            ref.append(0)
        elif (geo.point_in_ring((x, y), [tuple(p) for p in OUTER])
              and not geo.point_in_ring((x, y), [tuple(p) for p in HOLE])):
            ref.append(1)
        else:
            ref.append(-1)
    assert got.tolist() == ref
    assert {0, 1, -1} <= set(ref)


def test_bad_features_are_named_with_their_field(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.geojson", [
        _feature("甲社区", {"type": "Polygon", "coordinates": [C_SHAPE]}),
        _feature(None, {"type": "Polygon", "coordinates": [C_SHAPE]}),
        _feature("丙社区", {"type": "Point", "coordinates": [1, 2]}),
        _feature("丁社区", {"type": "Polygon", "coordinates": [C_SHAPE[:-1]]}),
        _feature("戊社区", {"type": "MultiPolygon", "coordinates": [[OUTER], [[[200, 1], [201, 1], [201, 2],
                                                                             [200, 1]]]]}),
        _feature("甲社区", {"type": "Polygon", "coordinates": [OUTER]}),
    ])
    with pytest.raises(BoundaryError) as caught:
        read_boundaries(path, "名称")
    problems = caught.value.problems
    assert problems == [
        "feature 2: property '名称' (the name) is missing or empty",
        "feature 3 (丙社区): field 'geometry': expected a Polygon or MultiPolygon, got Point",
        "feature 4 (丁社区): field 'geometry.coordinates': ring 1: a ring must end where it starts",
        "feature 5 (戊社区): field 'geometry.coordinates': polygon 2, ring 1: position [200, 1] is outside "
        "longitude -180..180 / latitude -90..90 (WGS-84 degrees)",
        "feature 6 (甲社区): property '名称': the name '甲社区' appears twice",
    ]
    assert str(caught.value).startswith("bad.geojson: ")
    with pytest.raises(BoundaryError, match="property 'parent'"):
        read_boundaries(_write(tmp_path / "g.geojson", [_feature("一格", {"type": "Polygon",
                                                                          "coordinates": [OUTER]})]),
                        "名称", "parent")
    (tmp_path / "x.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(BoundaryError, match="not a readable GeoJSON file"):
        read_boundaries(tmp_path / "x.geojson", "名称")


def _station_geojson(db: Database, path: Path, table: Any, swap: tuple[int, int] | None = None) -> Path:
    with db.read() as conn:
        rows = conn.execute(select(table.c.name, table.c.geometry).order_by(table.c.code)).all()
    geometries = [json.loads(r.geometry) for r in rows]
    if swap is not None:
        a, b = swap
        geometries[a], geometries[b] = geometries[b], geometries[a]
    return _write(path, [_feature(r.name, g, code="x") for r, g in zip(rows, geometries, strict=True)])


def _assignment(db: Database) -> dict[int, tuple[int | None, int | None]]:
    with db.read() as conn:
        rows = conn.execute(select(INCIDENT.c.id, INCIDENT.c.community_id, INCIDENT.c.grid_id)
                            .where(INCIDENT.c.lat.is_not(None)))
        return {r.id: (r.community_id, r.grid_id) for r in rows}


@DEMO_ON_BOTH_ENGINES
def test_import_and_reassign_follow_the_new_boundaries(demo_db: Database, tmp_path: Path) -> None:
    before = _assignment(demo_db)
    path = _station_geojson(demo_db, tmp_path / "communities.geojson", COMMUNITY)
    assert "名称" in boundary_properties(path)
    same = import_boundaries(demo_db, read_boundaries(path, "名称"), kind="community")
    with demo_db.read() as conn:
        ids = [r.id for r in conn.execute(select(COMMUNITY.c.id).order_by(COMMUNITY.c.code))]
    assert same.added == [] and len(same.updated) == len(ids)
    # The same outlines again: no incident can change, so none is read.
    assert same.reassigned == ReassignResult(incidents=0, changed=0)
    assert _assignment(demo_db) == before

    # Two communities swap outlines: their incidents swap communities (grids stay).
    swapped = _station_geojson(demo_db, tmp_path / "swapped.geojson", COMMUNITY, swap=(0, 1))
    steps: list[tuple[int, int]] = []
    result = import_boundaries(demo_db, read_boundaries(swapped, "名称"), kind="community",
                               progress=lambda done, total: steps.append((done, total)) or True)
    after = _assignment(demo_db)
    moved = {i for i in before if before[i][0] in ids[:2]}
    assert result.reassigned is not None
    assert result.reassigned.changed == len(moved) > 0
    # Only the incidents the two changed outlines can concern are tested again...
    assert len(moved) <= result.reassigned.incidents < len(before)
    swap = {ids[0]: ids[1], ids[1]: ids[0]}
    for incident, (community, grid) in before.items():
        assert after[incident] == (swap.get(community, community), grid)
    assert steps[-1][0] == steps[-1][1] == result.reassigned.incidents
    # The bar only moves forward, though the reading skips the incidents it need not test.
    fractions = [done / total for done, total in steps]
    assert fractions == sorted(fractions) and len(set(fractions)) > 2
    # ...and testing every one finds nothing they missed.
    everything = reassign_incidents(demo_db)
    assert everything == ReassignResult(incidents=len(before), changed=0)

    # A cancelled import writes nothing: neither the outlines nor the incidents.
    with demo_db.read() as conn:
        outlines = conn.execute(select(COMMUNITY.c.geometry).order_by(COMMUNITY.c.code)).all()
    with pytest.raises(ReassignCancelled):
        import_boundaries(demo_db, read_boundaries(path, "名称"), kind="community",
                          progress=lambda done, total: done < total // 2)
    with demo_db.read() as conn:
        assert conn.execute(select(COMMUNITY.c.geometry).order_by(COMMUNITY.c.code)).all() == outlines
    assert _assignment(demo_db) == after
    import_boundaries(demo_db, read_boundaries(path, "名称"), kind="community")
    assert _assignment(demo_db) == before


@DEMO_ON_BOTH_ENGINES
def test_new_grid_gets_a_code_under_its_community(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as conn:
        first = conn.execute(select(COMMUNITY.c.name, COMMUNITY.c.code, COMMUNITY.c.geometry)
                             .order_by(COMMUNITY.c.code)).first()
    path = _write(tmp_path / "grids.geojson",
                  [_feature("新网格", json.loads(first.geometry), 社区=first.name)])
    result = import_boundaries(demo_db, read_boundaries(path, "名称", "社区"), kind="grid")
    assert result.added == ["新网格"]
    # Grids are tried in code order: the new grid (last code under its community) takes none
    # of the points the existing grids hold.
    assert result.reassigned is not None and result.reassigned.changed == 0
    with demo_db.read() as conn:
        code = conn.execute(select(GRID.c.code).where(GRID.c.name == "新网格")).scalar()
    assert str(code).startswith(str(first.code))
    bad = _write(tmp_path / "orphan.geojson", [_feature("孤格", json.loads(first.geometry), 社区="无此社区")])
    with pytest.raises(ValueError, match="无此社区"):
        import_boundaries(demo_db, read_boundaries(bad, "名称", "社区"), kind="grid")


def test_area_ids_too_large_to_pack_are_refused_before_anything_is_written(demo_db: Database) -> None:
    before = _assignment(demo_db)
    with demo_db.write() as conn:
        first = conn.execute(select(COMMUNITY).order_by(COMMUNITY.c.code).limit(1)).one()
        conn.execute(COMMUNITY.insert().values({**first._mapping, "id": 2**31 - 1, "code": "X99",
                                                "name": "远郊社区"}))
    with pytest.raises(ValueError, match="ids above 2147483646 cannot be re-assigned"):
        reassign_incidents(demo_db)
    assert _assignment(demo_db) == before


def test_an_import_is_one_audit_record_not_one_per_incident(demo_db: Database, tmp_path: Path) -> None:
    swapped = _station_geojson(demo_db, tmp_path / "swapped.geojson", COMMUNITY, swap=(0, 1))
    with demo_db.read() as conn:
        before = conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar()
    result = import_boundaries(demo_db, read_boundaries(swapped, "名称"), kind="community")
    assert result.reassigned is not None and result.reassigned.changed > 0
    with demo_db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar() == before + 1
        action, object_type, detail = conn.exec_driver_sql(
            "SELECT action, object_type, detail FROM audit_log ORDER BY id DESC LIMIT 1").one()
    assert (action, object_type) == ("import", "community")
    assert json.loads(detail)["incidents_changed"] == result.reassigned.changed


def _stamps(db: Database) -> dict[int, tuple[Any, ...]]:
    with db.read() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.exec_driver_sql(
            "SELECT id, community_id, sync_uuid, sync_origin, sync_hlc, sync_base, sync_seq FROM incident")}


def _numbers_and_codes(db: Database) -> dict[int, tuple[str, str | None]]:
    with db.read() as conn:
        return {r[0]: (r[1], r[2]) for r in conn.exec_driver_sql(
            "SELECT i.id, i.incident_no, c.code FROM incident i "
            "LEFT JOIN community c ON c.id = i.community_id")}


def test_reassigned_synced_incidents_take_one_new_version_and_travel(demo_db_path: Path,
                                                                      tmp_path: Path) -> None:
    a, b = make_replicas(demo_db_path, tmp_path, ("A", "B"))
    try:
        export_package(a.db, tmp_path / "first.zip", "B", a.key)  # stamps every incident
        # One incident written since that package: no identity yet, so none is made up for it.
        with a.db.write() as conn:
            new_id = conn.exec_driver_sql(
                "SELECT id FROM incident WHERE community_id = (SELECT id FROM community ORDER BY code "
                "LIMIT 1) ORDER BY id LIMIT 1").scalar_one()
            conn.exec_driver_sql("UPDATE incident SET sync_uuid = NULL, sync_origin = NULL, "
                                 "sync_hlc = NULL, sync_base = NULL, sync_seq = NULL WHERE id = ?", (new_id,))
            # And one that B wrote last: moving it here makes this station its origin.
            conn.exec_driver_sql("UPDATE incident SET sync_origin = ?, sync_seq = sync_seq WHERE id = ("
                                 "SELECT min(id) FROM incident WHERE id > ? AND community_id = ("
                                 "SELECT id FROM community ORDER BY code LIMIT 1))", (b.station, new_id))
        before = _stamps(a.db)
        assert sum(s[2] == b.station for s in before.values()) == 1
        top = max(s[5] for s in before.values() if s[5] is not None)
        swapped = _station_geojson(a.db, tmp_path / "swapped.geojson", COMMUNITY, swap=(0, 1))
        result = import_boundaries(a.db, read_boundaries(swapped, "名称"), kind="community")
        after = _stamps(a.db)

        moved = sorted(i for i in before if after[i][0] != before[i][0])
        assert result.reassigned is not None and result.reassigned.changed == len(moved) > 1
        assert new_id in moved and after[new_id][1:] == (None,) * 5
        restamped = [i for i in moved if i != new_id]
        for i in restamped:
            uuid, _origin, hlc, _base, _seq = before[i][1:]
            assert after[i][1:5] == (uuid, a.station, after[i][3], hlc)
            assert after[i][3] > hlc
        # A new change number each, above every earlier one (in id order, the order written).
        seqs = [after[i][5] for i in restamped]
        assert seqs == sorted(set(seqs)) and seqs[0] > top
        assert all(after[i] == before[i] for i in before if i not in moved)

        # The next package carries exactly the moved incidents, in their new versions.
        export_package(a.db, tmp_path / "second.zip", "B", a.key)
        with zipfile.ZipFile(tmp_path / "second.zip") as zf:
            sent = {r["key"]: r for r in map(json.loads, zf.read("incident.ndjson").splitlines())}
        codes = _numbers_and_codes(a.db)
        assert sorted(sent) == sorted(codes[i][0] for i in moved)
        for i in restamped:
            row = sent[codes[i][0]]
            assert (row["uuid"], row["origin"], row["hlc"], row["base"]) == after[i][1:5]
            assert row["data"]["community"] == codes[i][1]
    finally:
        close_all([a, b])
