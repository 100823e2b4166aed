"""The repeat check at intake and at import: earlier calls shown before saving, the new or
imported calls flagged at once, one follow-up task per pattern, the same groups as a full scan."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from station_console.domain import geo
from station_console.services.importer import import_feed
from station_console.services.importer_profiles import parse_profile
from station_console.services.incidents import IncidentService, IntakeForm
from station_console.services.repeats import IntakeCall, RepeatService
from station_console.services.tasks import REPEAT_TEMPLATE, TASK
from station_console.store.database import Database
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES

PROFILE = parse_profile("""
[options]
format = "csv"

[columns]
incident_no = "接警单号"
received_at = "报警时间"
category = "警情类别"
address = "发案地址"
lon = "经度"
lat = "纬度"
caller_phone = "联系电话"
description = "简要警情"
""", "repeat-test")
HEADER = "接警单号,报警时间,警情类别,发案地址,经度,纬度,联系电话,简要警情\n"
FLAT = "杭州市西湖区青枫路257号芳草一区5幢1单元1101室"


def _feed(path: Path, rows: list[tuple[str, datetime, str, str, str]]) -> Path:
    """rows: (number, received, category code, address, phone); no point."""
    lines = [f"{no},{at:%Y-%m-%d %H:%M:%S},{cat},{addr},,,{phone},报警" for no, at, cat, addr, phone in rows]
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _repeat_ids(db: Database, numbers: list[str]) -> set[str]:
    with db.read() as conn:
        return set(conn.execute(text(
            f"SELECT incident_no FROM incident WHERE is_repeat AND incident_no IN "
            f"({', '.join(repr(n) for n in numbers)})")).scalars())


def _repeat_tasks(db: Database, needle: str) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(TASK).where(
            TASK.c.template_code == REPEAT_TEMPLATE, TASK.c.title.like(f"%{needle}%"))).scalar_one())


@DEMO_ON_BOTH_ENGINES
def test_an_imported_third_call_is_flagged_at_once_with_one_task(demo_db: Database, tmp_path: Path) -> None:
    start = DEMO_END - timedelta(hours=6)
    first = _feed(tmp_path / "a.csv", [(f"R{i}", start + timedelta(hours=i), "0501", FLAT, "13700001111")
                                       for i in range(3)])
    summary = import_feed(demo_db, first, PROFILE, now=DEMO_END)
    assert summary.inserted == 3 and summary.repeats_flagged == 1
    assert _repeat_ids(demo_db, ["R0", "R1", "R2"]) == {"R2"}
    assert _repeat_tasks(demo_db, "13700001111") == 1
    # A later file with a fourth call: flagged too, and still one task for the pattern.
    second = _feed(tmp_path / "b.csv", [("R3", DEMO_END - timedelta(minutes=5), "0501", FLAT, "13700001111")])
    assert import_feed(demo_db, second, PROFILE, now=DEMO_END).repeats_flagged == 1
    assert _repeat_ids(demo_db, ["R2", "R3"]) == {"R2", "R3"}
    assert _repeat_tasks(demo_db, "13700001111") == 1


@DEMO_ON_BOTH_ENGINES
def test_the_same_address_written_differently_is_one_place(demo_db: Database, tmp_path: Path) -> None:
    variants = ["杭州市西湖区青枫路257号芳草一区5幢1单元1101室", "青枫路257号芳草一区5栋1单元1101",
                "西湖区青枫路二五七号芳草一区5号楼1单元1101房"]
    rows = [(f"P{i}", DEMO_END - timedelta(days=10 - i), "0501", addr, f"1360000000{i}")
            for i, addr in enumerate(variants)]
    import_feed(demo_db, _feed(tmp_path / "p.csv", rows), PROFILE, now=DEMO_END)
    assert _repeat_ids(demo_db, ["P0", "P1", "P2"]) == {"P2"}


@DEMO_ON_BOTH_ENGINES
def test_import_without_the_check_flags_nothing(demo_db: Database, tmp_path: Path) -> None:
    rows = [(f"N{i}", DEMO_END - timedelta(hours=i), "0501", FLAT, "13700002222") for i in range(3)]
    summary = import_feed(demo_db, _feed(tmp_path / "n.csv", rows), PROFILE, now=DEMO_END,
                          check_repeats=False)
    assert summary.repeats_flagged == 0 and _repeat_ids(demo_db, ["N0", "N1", "N2"]) == set()
    assert _repeat_tasks(demo_db, "13700002222") == 0


@DEMO_ON_BOTH_ENGINES
def test_history_older_than_the_window_is_left_to_a_history_scan(demo_db: Database, tmp_path: Path) -> None:
    since = DEMO_END - timedelta(days=400)
    # One person's three calls within a month, half a year back: across the first two steps of a
    # history scan (steps of one 90-day window, each reading two windows).
    history = [(f"H{i}", since + timedelta(days=days), "0501", FLAT, "13700003333")
               for i, days in enumerate((175, 181, 185))]
    today = [("H3", DEMO_END - timedelta(hours=1), "0501", "杭州市西湖区青枫路9号", "13700004444")]
    summary = import_feed(demo_db, _feed(tmp_path / "h.csv", history + today), PROFILE, now=DEMO_END)
    assert summary.inserted == 4 and summary.repeats_unchecked == 3 and summary.repeats_flagged == 0
    service = RepeatService(demo_db, now=lambda: DEMO_END)
    service.scan()
    assert _repeat_ids(demo_db, ["H0", "H1", "H2"]) == set()
    # Stopped after its first step, the history scan has not reached the group yet.
    steps: list[tuple[int, int]] = []

    def stop(done: int, total: int) -> bool:
        steps.append((done, total))
        return False

    service.scan(stop, since=since)
    assert steps[-1] == (1, 4) and _repeat_ids(demo_db, ["H0", "H1", "H2"]) == set()
    result = service.scan(since=since)
    assert _repeat_ids(demo_db, ["H0", "H1", "H2"]) == {"H2"}
    assert result.flagged >= 1 and result.checked > summary.inserted
    # History gets its flags, not follow-up tasks: the pattern ended months ago.
    assert _repeat_tasks(demo_db, "13700003333") == 0


@pytest.mark.parametrize("check_chunk", [20_000, 7], ids=["one part", "parts of 7"])
@pytest.mark.parametrize("bulk_keys", [5_000, 0], ids=["look-ups", "grouped pass"])
def test_import_check_finds_what_a_full_scan_finds(demo_db_path: Path, tmp_path: Path, bulk_keys: int,
                                                   check_chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The indexed check of an import's rows flags the same imported calls as a scan of everything
    (with hot keys looked up one chunk at a time, and in the one grouped pass a big feed uses; the
    calls checked all at once, and a few at a time in time order as a big feed is)."""
    monkeypatch.setattr("station_console.services.repeats.BULK_KEYS", bulk_keys)
    monkeypatch.setattr("station_console.services.repeats.CHECK_CHUNK", check_chunk)
    other = tmp_path / "other.db"
    shutil.copyfile(demo_db_path, other)
    checked, scanned = Database.open(demo_db_path), Database.open(other)
    try:
        with checked.read() as conn:
            history = conn.execute(text(
                "SELECT caller_phone, address, lat, lon, category_code FROM incident "
                "WHERE caller_phone != '' AND received_at > :s ORDER BY id DESC LIMIT 40"),
                {"s": DEMO_END - timedelta(days=60)}).all()
        lines = []
        for i, h in enumerate(history):
            at = DEMO_END - timedelta(hours=3 * i + 1)
            lon = f"{h.lon:.6f}" if h.lon is not None else ""
            lat = f"{h.lat:.6f}" if h.lat is not None else ""
            lines.append(f"S{i},{at:%Y-%m-%d %H:%M:%S},{h.category_code},{h.address},{lon},{lat},"
                         f"{h.caller_phone if i % 2 else ''},再次报警")
        feed = tmp_path / "s.csv"
        feed.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        assert import_feed(checked, feed, PROFILE, now=DEMO_END).inserted == len(lines)
        assert import_feed(scanned, feed, PROFILE, now=DEMO_END, check_repeats=False).inserted == len(lines)
        RepeatService(scanned, now=lambda: DEMO_END).scan()
        numbers = [f"S{i}" for i in range(len(lines))]
        by_check, by_scan = _repeat_ids(checked, numbers), _repeat_ids(scanned, numbers)
        assert by_check == by_scan and by_check
    finally:
        checked.close()
        scanned.close()


