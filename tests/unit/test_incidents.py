"""The incident service: filters against SQL ground truth, paging, workflow, intake, live, export."""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, text

from station_console.domain.enums import IncidentSource, IncidentStatus, UnitStatus
from station_console.domain.intake import FieldProblem, id_check_char
from station_console.domain.shifts import TimePreset
from station_console.domain.workflow import Refusal, WorkflowError
from station_console.services.codetables import install_code_tables
from station_console.services.incidents import (
    EXPORT_COLUMNS,
    ExportCancelled,
    ExportFormat,
    ExportLabels,
    Flag,
    IncidentFilter,
    IncidentService,
    IntakeForm,
    Sort,
    SortKey,
)
from station_console.store.database import Database
from station_console.store.dialect import SEARCH_COLUMNS, search_clause
from station_console.store.models import (
    Community,
    Grid,
    Incident,
    Officer,
    PatrolUnit,
    Station,
)
from tests.conftest import DEMO_END, DEMO_ON_BOTH_ENGINES, ON_BOTH_ENGINES

NOW = datetime(2026, 3, 15, 0, 3)  # just after midnight: "today" is three minutes old
BASE17 = "33010619850312002"
GOOD_ID = BASE17 + id_check_char(BASE17)
BAD_ID = BASE17 + ("0" if GOOD_ID[-1] != "0" else "1")
A = '{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01],[120,30.01],[120,30]]]}'
B = '{"type":"Polygon","coordinates":[[[120.01,30],[120.02,30],[120.02,30.01],[120.01,30.01],[120.01,30]]]}'
A_WEST = '{"type":"Polygon","coordinates":[[[120,30],[120.005,30],[120.005,30.01],[120,30.01],[120,30]]]}'


def _table(model: type) -> object:
    return model.__table__  # type: ignore[attr-defined]


def _seed(db: Database) -> None:
    with db.write() as conn:
        install_code_tables(conn)
        conn.execute(insert(_table(Station)), [dict(id=1, code="S1", name="测试派出所", center_lat=30.0,
                                                    center_lon=120.0, district="", city="", address="",
                                                    phone="")])
        conn.execute(insert(_table(Community)), [
            dict(id=1, station_id=1, code="C1", name="明湖社区", kind="community", population=0,
                 households=0, center_lat=30.005, center_lon=120.005, geometry=A),
            dict(id=2, station_id=1, code="C2", name="桃源村", kind="village", population=0,
                 households=0, center_lat=30.005, center_lon=120.015, geometry=B),
        ])
        conn.execute(insert(_table(Grid)), [
            dict(id=11, community_id=1, code="G11", name="明湖一网格", grid_worker="", center_lat=30.005,
                 center_lon=120.0025, geometry=A_WEST),
        ])
        conn.execute(insert(_table(Officer)), [
            dict(id=1, badge_no="001", name="李警官", kind="police", team="community", title="",
                 phone="", active=True),
        ])
        conn.execute(insert(_table(PatrolUnit)), [
            dict(id=1, code="U1", name="巡逻一组", call_sign="", status="available"),
            dict(id=2, code="U2", name="巡逻二组", call_sign="", status="available"),
            dict(id=3, code="U3", name="巡逻三组", call_sign="", status="off_duty"),
        ])


def _row(no: str, received: datetime, **kw: object) -> dict[str, object]:
    row: dict[str, object] = dict(
        incident_no=no, source="110", category_code="0501", priority=2, status="new",
        received_at=received, caller_name="王秀英", caller_phone="13812345678", caller_id_no="",
        address="明湖路188号", community_id=1, description="家中夫妻吵架", outcome_code="",
        feedback="", is_repeat=False, is_diverted=False, in_jurisdiction=True, updated_at=received,
    )
    row.update(kw)
    return row


def _add(db: Database, no: str, received: datetime, **kw: object) -> int:
    with db.write() as conn:
        return int(conn.execute(insert(_table(Incident)).values(**_row(no, received, **kw)))
                   .inserted_primary_key[0])


@pytest.fixture
def station(db: Database) -> Database:
    _seed(db)
    return db


@pytest.fixture
def svc(station: Database) -> IncidentService:
    return IncidentService(station, now=lambda: NOW)


def _events(db: Database, incident_id: int) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(
            text("SELECT action FROM incident_event WHERE incident_id = :i ORDER BY id"),
            {"i": incident_id}).scalars())


def _unit_status(db: Database, unit_id: int) -> str:
    with db.read() as conn:
        return str(conn.execute(text("SELECT status FROM patrol_unit WHERE id = :u"),
                                {"u": unit_id}).scalar_one())


# filters on hand-made rows ------------------------------------------------------------------


