"""The district view: stations' figures from their packages equal each station's own dashboard,
personal data stays masked across stations, and the weekly comparison report is written."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.engine import make_url

from station_console.domain.enums import IncidentSource
from station_console.domain.security import SYSTEM
from station_console.services.accounts import DEMO_PASSWORD, sign_in
from station_console.services.analytics import AnalyticsService, PeriodKind, period_for
from station_console.services.changes import apply_package, export_package
from station_console.services.district import (
    DISTRICT_KEYS,
    INCIDENT_KEYS,
    TASK_KEYS,
    DistrictService,
    district_stations,
    is_district,
    iso_week,
    last_whole_week,
)
from station_console.services.district_report import write_district_report
from station_console.services.incidents import IncidentService, IntakeForm
from station_console.store.database import Database
from tests.conftest import DEMO_END, pg_copy, pg_drop
from tests.unit.district_helpers import DISTRICT_NAME, DistrictFiles, apply_all

PHONE = "13912345678"
ID_NO = "330106198801011234"


@pytest.fixture(scope="session")
def pg_district(pg_station: str, district_template: tuple[Path, DistrictFiles]) -> Iterator[str]:
    """The same district on PostgreSQL (the stations' packages applied there), built once per run:
    the name of a database to copy."""
    url = pg_copy(pg_station)
    db = Database.open(url)
    try:
        apply_all(db, district_template[1], introduce=True)
    finally:
        db.close()
    yield str(make_url(url).database)
    pg_drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def district(request: pytest.FixtureRequest, district_template: tuple[Path, DistrictFiles],
             tmp_path: Path) -> Iterator[Database]:
    """The district database: a copy of the SQLite one, or of the same packages applied on PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "district.db"
        shutil.copyfile(district_template[0], target)
        db = Database.open(target)
        yield db
        db.close()
        return
    url = pg_copy(request.getfixturevalue("pg_district"))
    db = Database.open(url)
    yield db
    db.close()
    pg_drop(url)


def _values(fig: object) -> tuple[object, ...]:
    return tuple(getattr(fig, k) for k in ("unit", "value", "previous", "last_year", "count", "base"))


@pytest.mark.parametrize(("kind", "day"), [(PeriodKind.WEEK, date(2026, 3, 4)),
                                           (PeriodKind.WEEK, date(2026, 3, 12)),
                                           (PeriodKind.MONTH, date(2026, 3, 1))])
def test_each_station_has_its_own_dashboards_figures(
        district: Database, district_template: tuple[Path, DistrictFiles], kind: PeriodKind,
        day: date) -> None:
    files = district_template[1]
    period = period_for(kind, day)
    compared = DistrictService(district, now=lambda: DEMO_END).compare(period)
    assert [r.station.name for r in compared.rows] == sorted(files.stations)
    for row in compared.rows:
        assert row.station.station_id == files.station_ids[row.station.name]
        own = Database.open(files.stations[row.station.name])
        try:
            dashboard = AnalyticsService(own, now=lambda: DEMO_END).dashboard(period)
        finally:
            own.close()
        assert dashboard.tile("calls").value, "the period must hold calls to compare"
        for key in DISTRICT_KEYS:
            assert _values(row.figure(key)) == _values(dashboard.tile(key)), (row.station.name, key)
    whole = AnalyticsService(district, now=lambda: DEMO_END).dashboard(period)
    for key in INCIDENT_KEYS:
        assert _values(compared.total[key]) == _values(whole.tile(key)), key
    assert compared.total["calls"].value == sum(r.figure("calls").value or 0 for r in compared.rows)
    # The district's tasks: its own ledger's and every station's report together.
    for key in TASK_KEYS:
        parts = [whole.tile(key), *(r.figure(key) for r in compared.rows)]
        assert compared.total[key].base == sum(f.base for f in parts) > whole.tile(key).base, key
        assert compared.total[key].count == sum(f.count for f in parts), key


def test_the_stations_are_the_trusted_peers_with_incidents(
        district: Database, district_template: tuple[Path, DistrictFiles]) -> None:
    files = district_template[1]
    stations = district_stations(district)
    assert {s.name: s.station_id for s in stations} == files.station_ids
    assert all(not s.own and s.last_package_at is not None for s in stations)
    assert is_district(district)
    own = Database.open(files.stations[stations[0].name])
    try:
        assert not is_district(own)
        assert [s.own for s in district_stations(own)] == [True]
    finally:
        own.close()


def _send_marked_incident(district: Database, files: DistrictFiles, tmp_path: Path) -> str:
    """A station writes a caller's phone and ID number into an urgent incident's description
    and sends its next package to the district; returns the incident's number."""
    name = sorted(files.stations)[0]
    copy = tmp_path / "station.db"
    shutil.copyfile(files.stations[name], copy)
    station = Database.open(copy)
    try:
        with station.write() as conn:
            number = conn.execute(text(
                "SELECT incident_no FROM incident WHERE received_at >= '2026-03-09' "
                "AND received_at < '2026-03-15' ORDER BY received_at LIMIT 1")).scalar_one()
            conn.execute(text("UPDATE incident SET priority = 1, description = :d WHERE incident_no = :n"),
                         {"d": f"回拨{PHONE}，身份证{ID_NO}", "n": number})
        package = tmp_path / "next.zip"
        export_package(station, package, DISTRICT_NAME, files.keys[name])
    finally:
        station.close()
    district.identity = SYSTEM
    apply_package(district, package)
    return str(number)


@pytest.mark.parametrize(("username", "clear"), [("zhiban", False), ("suozhang", True)])
def test_personal_data_of_a_station_is_masked_for_a_role_without_clearance(
        district: Database, district_template: tuple[Path, DistrictFiles], tmp_path: Path,
        username: str, clear: bool) -> None:
    number = _send_marked_incident(district, district_template[1], tmp_path)
    sign_in(district, username, DEMO_PASSWORD)
    compared = DistrictService(district, now=lambda: DEMO_END).compare(iso_week("2026-W11"), notable=True)
    listed = {n.incident_no: n.description for r in compared.rows for n in r.notable}
    assert number in listed
    assert compared.clear_personal is clear
    out = tmp_path / "week.xlsx"
    write_district_report(compared, out, db=district)
    cells = "\n".join(str(v) for sheet in load_workbook(out).worksheets
                      for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    for body in (listed[number], cells):
        if clear:
            assert PHONE in body and ID_NO in body
        else:
            assert PHONE not in body and ID_NO not in body
            assert "139****5678" in body and "330106********1234" in body


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
def test_the_weekly_report_is_written_whole(district: Database, tmp_path: Path, suffix: str) -> None:
    compared = DistrictService(district, now=lambda: DEMO_END).compare(iso_week("2026-W10"), notable=True)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"week{suffix}"
    write_district_report(compared, out, db=district)
    data = out.read_bytes()
    if suffix == ".pdf":
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    else:
        book = load_workbook(out)
        assert book.sheetnames == ["周对比", "主要指标", "较上期", "重要警情"]
        rows = list(book["主要指标"].iter_rows(values_only=True))
        assert [r[0] for r in rows[1:]] == [*(r.station.name for r in compared.rows), "全局合计"]
        assert rows[-1][1] == f"{compared.total['calls'].value:,.0f}"
    assert [p.name for p in folder.iterdir()] == [out.name]


def test_a_bad_suffix_writes_nothing(district: Database, tmp_path: Path) -> None:
    compared = DistrictService(district, now=lambda: DEMO_END).compare(iso_week("2026-W10"))
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ValueError, match=r"\.pdf or \.xlsx"):
        write_district_report(compared, folder / "week.docx")
    assert list(folder.iterdir()) == []


def test_weeks_are_read_as_iso_weeks() -> None:
    week = iso_week("2026-W10")
    assert (week.start.date(), week.end.date()) == (date(2026, 3, 2), date(2026, 3, 9))
    assert last_whole_week(date(2026, 3, 15)).start.date() == date(2026, 3, 2)
    assert last_whole_week(date(2026, 3, 16)).start.date() == date(2026, 3, 9)
    for bad in ("2026-10", "2026-W54", "W10"):
        with pytest.raises(ValueError, match="YYYY-Www"):
            iso_week(bad)


def test_two_stations_calls_registered_the_same_day_stay_two_incidents(
        district: Database, district_template: tuple[Path, DistrictFiles], tmp_path: Path) -> None:
    """Each station numbers its own intakes from 1 every day: the station's code in the number
    keeps them apart at the district, where the same number means the same call."""
    files = district_template[1]
    numbers = []
    for k, name in enumerate(sorted(files.stations)[:2]):
        copy = tmp_path / f"station{k}.db"
        shutil.copyfile(files.stations[name], copy)
        station = Database.open(copy)
        try:
            station.identity = SYSTEM
            result = IncidentService(station, now=lambda: datetime(2026, 3, 20, 9, 30)).register(IntakeForm(
                source=IncidentSource.WALK_IN.value, category_code="0502", address="明湖路5号",
                description=f"第{k + 1}个派出所的来访"))
            assert result.ok, result.errors
            numbers.append(result.incident_no)
            package = tmp_path / f"next{k}.zip"
            export_package(station, package, DISTRICT_NAME, files.keys[name])
        finally:
            station.close()
        district.identity = SYSTEM
        apply_package(district, package)
    assert numbers[0] != numbers[1] and numbers[0].endswith("2026032000001")
    with district.read() as conn:
        got = conn.execute(text("SELECT incident_no, description FROM incident WHERE incident_no IN (:a, :b) "
                                "ORDER BY incident_no"), {"a": numbers[0], "b": numbers[1]}).all()
    assert sorted(r.description for r in got) == ["第1个派出所的来访", "第2个派出所的来访"]