def _register(db: Database, at: datetime, phone: str, address: str, point: tuple[float, float] | None = None,
              category: str = "0501") -> int:
    result = IncidentService(db, now=lambda: at).register(IntakeForm(
        source="110", category_code=category, address=address, description="报警", caller_phone=phone,
        community_id=1, received_at=at, lat=point[1] if point else None, lon=point[0] if point else None))
    assert result.incident_id is not None
    return result.incident_id


@DEMO_ON_BOTH_ENGINES
def test_intake_history_lists_the_earlier_calls_and_the_crossing(demo_db: Database) -> None:
    service = RepeatService(demo_db, now=lambda: DEMO_END)
    first = _register(demo_db, DEMO_END - timedelta(days=20), "13911112222", FLAT)
    second = _register(demo_db, DEMO_END - timedelta(days=2), "13911112222",
                       "青枫路257号芳草一区5栋1单元1101")
    call = IntakeCall(received_at=DEMO_END, category_code="0501", phone="13911112222", address="别处1号",
                      community_id=1)
    history = service.intake_history(call)
    assert [c.id for c in history.same_phone] == [second, first]
    assert history.same_address == [] and history.repeat_kinds == ("person",)
    service.index_addresses()  # the dialog keys older calls before its first look-up
    by_place = service.intake_history(IntakeCall(
        received_at=DEMO_END, category_code="0501", address="青枫路二五七号芳草一区五幢一单元1101室",
        community_id=1))
    assert {c.id for c in by_place.same_address} == {first, second}
    assert by_place.repeat_kinds == ("place",)
    nobody = service.intake_history(IntakeCall(received_at=DEMO_END, phone="13000000000",
                                               address="无此路9号"))
    assert nobody.empty and nobody.repeat_kinds == ()