@ON_BOTH_ENGINES
def test_time_presets_across_midnight(station: Database, svc: IncidentService) -> None:
    _add(station, "J1", NOW - timedelta(minutes=2))         # today
    _add(station, "J2", NOW - timedelta(minutes=10))        # yesterday 23:53, same shift
    _add(station, "J3", NOW - timedelta(hours=20))          # yesterday 04:03: before the shift
    _add(station, "J4", NOW - timedelta(days=3))
    _add(station, "J5", NOW - timedelta(days=8))
    counts = {p: svc.count(IncidentFilter(preset=p)) for p in TimePreset if p != TimePreset.CUSTOM}
    assert counts == {TimePreset.ALL: 5, TimePreset.TODAY: 1, TimePreset.SHIFT: 2,
                      TimePreset.LAST_24H: 3, TimePreset.LAST_7D: 4}
    custom = IncidentFilter(preset=TimePreset.CUSTOM, start=NOW - timedelta(days=4),
                            end=NOW - timedelta(hours=1))
    assert [r.incident_no for r in svc.page(custom)] == ["J3", "J4"]


@ON_BOTH_ENGINES
def test_overdue_flag_matches_the_clocks_across_midnight(station: Database, svc: IncidentService) -> None:
    # 0501 family dispute: dispatch 120 s (priority 2), arrival 300 s.
    late_new = _add(station, "J1", datetime(2026, 3, 14, 23, 59, 59))          # 181 s, new
    on_time = _add(station, "J2", NOW - timedelta(seconds=120))                # exactly at limit
    _add(station, "J3", NOW - timedelta(seconds=121))                          # 1 s over
    _add(station, "J4", NOW - timedelta(seconds=250), status="dispatched")     # arrival ok
    _add(station, "J5", datetime(2026, 3, 14, 23, 57, 59), status="dispatched")  # 301 s
    _add(station, "J6", NOW - timedelta(seconds=61), priority=1)               # urgent: 60 s
    _add(station, "J7", NOW - timedelta(hours=3), status="arrived")            # no limit on scene
    _add(station, "J8", NOW - timedelta(hours=3), status="closed")
    _add(station, "J9", NOW - timedelta(days=2), reopened_at=NOW - timedelta(seconds=30))
    overdue = {r.incident_no for r in svc.page(IncidentFilter(flags=frozenset({Flag.OVERDUE})))}
    assert overdue == {"J1", "J3", "J5", "J6"}
    assert svc.overdue_count() == 4
    by_clock = {r.incident_no for r in svc.page(IncidentFilter(), limit=50) if Flag.OVERDUE in r.flags(NOW)}
    assert by_clock == overdue
    row = svc.row(late_new)
    assert row is not None and row.clock(NOW) is not None
    assert row.clock(NOW).elapsed_s == 181  # type: ignore[union-attr]
    assert svc.row(on_time).clock(NOW).remaining_s == 0  # type: ignore[union-attr]


@ON_BOTH_ENGINES
def test_text_search_by_phone_part_name_and_address(station: Database, svc: IncidentService) -> None:
    _add(station, "J1", NOW - timedelta(hours=1), caller_phone="13912340001")
    _add(station, "J2", NOW - timedelta(hours=2), caller_phone="13800005555", caller_name="张伟",
         address="桃源村5组")
    for needle, expected in (("0001", {"J1"}), ("3912", {"J1"}), ("5555", {"J2"}), ("张伟", {"J2"}),
                             ("桃源", {"J2"}), ("J2", {"J2"}), ("夫妻", {"J1", "J2"}), ("不存在", set())):
        found = {r.incident_no for r in svc.page(IncidentFilter(text=needle))}
        assert found == expected, needle


def test_filter_round_trips_through_json() -> None:
    flt = IncidentFilter(preset=TimePreset.CUSTOM, start=datetime(2026, 3, 1), end=datetime(2026, 3, 2),
                         categories=frozenset({"0501", "0101"}), statuses=frozenset({"new"}),
                         sources=frozenset({"110"}), priorities=frozenset({1}), community_id=3,
                         grid_id=7, flags=frozenset({Flag.REPEAT, Flag.OVERDUE}), text="明湖")
    assert IncidentFilter.from_json(flt.to_json()) == flt
    assert IncidentFilter.from_json("{not json") == IncidentFilter()
    assert IncidentFilter.from_json('{"flags": ["bogus"]}') == IncidentFilter()


