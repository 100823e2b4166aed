"""Feed import: formats, encodings, dates, mapping profiles, idempotency and rejection."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select, text

from station_console.domain.coords import CoordSystem, from_wgs84, gcj02_to_wgs84, to_wgs84, wgs84_to_gcj02
from station_console.domain.feedparse import detect_encoding, parse_datetime
from station_console.domain.intake import Area, area_at
from station_console.services.importer import (
    ImportCancelled,
    Locator,
    Outcome,
    Problem,
    content_key,
    import_feed,
    preview,
    rejects_path,
)
from station_console.services.importer_profiles import (
    ProfileError,
    load_profile,
    parse_profile,
    profile_names,
    save_profile,
)
from station_console.store.database import Database
from station_console.store.dialect import search_clause
from station_console.store.models import Community, Grid, Incident
from tests.conftest import DEMO_ON_BOTH_ENGINES

INCIDENT = Incident.__table__  # type: ignore[attr-defined]

NOW = datetime(2026, 3, 15, 10, 30)
#: A point inside the demo station's jurisdiction (WGS-84) and one far outside (Shanghai).
INSIDE = (120.124547, 30.257481)
OUTSIDE = (121.4737, 31.2304)

CSV_PROFILE = """
[options]
format = "csv"
coordinates = "GCJ-02"

[columns]
incident_no = "接警单号"
received_at = "报警时间"
category = "警情类别"
address = "发案地址"
lon = "经度"
lat = "纬度"
caller_name = "报警人"
caller_phone = "联系电话"
description = "简要警情"
status = "处警状态"