@DEMO_ON_BOTH_ENGINES
def test_intake_history_shows_the_same_event_nearby(demo_db: Database) -> None:
    with demo_db.read() as conn:
        lat, lon = conn.execute(text("SELECT center_lat, center_lon FROM community WHERE id = 1")).one()
    earlier = _register(demo_db, DEMO_END - timedelta(minutes=9), "13922223333", "测试路1号", (lon, lat),
                        "0601")
    near = geo.offset(lon, lat, 60.0, 0.0)
    history = RepeatService(demo_db, now=lambda: DEMO_END).intake_history(IntakeCall(
        received_at=DEMO_END, category_code="0601", phone="13922224444", address="测试路3号",
        community_id=1, lat=near[1], lon=near[0]))
    assert [c.id for c in history.same_event] == [earlier]
    assert history.same_phone == []


@DEMO_ON_BOTH_ENGINES
def test_intake_check_without_indexing_history_flags_the_third_call(demo_db: Database) -> None:
    service = RepeatService(demo_db, now=lambda: DEMO_END)
    ids = [_register(demo_db, DEMO_END - timedelta(days=d), "13933334444", f"某路{d}号") for d in (30, 10, 0)]
    result = service.check_incident(ids[-1], index_history=False)
    assert result.flagged == 1 and len(result.tasks_issued) == 1
    with demo_db.read() as conn:
        assert conn.execute(select(func.count()).select_from(TASK).where(
            TASK.c.title.like("%13933334444%"))).scalar_one() == 1