@ON_BOTH_ENGINES
def test_paging_positions_and_sorts(station: Database, svc: IncidentService) -> None:
    ids = [_add(station, f"J{n:02d}", NOW - timedelta(minutes=n), priority=1 + n % 3,
                community_id=None if n % 4 == 0 else 1 + n % 2) for n in range(30)]
    flt = IncidentFilter()
    for key in SortKey:
        for desc in (True, False):
            sort = Sort(key, desc)
            whole = svc.page(flt, sort, 0, 100)
            assert len(whole) == 30
            paged = svc.page(flt, sort, 0, 7) + svc.page(flt, sort, 7, 7) + svc.page(flt, sort, 14, 100)
            assert [r.id for r in paged] == [r.id for r in whole]
            for pos, r in enumerate(whole):
                assert svc.position(flt, sort, r.id) == pos
    newest_first = svc.page(flt)
    assert [r.id for r in newest_first] == ids
    by_priority = svc.page(flt, Sort(SortKey.PRIORITY, descending=False))
    assert [r.priority for r in by_priority] == sorted(r.priority for r in by_priority)
    assert svc.position(IncidentFilter(text="不存在"), Sort(), ids[0]) is None


# workflow ---------------------------------------------------------------------------------


@ON_BOTH_ENGINES
def test_full_workflow_writes_events_and_moves_the_unit(station: Database, svc: IncidentService) -> None:
    i = _add(station, "J1", NOW - timedelta(minutes=1))
    svc.dispatch(i, unit_id=1, officer_id=1, actor="值班员")
    assert _unit_status(station, 1) == UnitStatus.BUSY
    svc.arrive(i)
    svc.resolve(i, "mediated", note="双方和解")
    assert _unit_status(station, 1) == UnitStatus.AVAILABLE
    svc.close(i, "调解成功，双方签字")
    detail = svc.detail(i)
    assert detail is not None
    assert detail.row.status == IncidentStatus.CLOSED and detail.outcome_code == "mediated"
    assert detail.feedback == "调解成功，双方签字" and detail.closed_at == NOW
    assert [e.action for e in detail.events] == ["dispatched", "arrived", "resolved", "closed"]
    assert detail.events[0].detail == "巡逻一组 / 李警官" and detail.events[0].actor == "值班员"
    svc.reopen(i, "当事人再次来电")
    row = svc.row(i)
    assert row is not None and row.status == IncidentStatus.NEW and row.reopened_at == NOW
    assert row.unit_name == "" and not row.clock(NOW).overdue  # type: ignore[union-attr]
    assert _events(station, i)[-1] == "reopened"


@ON_BOTH_ENGINES
def test_reassign_releases_the_first_unit(station: Database, svc: IncidentService) -> None:
    i = _add(station, "J1", NOW)
    svc.dispatch(i, unit_id=1)
    svc.dispatch(i, unit_id=2)
    assert (_unit_status(station, 1), _unit_status(station, 2)) == ("available", "busy")
    assert _events(station, i) == ["dispatched", "reassigned"]
    board = {u.id: u for u in svc.unit_board()}
    assert board[2].incident_no == "J1" and board[1].incident_no == ""


@pytest.mark.parametrize(
    ("status", "call", "refusal"),
    [
        ("new", lambda s, i: s.arrive(i), Refusal.WRONG_STATUS),
        ("new", lambda s, i: s.resolve(i, "handled"), Refusal.WRONG_STATUS),
        ("new", lambda s, i: s.close(i, "x"), Refusal.WRONG_STATUS),
        ("new", lambda s, i: s.reopen(i, "x"), Refusal.WRONG_STATUS),
        ("new", lambda s, i: s.dispatch(i), Refusal.NO_ASSIGNEE),
        ("new", lambda s, i: s.dispatch(i, unit_id=3), Refusal.UNIT_OFF_DUTY),
        ("new", lambda s, i: s.dispatch(i, unit_id=99), Refusal.NOT_FOUND),
        ("dispatched", lambda s, i: s.resolve(i, "handled"), Refusal.WRONG_STATUS),
        ("dispatched", lambda s, i: s.close(i, "x"), Refusal.WRONG_STATUS),
        ("arrived", lambda s, i: s.dispatch(i, unit_id=2), Refusal.WRONG_STATUS),
        ("arrived", lambda s, i: s.arrive(i), Refusal.WRONG_STATUS),
        ("arrived", lambda s, i: s.resolve(i, ""), Refusal.NO_OUTCOME),
        ("resolved", lambda s, i: s.close(i, "  "), Refusal.NO_FEEDBACK),
        ("resolved", lambda s, i: s.arrive(i), Refusal.WRONG_STATUS),
        ("closed", lambda s, i: s.close(i, "again"), Refusal.WRONG_STATUS),
        ("closed", lambda s, i: s.reopen(i, " "), Refusal.NO_REASON),
        ("closed", lambda s, i: s.dispatch(i, unit_id=1), Refusal.WRONG_STATUS),
    ],
)
@ON_BOTH_ENGINES
def test_refused_transitions_change_nothing(station: Database, svc: IncidentService, status: str,
                                            call: object, refusal: Refusal) -> None:
    i = _add(station, "J1", NOW, status=status)
    with pytest.raises(WorkflowError) as err:
        call(svc, i)  # type: ignore[operator]
    assert err.value.code == refusal
    assert svc.row(i).status == status  # type: ignore[union-attr]
    assert _events(station, i) == []


