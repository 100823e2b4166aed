"""Workflow rules, clocks (across midnight), time windows and intake validation: pure domain."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from station_console.domain.enums import IncidentStatus, UnitStatus
from station_console.domain.intake import (
    Area,
    FieldProblem,
    area_at,
    area_from_address,
    id_check_char,
    id_number_problem,
    normalize_phone,
    phone_problem,
)
from station_console.domain.shifts import TimePreset, shift_start, time_window
from station_console.domain.workflow import (
    ALLOWED_FROM,
    TARGET,
    Action,
    ClockPhase,
    ClockPolicy,
    IncidentState,
    Refusal,
    WorkflowError,
    allowed_actions,
    check_close,
    check_dispatch,
    check_merge,
    check_note,
    check_reopen,
    check_resolve,
    check_transition,
    format_duration,
    incident_clock,
)

S = IncidentStatus
ALL_PAIRS = [(a, s) for a in Action for s in IncidentStatus]


@pytest.mark.parametrize(("action", "status"), ALL_PAIRS)
def test_every_transition_is_allowed_or_refused_with_a_reason(action: Action, status: S) -> None:
    state = IncidentState(id=1, status=status)
    if status in ALLOWED_FROM[action]:
        assert check_transition(state, action) == TARGET[action]
        assert action in allowed_actions(state)
    else:
        with pytest.raises(WorkflowError) as err:
            check_transition(state, action)
        assert err.value.code == Refusal.WRONG_STATUS
        assert action.value in str(err.value) and status.value in str(err.value)
        assert action not in allowed_actions(state)


def test_the_main_path_and_reopen() -> None:
    assert TARGET[Action.DISPATCH] == S.DISPATCHED
    assert ALLOWED_FROM[Action.ARRIVE] == {S.DISPATCHED}
    assert ALLOWED_FROM[Action.RESOLVE] == {S.ARRIVED}
    assert ALLOWED_FROM[Action.CLOSE] == {S.RESOLVED}
    assert ALLOWED_FROM[Action.REOPEN] == {S.RESOLVED, S.CLOSED}
    assert TARGET[Action.REOPEN].is_open


def test_a_merged_incident_refuses_everything() -> None:
    state = IncidentState(id=5, status=S.CLOSED, merged_into_id=3)
    assert allowed_actions(state) == frozenset()
    for action in Action:
        with pytest.raises(WorkflowError) as err:
            check_transition(state, action)
        assert err.value.code == Refusal.MERGED and err.value.params["main_id"] == 3


def test_dispatch_needs_a_free_unit_or_an_officer() -> None:
    new = IncidentState(id=1, status=S.NEW)
    assert check_dispatch(new, 4, UnitStatus.AVAILABLE, None) == S.DISPATCHED
    assert check_dispatch(new, None, None, 9) == S.DISPATCHED
    cases = [
        ((None, None, None), Refusal.NO_ASSIGNEE),
        ((4, UnitStatus.BUSY, None), Refusal.UNIT_BUSY),
        ((4, UnitStatus.OFF_DUTY, None), Refusal.UNIT_OFF_DUTY),
    ]
    for (unit, status, officer), code in cases:
        with pytest.raises(WorkflowError) as err:
            check_dispatch(new, unit, status, officer)
        assert err.value.code == code
    on_way = IncidentState(id=1, status=S.DISPATCHED, unit_id=4)
    with pytest.raises(WorkflowError, match="already"):
        check_dispatch(on_way, 4, UnitStatus.BUSY, None)
    assert check_dispatch(on_way, 5, UnitStatus.AVAILABLE, None) == S.DISPATCHED


def test_resolve_close_reopen_and_note_need_their_text() -> None:
    arrived = IncidentState(id=1, status=S.ARRIVED)
    assert check_resolve(arrived, "mediated") == S.RESOLVED
    for code, refusal in (("", Refusal.NO_OUTCOME), ("bogus", Refusal.UNKNOWN_OUTCOME)):
        with pytest.raises(WorkflowError) as err:
            check_resolve(arrived, code)
        assert err.value.code == refusal
    resolved = IncidentState(id=1, status=S.RESOLVED)
    with pytest.raises(WorkflowError) as err:
        check_close(resolved, "   ")
    assert err.value.code == Refusal.NO_FEEDBACK
    assert check_close(resolved, "调解成功，双方签字") == S.CLOSED
    with pytest.raises(WorkflowError) as err:
        check_reopen(resolved, "")
    assert err.value.code == Refusal.NO_REASON
    assert check_reopen(IncidentState(id=1, status=S.CLOSED), "再次报警") == S.NEW
    with pytest.raises(WorkflowError) as err:
        check_note("  ")
    assert err.value.code == Refusal.EMPTY_NOTE
    assert check_note(" 已电话回访 ") == "已电话回访"


def test_merge_rules() -> None:
    main = IncidentState(id=1, status=S.DISPATCHED)
    dups = [IncidentState(id=2, status=S.NEW), IncidentState(id=3, status=S.ARRIVED)]
    assert [d.id for d in check_merge(main, dups)] == [2, 3]
    refusals = [
        (main, [], Refusal.NOTHING_TO_MERGE),
        (main, [IncidentState(id=1, status=S.DISPATCHED)], Refusal.MERGE_INTO_SELF),
        (main, [IncidentState(id=4, status=S.CLOSED, merged_into_id=9)], Refusal.MERGED),
        (IncidentState(id=1, status=S.CLOSED, merged_into_id=9), dups, Refusal.MERGE_TARGET_MERGED),
    ]
    for target, dup_list, code in refusals:
        with pytest.raises(WorkflowError) as err:
            check_merge(target, dup_list)
        assert err.value.code == code


# clocks -----------------------------------------------------------------------------------

LIMITS = {"dispatch_limit_s": 120, "arrival_limit_s": 300}


def test_clock_runs_against_the_dispatch_limit_while_new() -> None:
    received = datetime(2026, 3, 14, 23, 58, 30)
    clock = incident_clock(S.NEW, received, now=datetime(2026, 3, 15, 0, 0, 0), **LIMITS)
    assert clock is not None
    assert clock.phase == ClockPhase.DISPATCH
    assert clock.elapsed_s == 90 and clock.remaining_s == 30 and not clock.overdue


def test_clock_is_overdue_across_midnight() -> None:
    """23:59 received, 00:05 the next day: six minutes, not minus a day."""
    received = datetime(2026, 3, 14, 23, 59, 0)
    now = datetime(2026, 3, 15, 0, 5, 0)
    new = incident_clock(S.NEW, received, now=now, **LIMITS)
    assert new is not None and new.elapsed_s == 360 and new.overdue and new.remaining_s == -240
    sent = incident_clock(S.DISPATCHED, received, now=now, **LIMITS)
    assert sent is not None and sent.phase == ClockPhase.ARRIVAL
    assert sent.limit_s == 300 and sent.overdue
    ok = incident_clock(S.DISPATCHED, received, now=datetime(2026, 3, 15, 0, 3, 59), **LIMITS)
    assert ok is not None and not ok.overdue and ok.remaining_s == 1


def test_clock_exactly_at_the_limit_is_not_overdue() -> None:
    received = datetime(2026, 12, 31, 23, 58)
    clock = incident_clock(S.NEW, received, now=received + timedelta(seconds=120), **LIMITS)
    assert clock is not None and clock.remaining_s == 0 and not clock.overdue


def test_no_clock_for_closed_resolved_or_merged_and_no_limit_on_scene() -> None:
    received = datetime(2026, 3, 15, 10, 0)
    now = received + timedelta(hours=2)
    assert incident_clock(S.RESOLVED, received, now=now, **LIMITS) is None
    assert incident_clock(S.CLOSED, received, now=now, **LIMITS) is None
    assert incident_clock(S.NEW, received, now=now, merged=True, **LIMITS) is None
    scene = incident_clock(S.ARRIVED, received, now=now, **LIMITS)
    assert scene is not None and scene.phase == ClockPhase.ON_SCENE
    assert scene.limit_s is None and not scene.overdue and scene.elapsed_s == 7200


def test_reopened_incident_clock_starts_at_the_reopening() -> None:
    received = datetime(2026, 3, 10, 9, 0)
    reopened = datetime(2026, 3, 15, 23, 59, 30)
    clock = incident_clock(S.NEW, received, reopened_at=reopened,
                           now=datetime(2026, 3, 16, 0, 0, 30), **LIMITS)
    assert clock is not None and clock.elapsed_s == 60 and not clock.overdue


def test_priority_tightens_the_dispatch_limit() -> None:
    policy = ClockPolicy()
    assert policy.dispatch_limit_s(120, 1) == 60
    assert policy.dispatch_limit_s(120, 3) == 120
    custom = ClockPolicy(priority_dispatch_s={1: 30})
    assert custom.dispatch_limit_s(120, 1) == 30 and custom.dispatch_limit_s(120, 2) == 120
    assert ClockPolicy.from_text("1=30; 2 = 90") == ClockPolicy(priority_dispatch_s={1: 30, 2: 90})
    for bad in ("", "1=abc", "fast", "1=0"):
        assert ClockPolicy.from_text(bad) == ClockPolicy()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00"), (59, "0:59"), (61, "1:01"), (3600, "1:00:00"), (-75, "-1:15"),
     (90_061, "1d 01:01")],
)
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


# time windows -----------------------------------------------------------------------------


def test_shift_starts_at_the_morning_changeover() -> None:
    assert shift_start(datetime(2026, 3, 15, 10, 30)) == datetime(2026, 3, 15, 8, 30)
    assert shift_start(datetime(2026, 3, 15, 0, 10)) == datetime(2026, 3, 14, 8, 30)
    assert shift_start(datetime(2026, 3, 1, 7, 0)) == datetime(2026, 2, 28, 8, 30)


def test_time_windows() -> None:
    now = datetime(2026, 3, 15, 0, 20)
    assert time_window(TimePreset.TODAY, now).start == datetime(2026, 3, 15)
    assert time_window(TimePreset.LAST_24H, now).start == datetime(2026, 3, 14, 0, 20)
    assert time_window(TimePreset.LAST_7D, now).start == datetime(2026, 3, 8, 0, 20)
    assert time_window(TimePreset.ALL, now).start is None
    custom = time_window(TimePreset.CUSTOM, now, datetime(2026, 3, 1), datetime(2026, 3, 2))
    assert custom.contains(datetime(2026, 3, 1, 23, 59)) and not custom.contains(datetime(2026, 3, 2))


# intake -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("13812345678", True), ("+86 138 1234 5678", True), ("0086-13812345678", True),
     ("0571-87654321", True), ("(010)12345678", True), ("0571-8765432", True),
     ("0571-87654321-123", True), ("0571-87654321转8", True),
     ("12812345678", False), ("1381234567", False), ("87654321", False), ("110", False),
     ("abc", False), ("", False)],
)
def test_phone_formats(raw: str, ok: bool) -> None:
    assert (phone_problem(raw) is None) is ok


def test_phone_normalisation() -> None:
    assert normalize_phone("+86 138-1234-5678") == "13812345678"
    assert normalize_phone("0571 8765 4321 转 12") == "057187654321-12"


def test_id_numbers() -> None:
    base = "33010619850312002"
    good = base + id_check_char(base)
    assert id_number_problem(good) is None
    assert id_number_problem(good.lower()) is None
    wrong = base + ("0" if id_check_char(base) != "0" else "1")
    assert id_number_problem(wrong) == FieldProblem.ID_CHECKSUM
    assert id_number_problem("330106198502300021") == FieldProblem.ID_BIRTH_DATE
    assert id_number_problem("3301061985031200") == FieldProblem.ID_FORMAT
    assert id_number_problem("11010519491231002X") is None  # the GB 11643 example


SQUARE_A = '{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01],[120,30.01],[120,30]]]}'
SQUARE_B = ('{"type":"MultiPolygon","coordinates":[[[[120.01,30],[120.02,30],[120.02,30.01],'
            '[120.01,30.01],[120.01,30]]]]}')


def test_community_from_address_or_point() -> None:
    areas = [Area(1, "明湖社区", SQUARE_A), Area(2, "明湖东社区", SQUARE_B), Area(3, "桃源村", SQUARE_B)]
    assert area_from_address("明湖东路3号", areas) == areas[1]
    assert area_from_address("西湖区明湖小区5幢", areas) == areas[0]
    assert area_from_address("桃源村村委会旁", areas) == areas[2]
    assert area_from_address("文三路478号", areas) is None
    assert area_at(30.005, 120.005, areas) == areas[0]
    assert area_at(30.005, 120.015, areas) == areas[1]
    assert area_at(30.5, 120.5, areas) is None