[categories]
"盗窃*" = "0101"
"家庭纠纷" = "0501"
"噪音" = "噪音扰民"
"""
HEADER = ["接警单号", "报警时间", "警情类别", "发案地址", "经度", "纬度", "报警人", "联系电话",
          "简要警情", "处警状态"]


def profile(body: str = CSV_PROFILE, name: str = "test"):
    return parse_profile(body, name)


def gcj(point: tuple[float, float]) -> tuple[str, str]:
    lon, lat = from_wgs84(point[0], point[1], CoordSystem.GCJ02)
    return f"{lon:.7f}", f"{lat:.7f}"


def rows(n: int = 3, start: int = 1) -> list[list[str]]:
    out = []
    for i in range(start, start + n):
        lon, lat = gcj(INSIDE if i % 5 else OUTSIDE)
        out.append([f"T{i:05d}", f"2024/3/{i % 27 + 1} 8:{i % 60:02d}", "盗窃电动车" if i % 2 else "家庭纠纷",
                    f"杭州市西湖区竹影街{i}号", lon, lat, "张三", "138 1234 5678",
                    f"第{i}起，\"引号\"\n第二行", "已派警" if i % 3 else ""])
    return out


def write_csv(path: Path, body: list[list[str]], encoding: str = "utf-8", header: bool = True,
              delimiter: str = ",") -> Path:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow(HEADER)
    writer.writerows(body)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def fingerprint(db: Database) -> tuple:
    """Everything an import could change, summarised."""
    with db.read() as conn:
        return tuple(conn.execute(text(
            "SELECT count(*), max(id), max(updated_at), sum(length(incident_no || status || address"
            " || description || category_code || coalesce(CAST(lat AS TEXT), '')"
            " || coalesce(CAST(community_id AS TEXT), ''))),"
            " (SELECT count(*) FROM incident_event) FROM incident")).one())


# parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("2024/3/5 8:07", datetime(2024, 3, 5, 8, 7)),
    ("2024年3月5日 08:07", datetime(2024, 3, 5, 8, 7)),
    ("2024年3月5日8时7分30秒", datetime(2024, 3, 5, 8, 7, 30)),
    ("2024年3月5日下午3点20分", datetime(2024, 3, 5, 15, 20)),
    ("20240305080700", datetime(2024, 3, 5, 8, 7)),
    ("202403050807", datetime(2024, 3, 5, 8, 7)),
    ("2024-03-05T08:07:00", datetime(2024, 3, 5, 8, 7)),
    ("2024-03-05T00:07:00Z", datetime(2024, 3, 5, 8, 7)),
    ("2024-03-05 08:07:00+08:00", datetime(2024, 3, 5, 8, 7)),
    ("2024.3.5", datetime(2024, 3, 5)),
    ("45356.338194", datetime(2024, 3, 5, 8, 7)),
    (45356.5, datetime(2024, 3, 5, 12, 0)),
])
def test_dates_in_the_spellings_feeds_use(raw, expected) -> None:
    assert parse_datetime(raw) == expected


@pytest.mark.parametrize("raw", ["2024/2/30 8:00", "2024-13-01", "abc", "", "12", "2024年3月", "99999"])
def test_bad_dates_are_refused(raw) -> None:
    with pytest.raises(ValueError):
        parse_datetime(raw)


def test_coordinate_round_trips_stay_within_centimetres() -> None:
    # GCJ-02 is inverted by iteration (< 1 cm); the usual BD-09 inverse formula is good to ~10 cm.
    for system, tolerance in ((CoordSystem.WGS84, 0), (CoordSystem.GCJ02, 1e-7), (CoordSystem.BD09, 1e-6)):
        lon, lat = from_wgs84(*INSIDE, system)
        back = to_wgs84(lon, lat, system)
        assert abs(back[0] - INSIDE[0]) <= tolerance and abs(back[1] - INSIDE[1]) <= tolerance
    shifted = wgs84_to_gcj02(*INSIDE)
    assert 0.001 < abs(shifted[0] - INSIDE[0]) < 0.01  # the GCJ-02 offset is a few hundred metres
    assert gcj02_to_wgs84(2.35, 48.85) == (2.35, 48.85)  # outside China nothing moves


def test_encoding_detection() -> None:
    sample = "接警单号,报警时间,杭州市西湖区竹影街".encode()
    assert detect_encoding(sample, at_eof=True) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf" + sample, at_eof=True) == "utf-8-sig"
    assert detect_encoding("接警单号,报警时间,杭州市".encode("gbk"), at_eof=True) == "gb18030"
    assert detect_encoding(sample[:-1], at_eof=False) == "utf-8"


# profiles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("body, needle", [
    ("[columns]\nreceived_at = 'a'", "category must be mapped"),
    ("[columns]\nreceived_at = 'a'\ncategory = 'b'", "map address"),
    ("[columns]\nreceived_at = 'a'\ncategory = 'b'\naddress = 'c'\nlat = 'd'", "both lat and lon"),
    ("[columns]\nwhen = 'a'", "'when' is not a field"),
    ("[options]\nencoding = 'ebcdic-klingon'\n[columns]\nreceived_at = 1", "unknown encoding"),
    ("[options]\ncoordinates = 'mars'\n[columns]\nreceived_at = 1", "unknown coordinate system"),
    ("[options]\nheader = false\n[columns]\nreceived_at = 'a'", "by number"),
    ("[columns]\nreceived_at = 0", "start at 1"),
    ("[statuses]\n'x' = 'gone'\n[columns]\nreceived_at = 1\ncategory = 2\naddress = 3", "[statuses]"),
    ("[columns\n", "not valid TOML"),
    ("[extra]\n", "unknown section"),
])
def test_bad_profiles_name_the_problem(body, needle) -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile(body, "p")
    assert needle in str(info.value)


def test_profiles_are_saved_by_name_and_shipped_ones_load(tmp_path: Path) -> None:
    assert {"110-csv", "district-xlsx", "platform-ndjson", "no-header-tsv"} <= set(profile_names(tmp_path))
    for name in profile_names(tmp_path):
        load_profile(name, tmp_path)
    save_profile("mine", CSV_PROFILE, tmp_path)
    assert "mine" in profile_names(tmp_path)
    assert load_profile("mine", tmp_path).columns["received_at"].name == "报警时间"
    with pytest.raises(ProfileError):
        save_profile("broken", "[columns]\n", tmp_path)
    assert not (tmp_path / "profiles" / "broken.toml").exists()


# imports ----------------------------------------------------------------------------------


@DEMO_ON_BOTH_ENGINES
def test_gb18030_csv_with_quoted_newlines_imports_locates_and_is_searchable(demo_db, tmp_path) -> None:
    feed = write_csv(tmp_path / "feed.csv", rows(10), encoding="gb18030")
    summary = import_feed(demo_db, feed, profile(), now=NOW)
    assert summary.outcome == Outcome.COMMITTED, [str(i) for i in summary.issues]
    assert (summary.read, summary.inserted, summary.rejected) == (10, 10, 0)
    assert summary.outside_jurisdiction == 2
    with demo_db.read() as conn:
        got = conn.execute(text(
            "SELECT incident_no, category_code, status, caller_phone, description, lat, lon, community_id,"
            " grid_id, in_jurisdiction FROM incident WHERE incident_no LIKE 'T%' ORDER BY incident_no")).all()
        clause, params = search_clause(conn, "竹影街5号")
        hits = conn.execute(select(func.count()).select_from(INCIDENT).where(clause), params).scalar()
    first = got[0]
    assert first.category_code == "0101" and first.status == "dispatched"
    assert first.caller_phone == "13812345678"
    assert first.description == "第1起，\"引号\"\n第二行"
    assert abs(first.lon - INSIDE[0]) < 1e-6 and abs(first.lat - INSIDE[1]) < 1e-6  # GCJ-02 -> WGS-84
    assert first.community_id is not None and first.grid_id is not None and first.in_jurisdiction
    outside = got[4]
    assert outside.incident_no == "T00005" and not outside.in_jurisdiction and outside.community_id is None
    assert got[2].status == "new"  # empty status: the profile's default
    assert hits == 1


@DEMO_ON_BOTH_ENGINES
def test_reimport_is_a_no_op_and_a_later_version_updates(demo_db, tmp_path) -> None:
    feed = write_csv(tmp_path / "feed.csv", rows(6))
    import_feed(demo_db, feed, profile(), now=NOW)
    before = fingerprint(demo_db)
    again = import_feed(demo_db, feed, profile(), now=NOW.replace(hour=11))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 6)
    assert fingerprint(demo_db) == before

    later = rows(6)
    later[2][9] = "已办结"  # T00003 was new, is now closed upstream
    later[0][9] = ""       # T00001 was dispatched; an older snapshot never steps it back
    later.append(rows(1, start=7)[0])
    summary = import_feed(demo_db, write_csv(tmp_path / "later.csv", later), profile(), now=NOW)
    assert (summary.inserted, summary.updated, summary.unchanged) == (1, 1, 5)
    with demo_db.read() as conn:
        status = dict(conn.execute(text(
            "SELECT incident_no, status FROM incident WHERE incident_no LIKE 'T%'")).all())
        events = conn.execute(text("SELECT count(*) FROM incident_event WHERE action = 'imported'")).scalar()
    assert status["T00003"] == "closed" and status["T00001"] == "dispatched" and events == 1


@DEMO_ON_BOTH_ENGINES
def test_rows_without_numbers_get_a_stable_content_key(demo_db, tmp_path) -> None:
    body = "\n".join([
        "05.03.2024 08:07\t0101\t杭州市西湖区竹影街1号\t13812345678\t车被偷了",
        "05.03.2024 09:00\t噪音扰民\t杭州市西湖区竹影街2号\t\t楼上吵",
    ]) + "\n"
    feed = tmp_path / "feed.tsv"
    feed.write_text(body, encoding="utf-8")
    prof = load_profile("no-header-tsv", tmp_path)
    first = import_feed(demo_db, feed, prof, now=NOW)
    assert first.inserted == 2, [str(i) for i in first.issues]
    assert import_feed(demo_db, feed, prof, now=NOW).unchanged == 2
    key = content_key({"received_at": datetime(2024, 3, 5, 8, 7), "category_code": "0101",
                       "address": "杭州市西湖区竹影街1号", "caller_phone": "13812345678",
                       "description": "车被偷了"})
    with demo_db.read() as conn:
        found = conn.execute(text("SELECT count(*) FROM incident WHERE incident_no = :k"),
                             {"k": key}).scalar()
    assert found == 1
    assert key.startswith("H") and len(key) == 20


@DEMO_ON_BOTH_ENGINES
def test_xlsx_with_title_row_date_cells_serials_and_numeric_phones(demo_db, tmp_path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["明湖派出所 警情表"])
    sheet.append(["警情编号", "接警时间", "警情类型", "警情级别", "地址", "百度经度", "百度纬度", "报警电话",
                  "警情内容", "状态"])
    lon, lat = from_wgs84(*INSIDE, CoordSystem.BD09)
    sheet.append(["X1", datetime(2024, 3, 5, 8, 7), "纠纷-家庭", "一级", "竹影街1号", lon, lat, 13812345678,
                  "吵架", "已到场"])
    sheet.append(["X2", 45356.5, "求助-走失", 3, "竹影街2号", lon, lat, None, "老人走失", None])
    sheet.append([None] * 10)
    path = tmp_path / "district.xlsx"
    book.save(path)
    summary = import_feed(demo_db, path, load_profile("district-xlsx", tmp_path), now=NOW)
    assert summary.inserted == 2, [str(i) for i in summary.issues]
    with demo_db.read() as conn:
        got = conn.execute(text(
            "SELECT incident_no, received_at, priority, caller_phone, category_code, status, lat, lon"
            " FROM incident WHERE incident_no IN ('X1', 'X2') ORDER BY 1")).all()
    assert got[0].caller_phone == "13812345678" and got[0].priority == 1 and got[0].status == "arrived"
    assert got[0].category_code == "0501" and abs(got[0].lat - INSIDE[1]) < 1e-6
    assert str(got[1].received_at).startswith("2024-03-05 12:00:00") and got[1].category_code == "0702"


@DEMO_ON_BOTH_ENGINES
def test_json_array_and_ndjson_with_nested_keys(demo_db, tmp_path) -> None:
    records = [{"id": f"J{i}", "time": f"2024-03-05T0{i}:00:00+08:00", "type": "fraud_warning",
                "location": {"address": "竹影街", "lat": INSIDE[1], "lon": INSIDE[0]},
                "reporter": {"phone": "13812345678"}, "summary": "预警"} for i in range(1, 4)]
    nd = tmp_path / "push.ndjson"
    nd.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    prof = load_profile("platform-ndjson", tmp_path)
    assert import_feed(demo_db, nd, prof, now=NOW).inserted == 3
    array = tmp_path / "push.json"
    array.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    json_prof = parse_profile(load_profile("platform-ndjson", tmp_path).origin.read_text(encoding="utf-8")
                              .replace('format = "ndjson"', 'format = "json"'), "j")
    again = import_feed(demo_db, array, json_prof, now=NOW)
    assert (again.unchanged, again.inserted) == (3, 0)
    with demo_db.read() as conn:
        row = conn.execute(text("SELECT source, category_code FROM incident WHERE incident_no = 'J1'")).one()
    assert tuple(row) == ("warning", "0202")


@DEMO_ON_BOTH_ENGINES
def test_unknown_categories_are_reported_and_the_file_rejected(demo_db, tmp_path) -> None:
    body = rows(4)
    body[1][2] = "外星人入侵"
    body[3][2] = "外星人入侵"
    before = fingerprint(demo_db)
    summary = import_feed(demo_db, write_csv(tmp_path / "feed.csv", body), profile(), now=NOW)
    assert summary.outcome == Outcome.REJECTED and summary.inserted == 0
    assert summary.unknown_categories == {"外星人入侵": 2}
    assert [(i.line, i.field, i.problem) for i in summary.issues] == [
        (4, "category", Problem.UNKNOWN_CATEGORY), (8, "category", Problem.UNKNOWN_CATEGORY)]
    assert "feed.csv, line 4, category: unknown category '外星人入侵'" in str(summary.issues[0])
    assert fingerprint(demo_db) == before


@DEMO_ON_BOTH_ENGINES
def test_accept_valid_imports_the_rest_and_writes_rejects_beside(demo_db, tmp_path) -> None:
    body = rows(5)
    body[2][1] = "昨天下午"
    feed = write_csv(tmp_path / "feed.csv", body)
    summary = import_feed(demo_db, feed, profile(), accept_valid=True, now=NOW)
    assert (summary.outcome, summary.inserted, summary.rejected) == (Outcome.COMMITTED, 4, 1)
    rejects = rejects_path(feed).read_text(encoding="utf-8-sig")
    assert "received_at" in rejects and "昨天下午" in rejects
    assert not list(tmp_path.glob(".*.tmp"))


@DEMO_ON_BOTH_ENGINES
def test_dry_run_and_cancel_change_nothing(demo_db, tmp_path) -> None:
    feed = write_csv(tmp_path / "feed.csv", rows(2500))
    before = fingerprint(demo_db)
    dry = import_feed(demo_db, feed, profile(), dry_run=True, now=NOW)
    assert (dry.outcome, dry.inserted) == (Outcome.DRY_RUN, 2500)
    assert fingerprint(demo_db) == before
    with pytest.raises(ImportCancelled):
        import_feed(demo_db, feed, profile(), progress=lambda done, total: False, now=NOW)
    assert fingerprint(demo_db) == before


def test_preview_shows_rows_as_stored(demo_db, tmp_path) -> None:
    body = rows(3)
    body[1][7] = "x" * 40
    shown = preview(demo_db, write_csv(tmp_path / "feed.csv", body), profile(), limit=2)
    assert len(shown) == 2
    assert shown[0].values["category_code"] == "0101" and shown[0].values["priority"] == 2
    assert not shown[0].issues and shown[1].issues[0].field == "caller_phone"


# property: re-import is a no-op ---------------------------------------------------------------

_cell = st.text(alphabet=st.sampled_from("竹影街号一二三abc ,\"\n'0123456789"), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(st.tuples(
    st.integers(0, 9999), st.integers(0, 100_000),
    st.sampled_from(["盗窃电动车", "家庭纠纷", "噪音", "0301"]),
    _cell, _cell, st.booleans(), st.sampled_from(["", "已派警", "已办结"])),
    min_size=1, max_size=15, unique_by=lambda r: r[0]),
    numbered=st.booleans(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_property_reimport_changes_nothing(demo_db, tmp_path, data, numbered, encoding) -> None:
    body = []
    for number, minute, cat, addr, desc, inside, status in data:
        lon, lat = gcj(INSIDE if inside else OUTSIDE)
        body.append([f"P{number}" if numbered else "", "2024-03-01 00:00:00+08:00" if minute == 0
                     else f"2024/3/{minute // 1440 % 28 + 1} {minute // 60 % 24}:{minute % 60}",
                     cat, "杭州" + addr, lon, lat, "", "", desc + str(number), status])
    feed = write_csv(tmp_path / "prop.csv", body, encoding=encoding)
    first = import_feed(demo_db, feed, profile(), now=NOW)
    assert first.outcome == Outcome.COMMITTED, [str(i) for i in first.issues]
    before = fingerprint(demo_db)
    second = import_feed(demo_db, feed, profile(), now=NOW.replace(hour=12))
    assert (second.inserted, second.updated, second.rejected) == (0, 0, 0)
    assert second.unchanged == first.inserted + first.updated + first.unchanged
    assert fingerprint(demo_db) == before


@DEMO_ON_BOTH_ENGINES
def test_an_import_is_one_audit_record_under_the_importing_account(demo_db, tmp_path) -> None:
    from station_console.domain.security import PermissionDenied
    from station_console.services.accounts import DEMO_PASSWORD, sign_in

    feed = write_csv(tmp_path / "feed.csv", rows(10))
    with demo_db.read() as conn:
        before = conn.execute(text("SELECT max(id) FROM audit_log")).scalar()
    sign_in(demo_db, "minjing", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        import_feed(demo_db, feed, profile(), now=NOW)
    sign_in(demo_db, "zhiban", DEMO_PASSWORD)
    summary = import_feed(demo_db, feed, profile(), now=NOW)
    assert summary.inserted == 10
    with demo_db.read() as conn:
        records = conn.execute(text(
            "SELECT username, action, object_id, outcome, detail FROM audit_log WHERE id > :b "
            "AND object_type != 'user_account'"), {"b": before}).all()
    assert len(records) == 1, records
    (user, action, name, outcome, detail), = records
    assert (user, action, name, outcome) == ("zhiban", "import", "feed.csv", "ok")
    assert '"inserted": 10' in detail


def test_a_batch_is_placed_as_each_point_alone(demo_db) -> None:
    """The bulk path's numpy placing gives every point the community and grid that the plain
    point-in-polygon of the intake form finds (first community in table order, then its grids)."""
    with demo_db.read() as conn:
        locator = Locator(conn)
        communities = [Area(r.id, r.name, r.geometry) for r in conn.execute(
            select(Community.id, Community.name, Community.geometry))]
        grids = [Area(r.id, r.name, r.geometry, r.community_id) for r in conn.execute(
            select(Grid.id, Grid.name, Grid.geometry, Grid.community_id))]
    picker = random.Random(7)
    rows = [{"lat": picker.uniform(30.250, 30.290), "lon": picker.uniform(120.100, 120.160), "address": ""}
            for _ in range(3000)]
    locator.place(rows)
    inside = 0
    for row in rows:
        community = area_at(row["lat"], row["lon"], communities)
        own = [g for g in grids if community and g.parent_id == community.id]
        grid = area_at(row["lat"], row["lon"], own)
        expected = (community.id if community else None, grid.id if grid else None, community is not None)
        assert (row["community_id"], row["grid_id"], row["in_jurisdiction"]) == expected, row
        inside += community is not None
    assert 0 < inside < len(rows)  # the sample straddles the boundary