@ON_BOTH_ENGINES
def test_busy_unit_is_refused(station: Database, svc: IncidentService) -> None:
    first, second = _add(station, "J1", NOW), _add(station, "J2", NOW)
    svc.dispatch(first, unit_id=1)
    with pytest.raises(WorkflowError) as err:
        svc.dispatch(second, unit_id=1)
    assert err.value.code == Refusal.UNIT_BUSY


@ON_BOTH_ENGINES
def test_units_go_on_and_off_duty_with_a_record_and_off_duty_units_are_refused(
        station: Database, svc: IncidentService) -> None:
    first, second = _add(station, "J1", NOW), _add(station, "J2", NOW)
    with pytest.raises(WorkflowError) as err:
        svc.dispatch(first, unit_id=3)
    assert err.value.code == Refusal.UNIT_OFF_DUTY and svc.row(first).status == "new"  # type: ignore[union-attr]
    svc.set_unit_duty(3, True, actor="值班员")
    board = {u.id: u for u in svc.unit_board()}
    assert board[3].status == UnitStatus.AVAILABLE
    assert (board[3].duty_changed_at, board[3].duty_changed_by) == (NOW, "值班员")
    assert board[1].duty_changed_at is None
    svc.dispatch(first, unit_id=3)
    with pytest.raises(WorkflowError) as err:
        svc.set_unit_duty(3, False)
    assert err.value.code == Refusal.UNIT_ON_CALL and _unit_status(station, 3) == UnitStatus.BUSY
    with pytest.raises(WorkflowError) as err:
        svc.set_unit_duty(2, True)
    assert err.value.code == Refusal.SAME_DUTY
    svc.set_unit_duty(2, False, actor="带班领导")
    with pytest.raises(WorkflowError) as err:
        svc.dispatch(second, unit_id=2)
    assert err.value.code == Refusal.UNIT_OFF_DUTY
    with station.read() as conn:
        changes = conn.execute(text("SELECT unit_id, actor, status FROM unit_duty_change ORDER BY id")).all()
    assert changes == [(3, "值班员", "available"), (2, "带班领导", "off_duty")]
    with pytest.raises(WorkflowError) as err:
        svc.set_unit_duty(99, True)
    assert err.value.code == Refusal.NOT_FOUND


@ON_BOTH_ENGINES
def test_merge_keeps_the_calls_under_the_main_incident(station: Database, svc: IncidentService) -> None:
    main = _add(station, "J1", NOW - timedelta(minutes=5))
    dup1 = _add(station, "J2", NOW - timedelta(minutes=4), caller_phone="13900000001")
    dup2 = _add(station, "J3", NOW - timedelta(minutes=3))
    svc.dispatch(main, unit_id=1)
    svc.dispatch(dup2, unit_id=2)
    svc.merge(main, [dup1, dup2])
    assert _unit_status(station, 2) == "available" and _unit_status(station, 1) == "busy"
    detail = svc.detail(main)
    assert detail is not None
    assert [c.incident_no for c in detail.merged_calls] == ["J3", "J2"]
    assert detail.row.merged_count == 2 and Flag.MERGED in detail.row.flags(NOW)
    dup = svc.detail(dup1)
    assert dup is not None and dup.row.status == "closed" and dup.merged_into_no == "J1"
    assert dup.allowed() == frozenset() and dup.row.clock(NOW) is None
    with pytest.raises(WorkflowError) as err:
        svc.reopen(dup1, "误合并")
    assert err.value.code == Refusal.MERGED
    with pytest.raises(WorkflowError) as err:
        svc.merge(dup1, [main])
    assert err.value.code == Refusal.MERGE_TARGET_MERGED
    merged = {r.incident_no for r in svc.page(IncidentFilter(flags=frozenset({Flag.MERGED})))}
    assert merged == {"J1", "J2", "J3"}
    assert _events(station, main) == ["dispatched", "merged", "merged"]


@ON_BOTH_ENGINES
def test_notes_and_related_calls(station: Database, svc: IncidentService) -> None:
    i = _add(station, "J1", NOW - timedelta(days=1))
    _add(station, "J2", NOW - timedelta(days=40))                              # same phone + address
    _add(station, "J3", NOW - timedelta(days=2), caller_phone="13700000000")   # same address only
    _add(station, "J4", NOW - timedelta(days=3), address="别处1号")             # same phone only
    svc.add_note(i, "已电话回访")
    detail = svc.detail(i)
    assert detail is not None
    assert [c.incident_no for c in detail.same_phone] == ["J4", "J2"]
    assert [c.incident_no for c in detail.same_address] == ["J3", "J2"]
    assert detail.events[-1].action == "note" and detail.events[-1].detail == "已电话回访"
    with pytest.raises(WorkflowError):
        svc.add_note(i, "  ")
    assert svc.detail(12345) is None


# intake -----------------------------------------------------------------------------------


def _form(**kw: object) -> IntakeForm:
    base: dict[str, object] = dict(source=IncidentSource.WALK_IN.value, category_code="0502",
                                   address="明湖路5号", description="楼上漏水引发争吵")
    base.update(kw)
    return IntakeForm(**base)  # type: ignore[arg-type]


@ON_BOTH_ENGINES
def test_intake_saves_an_incident_with_derived_community(station: Database, svc: IncidentService) -> None:
    result = svc.register(_form(caller_phone="+86 138 1234 5678", caller_id_no=GOOD_ID.lower(),
                                caller_name="赵敏"), actor="值班员")
    assert result.ok and result.community_id == 1
    assert result.incident_no == "LS12026031500001"  # L, the station code S1, the day
    row = svc.row(result.incident_id)  # type: ignore[arg-type]
    assert row is not None and row.status == "new" and row.priority == 2
    assert row.caller_phone == "13812345678" and row.received_at == NOW
    assert _events(station, row.id) == ["received"]
    second = svc.register(_form(address="桃源村3组", lat=30.005, lon=120.0025))
    assert second.incident_no == "LS12026031500002"
    assert svc.row(second.incident_id).grid_name == "明湖一网格"  # type: ignore[arg-type,union-attr]
    third = svc.register(_form(address="某处", lat=30.005, lon=120.015))
    assert third.community_id == 2


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"category_code": "", "description": " ", "source": ""},
         {"category_code": FieldProblem.REQUIRED, "description": FieldProblem.REQUIRED,
          "source": FieldProblem.REQUIRED}),
        ({"address": ""}, {"address": FieldProblem.REQUIRED, "community_id": FieldProblem.NO_COMMUNITY}),
        ({"source": "110"}, {"caller_phone": FieldProblem.REQUIRED}),
        ({"caller_phone": "1234"}, {"caller_phone": FieldProblem.PHONE_FORMAT}),
        ({"caller_id_no": BAD_ID}, {"caller_id_no": FieldProblem.ID_CHECKSUM}),
        ({"caller_id_no": "33010619850312"}, {"caller_id_no": FieldProblem.ID_FORMAT}),
        ({"category_code": "9999"}, {"category_code": FieldProblem.UNKNOWN_CODE}),
        ({"address": "文三路478号"}, {"community_id": FieldProblem.NO_COMMUNITY}),
        ({"community_id": 77}, {"community_id": FieldProblem.UNKNOWN_CODE}),
        ({"received_at": NOW + timedelta(hours=1)}, {"received_at": FieldProblem.IN_FUTURE}),
        ({"lat": 30.005}, {"lon": FieldProblem.REQUIRED}),
        ({"lat": 120.005, "lon": 30.005},
         {"lat": FieldProblem.OUT_OF_RANGE, "lon": FieldProblem.OUT_OF_RANGE}),
        ({"lat": float("nan"), "lon": 120.005}, {"lat": FieldProblem.OUT_OF_RANGE}),
        ({"address": "", "lat": 300.0, "lon": 120.005},
         {"lat": FieldProblem.OUT_OF_RANGE, "address": FieldProblem.REQUIRED,
          "community_id": FieldProblem.NO_COMMUNITY}),
    ],
)
@ON_BOTH_ENGINES
def test_intake_refuses_bad_fields_and_saves_nothing(svc: IncidentService, changes: dict[str, object],
                                                     errors: dict[str, FieldProblem]) -> None:
    result = svc.register(_form(**changes))
    assert not result.ok and dict(result.errors) == errors
    assert svc.count(IncidentFilter()) == 0


@ON_BOTH_ENGINES
def test_intake_point_derives_the_area_and_a_point_outside_is_kept_and_flagged(
        station: Database, svc: IncidentService) -> None:
    inside = svc.register(_form(address="文三路478号", lat=30.005, lon=120.0025))
    assert inside.ok and inside.in_jurisdiction and inside.community_id == 1
    assert svc.row(inside.incident_id).grid_name == "明湖一网格"  # type: ignore[arg-type,union-attr]
    outside = svc.register(_form(address="文三路478号", lat=30.3, lon=120.1))
    assert outside.ok and not outside.in_jurisdiction and outside.community_id is None
    by_address = svc.register(_form(lat=30.3, lon=120.1))
    assert by_address.ok and not by_address.in_jurisdiction and by_address.community_id == 1
    with station.read() as conn:
        saved = conn.execute(
            text("SELECT incident_no, lat, lon, in_jurisdiction FROM incident ORDER BY id")).all()
    assert saved == [(inside.incident_no, 30.005, 120.0025, 1), (outside.incident_no, 30.3, 120.1, 0),
                     (by_address.incident_no, 30.3, 120.1, 0)]


@ON_BOTH_ENGINES
def test_intake_with_a_chosen_community_needs_no_match(svc: IncidentService) -> None:
    result = svc.register(_form(address="文三路478号", community_id=2))
    assert result.ok and result.community_id == 2


# live -------------------------------------------------------------------------------------


def test_watermark_moves_for_writes_from_another_connection(station: Database, svc: IncidentService) -> None:
    first = svc.watermark()
    assert first.max_id == 0
    i = _add(station, "J1", NOW)
    after_insert = svc.watermark()
    assert after_insert.max_id == i and after_insert != first
    other = sqlite3.connect(station.path)
    try:
        other.execute("UPDATE incident SET status = 'dispatched', updated_at = '2026-03-15 00:04:00.000000'")
        other.commit()
    finally:
        other.close()
    after_update = svc.watermark()
    assert after_update.max_id == i and after_update.max_updated_at == datetime(2026, 3, 15, 0, 4)
    _add(station, "J2", NOW, priority=1)
    assert [r.incident_no for r in svc.new_since(first.max_id)] == ["J2", "J1"]


# export -----------------------------------------------------------------------------------


@ON_BOTH_ENGINES
def test_export_csv_and_xlsx_with_labels(station: Database, svc: IncidentService, tmp_path: Path) -> None:
    _add(station, "J1", NOW - timedelta(minutes=10), description="=HYPERLINK(\"x\")")
    _add(station, "J2", NOW - timedelta(minutes=5), status="closed", is_repeat=True)
    labels = ExportLabels(headers={"incident_no": "接警单号"}, statuses={"closed": "已办结"},
                          flags={"repeat": "重复", "overdue": "超时"})
    out = tmp_path / "view.csv"
    assert svc.export(IncidentFilter(), Sort(), out, ExportFormat.CSV, labels=labels) == 2
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "接警单号" and len(rows[0]) == len(EXPORT_COLUMNS)
    col = {name: n for n, name in enumerate(EXPORT_COLUMNS)}
    assert [r[0] for r in rows[1:]] == ["J2", "J1"]
    assert rows[1][col["status"]] == "已办结" and rows[1][col["flags"]] == "重复"
    assert rows[2][col["flags"]] == "超时" and rows[2][col["description"]].startswith("'=")
    assert rows[2][col["received_at"]] == "2026-03-14 23:53:00"
    xlsx = tmp_path / "view.xlsx"
    progress: list[tuple[int, int]] = []
    svc.export(IncidentFilter(statuses=frozenset({"new"})), Sort(), xlsx, ExportFormat.XLSX,
               progress=lambda d, t: progress.append((d, t)) or True)
    sheet = load_workbook(xlsx, read_only=True).worksheets[0]
    values = list(sheet.values)
    assert values[0][0] == "incident_no" and values[1][0] == "J1" and len(values) == 2
    assert values[1][1] == datetime(2026, 3, 14, 23, 53)
    assert progress[-1] == (1, 1)


@ON_BOTH_ENGINES
def test_cancelled_export_leaves_no_file(station: Database, svc: IncidentService, tmp_path: Path) -> None:
    with station.write() as conn:
        conn.execute(insert(_table(Incident)),
                     [_row(f"J{n:05d}", NOW - timedelta(seconds=n)) for n in range(2100)])
    out = tmp_path / "big.csv"
    with pytest.raises(ExportCancelled):
        svc.export(IncidentFilter(), Sort(), out, ExportFormat.CSV, progress=lambda d, t: d < 1000)
    assert list(tmp_path.glob("big.csv*")) == []


# ground truth on the demo station ---------------------------------------------------------


@pytest.fixture
def demo_svc(demo_db: Database) -> Iterator[IncidentService]:
    yield IncidentService(demo_db, now=lambda: DEMO_END)


def _truth(db: Database, where: str, params: dict[str, object] | None = None) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(text(
            f"SELECT incident_no FROM incident WHERE {where} ORDER BY received_at DESC, id DESC"),
            params or {}).scalars())


def _fmt(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


@DEMO_ON_BOTH_ENGINES
def test_filters_equal_sql_ground_truth_on_the_demo_station(demo_db: Database,
                                                            demo_svc: IncidentService) -> None:
    with demo_db.read() as conn:
        phone = conn.execute(text(
            "SELECT caller_phone FROM incident WHERE caller_phone != '' ORDER BY id LIMIT 1")).scalar_one()
        community = conn.execute(text("SELECT min(community_id) FROM incident")).scalar_one()
        grid = conn.execute(text("SELECT min(grid_id) FROM incident")).scalar_one()
        word = conn.execute(text(
            "SELECT substr(address, 7, 2) FROM incident ORDER BY id LIMIT 1")).scalar_one()
    week = _fmt(DEMO_END - timedelta(days=7))
    cases: list[tuple[IncidentFilter, str, dict[str, object]]] = [
        (IncidentFilter(), "1 = 1", {}),
        (IncidentFilter(preset=TimePreset.LAST_7D, categories=frozenset({"0102", "0501"})),
         "received_at >= :w AND category_code IN ('0102', '0501')", {"w": week}),
        (IncidentFilter(preset=TimePreset.TODAY, statuses=frozenset({"new", "dispatched"})),
         "received_at >= :d AND status IN ('new', 'dispatched')",
         {"d": _fmt(DEMO_END.replace(hour=0, minute=0))}),
        (IncidentFilter(sources=frozenset({"110"}), priorities=frozenset({1})),
         "source = '110' AND priority = 1", {}),
        (IncidentFilter(community_id=community, flags=frozenset({Flag.REPEAT})),
         "community_id = :c AND is_repeat", {"c": community}),
        (IncidentFilter(grid_id=grid, flags=frozenset({Flag.DIVERTED})), "grid_id = :g AND is_diverted",
         {"g": grid}),
        (IncidentFilter(text=phone[-4:]), "caller_phone LIKE :p OR incident_no LIKE :p OR address LIKE :p "
         "OR description LIKE :p OR caller_name LIKE :p", {"p": f"%{phone[-4:]}%"}),
        (IncidentFilter(text=word, preset=TimePreset.LAST_7D),
         "received_at >= :w AND (address LIKE :p OR description LIKE :p OR caller_name LIKE :p "
         "OR incident_no LIKE :p OR caller_phone LIKE :p)", {"w": week, "p": f"%{word}%"}),
    ]
    for flt, where, params in cases:
        truth = _truth(demo_db, where, params)
        assert demo_svc.count(flt) == len(truth), where
        assert [r.incident_no for r in demo_svc.page(flt, limit=len(truth) + 1)] == truth, where
    assert demo_svc.count(IncidentFilter()) > 0 and len(_truth(demo_db, "1 = 1")) == 3000


def test_two_character_search_uses_the_index_and_equals_like_on_the_demo_station(
        demo_db: Database, demo_svc: IncidentService) -> None:
    with demo_db.read() as conn:
        short_name = conn.execute(text(
            "SELECT caller_name FROM incident WHERE length(caller_name) = 2 LIMIT 1")).scalar_one()
        name_end = conn.execute(text(
            "SELECT substr(caller_name, 2) FROM incident WHERE length(caller_name) = 3 LIMIT 1")).scalar_one()
        address_end = conn.execute(text("SELECT substr(address, -2) FROM incident LIMIT 1")).scalar_one()
        description_start = conn.execute(text(
            "SELECT substr(description, 1, 2) FROM incident LIMIT 1")).scalar_one()
        clause, _params = search_clause(conn, short_name)
    assert "incident_fts" in str(clause)
    for needle in (short_name, name_end, address_end, description_start, "j3", "07", "无此", '"x'):
        truth = _truth(demo_db, " OR ".join(f"{c} LIKE :p" for c in SEARCH_COLUMNS), {"p": f"%{needle}%"})
        found = demo_svc.page(IncidentFilter(text=needle), limit=len(truth) + 1)
        assert [r.incident_no for r in found] == truth, needle
        assert demo_svc.count(IncidentFilter(text=needle)) == len(truth), needle
    assert _truth(demo_db, "caller_name = :n", {"n": short_name})


def test_a_common_text_is_scanned_in_order_and_finds_what_the_index_finds(
        demo_db: Database, demo_svc: IncidentService, monkeypatch: pytest.MonkeyPatch) -> None:
    from station_console.store import dialect

    with demo_db.read() as conn:
        street = conn.execute(text("SELECT substr(address, 7, 2) FROM incident ORDER BY id DESC LIMIT 1")
                              ).scalar_one()
    filters = [IncidentFilter(text=street), IncidentFilter(text="13"),
               IncidentFilter(text=street, statuses=frozenset({"closed"})),
               IncidentFilter(text=street, community_id=1, preset=TimePreset.ALL)]
    sorts = [Sort(), Sort(SortKey.PRIORITY, descending=False)]

    def results() -> list[tuple[int, list[str], list[str]]]:
        return [(demo_svc.count(f), [r.incident_no for r in demo_svc.page(f, s, limit=60)],
                 [r.incident_no for r in demo_svc.page(f, s, offset=150, limit=20)])
                for f in filters for s in sorts]

    by_index = results()
    with demo_db.read() as conn:
        assert "incident_fts" in str(dialect.text_search(conn, street).clause)
    monkeypatch.setattr(dialect, "DENSE_MIN_MATCHES", 1)
    with demo_db.read() as conn:
        planned = dialect.text_search(conn, street)
    assert "LIKE" in str(planned.clause) and planned.matches == by_index[0][0]
    assert results() == by_index
    assert all(count > 0 and first for count, first, _deep in by_index)


@DEMO_ON_BOTH_ENGINES
def test_texts_of_every_length_find_the_same_rows_on_both_engines(demo_db: Database,
                                                                  demo_svc: IncidentService) -> None:
    # The truth is worked out here, outside SQL: a text matches when one searched column contains
    # it, Latin letters in either case (SQLite's LIKE and FTS5; ILIKE on PostgreSQL).
    with demo_db.read() as conn:
        rows = conn.execute(text(
            f"SELECT incident_no, {', '.join(SEARCH_COLUMNS)} FROM incident "
            "ORDER BY received_at DESC, id DESC")).all()
        street = conn.execute(text("SELECT substr(address, 7, 3) FROM incident ORDER BY id DESC LIMIT 1")
                              ).scalar_one()
        name = conn.execute(text("SELECT caller_name FROM incident WHERE length(caller_name) = 3 "
                                 "ORDER BY id LIMIT 1")).scalar_one()
    needles = [street, street[:2], street[:1], name, name[1:], name[-1:], "j3", "J", "7", "%", "_", "无此字"]
    for needle in needles:
        truth = [r[0] for r in rows if any(needle.lower() in (v or "").lower() for v in r[1:])]
        assert demo_svc.count(IncidentFilter(text=needle)) == len(truth), needle
        found = demo_svc.page(IncidentFilter(text=needle), limit=len(truth) + 1)
        assert [r.incident_no for r in found] == truth, needle
        total, first = demo_svc.first_page(IncidentFilter(text=needle), limit=20)
        assert (total, [r.incident_no for r in first]) == (len(truth), truth[:20]), needle
    assert any(needle in (v or "") for r in rows for v in r[1:] for needle in (street[:1], name[-1:]))


@pytest.mark.parametrize("demo_db", ["postgresql"], indirect=True)
def test_postgresql_reads_the_trigram_index_only_for_three_characters_or_more(
        demo_db: Database) -> None:
    # With a sequential scan ruled out the planner takes any index that serves the clause: a text
    # of one or two characters must offer none (pg_trgm would read its whole index), and every
    # search is planned with its own text (a cached generic plan would pick the index for all).
    with demo_db.read() as conn:
        (street,) = conn.execute(text("SELECT substr(address, 7, 3) FROM incident LIMIT 1")).one()
    for needle, indexed in ((street, True), (street[:2], False), (street[:1], False), ("j3", False)):
        with demo_db.read() as conn:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            clause, params = search_clause(conn, needle)
            assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar_one() == "force_custom_plan"
            plan = "\n".join(conn.execute(
                text(f"EXPLAIN SELECT count(*) FROM incident WHERE {clause.text}"), params).scalars())
        assert ("ix_incident_search_trgm" in plan) is indexed, (needle, plan)


@pytest.mark.parametrize("demo_db", ["postgresql"], indirect=True)
def test_postgresql_collects_a_rare_short_text_in_the_scan_that_counts_it(
        demo_db: Database, demo_svc: IncidentService) -> None:
    from station_console.store import dialect

    with demo_db.read() as conn:
        name = conn.execute(text("SELECT caller_name FROM incident WHERE length(caller_name) = 3 "
                                 "ORDER BY id LIMIT 1")).scalar_one()
        rare = dialect.text_search(conn, name[1:], alone=True)
        common = dialect.text_search(conn, "1", alone=True)
        assert dialect.text_search(conn, name[1:]).matches is None  # not counted: no scan
    assert rare.matches is not None and 0 < rare.matches < dialect.SHORT_RARE_HITS
    assert "ANY" in str(rare.clause) and common.matches is None and "LIKE" in str(common.clause)
    flt, urgent_first = IncidentFilter(text=name[1:]), Sort(SortKey.PRIORITY, descending=False)
    total, first = demo_svc.first_page(flt, urgent_first)
    assert total == rare.matches == demo_svc.count(flt)
    assert [r.id for r in first] == [r.id for r in demo_svc.page(flt, urgent_first)]


@DEMO_ON_BOTH_ENGINES
def test_overdue_count_equals_the_domain_clocks_on_the_demo_station(demo_svc: IncidentService) -> None:
    open_rows = demo_svc.page(IncidentFilter(statuses=frozenset({"new", "dispatched"})), limit=10_000)
    by_clock = {r.id for r in open_rows if Flag.OVERDUE in r.flags(DEMO_END)}
    by_sql = {r.id for r in demo_svc.page(IncidentFilter(flags=frozenset({Flag.OVERDUE})), limit=10_000)}
    assert by_sql == by_clock
    assert demo_svc.overdue_count() == len(by_clock)
