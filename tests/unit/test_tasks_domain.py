"""Task rules: deadlines, transitions, alerts and feedback-form validation (pure, no database)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from station_console.domain.tasks import (
    ALLOWED_FROM,
    AlertTracker,
    ClockKind,
    ClockLevel,
    FieldType,
    Refusal,
    RunningClock,
    SchemaError,
    TaskAction,
    TaskError,
    TaskState,
    WatchedClock,
    check_transition,
    clock_level,
    feedback_deadline,
    format_remaining,
    median_minutes,
    parse_form_schema,
    require_reason,
    running_clock,
    signoff_deadline,
    validate_answers,
)


@pytest.mark.parametrize(("start", "hours", "due"), [
    (datetime(2026, 3, 14, 22, 40), 3, datetime(2026, 3, 15, 1, 40)),       # across midnight
    (datetime(2026, 1, 31, 23, 0), 6, datetime(2026, 2, 1, 5, 0)),          # month end
    (datetime(2026, 2, 28, 18, 30), 9, datetime(2026, 3, 1, 3, 30)),        # February, not a leap year
    (datetime(2028, 2, 28, 18, 30), 9, datetime(2028, 2, 29, 3, 30)),       # leap year
    (datetime(2026, 12, 31, 12, 0), 24, datetime(2027, 1, 1, 12, 0)),       # year end
])
def test_feedback_deadline_counts_full_hours_across_day_month_and_year(
        start: datetime, hours: int, due: datetime) -> None:
    assert feedback_deadline(start, hours) == due


def test_signoff_deadline_is_thirty_minutes_across_midnight() -> None:
    assert signoff_deadline(datetime(2026, 3, 31, 23, 45)) == datetime(2026, 4, 1, 0, 15)
    assert signoff_deadline(datetime(2026, 3, 31, 23, 45), 10) == datetime(2026, 3, 31, 23, 55)


def test_clock_levels_at_the_edges() -> None:
    due = datetime(2026, 3, 15, 0, 5)
    assert clock_level(due, due - timedelta(minutes=10, seconds=1)) == ClockLevel.OK
    assert clock_level(due, due - timedelta(minutes=10)) == ClockLevel.EXPIRING
    assert clock_level(due, due) == ClockLevel.EXPIRING
    assert clock_level(due, due + timedelta(seconds=1)) == ClockLevel.OVERDUE
    assert clock_level(due, due - timedelta(minutes=20), warn=timedelta(minutes=30)) == ClockLevel.EXPIRING


def test_running_clock_follows_the_state() -> None:
    sign, feed = datetime(2026, 3, 15, 9, 0), datetime(2026, 3, 15, 15, 0)
    assert running_clock(TaskState.AWAITING_SIGNOFF, sign, None) == RunningClock(ClockKind.SIGNOFF, sign)
    assert running_clock(TaskState.SIGNED, sign, feed) == RunningClock(ClockKind.FEEDBACK, feed)
    assert running_clock(TaskState.RETURNED, sign, feed) == RunningClock(ClockKind.FEEDBACK, feed)
    for state in (TaskState.FEEDBACK_FILED, TaskState.REVIEWED, TaskState.CANCELLED):
        assert running_clock(state, sign, feed) is None


def test_countdown_text() -> None:
    assert format_remaining(timedelta(hours=2, minutes=5, seconds=9)) == "2:05:09"
    assert format_remaining(timedelta(minutes=-3, seconds=-12)) == "-0:03:12"
    assert format_remaining(timedelta(days=1, hours=2)) == "1d 02:00:00"


ALL_STATES = list(TaskState)


@pytest.mark.parametrize("action", list(TaskAction))
@pytest.mark.parametrize("state", ALL_STATES)
def test_every_transition_is_allowed_or_refused_with_a_reason(action: TaskAction, state: TaskState) -> None:
    if state in ALLOWED_FROM[action]:
        target = check_transition("RW1", state, action)
        assert target.value
    else:
        with pytest.raises(TaskError) as err:
            check_transition("RW1", state, action)
        assert err.value.code == Refusal.WRONG_STATE
        assert "RW1" in str(err.value) and state.value in str(err.value)


def test_the_happy_path_and_the_return_loop() -> None:
    state = TaskState.AWAITING_SIGNOFF
    for action, expected in [(TaskAction.SIGN, TaskState.SIGNED),
                             (TaskAction.FILE_FEEDBACK, TaskState.FEEDBACK_FILED),
                             (TaskAction.RETURN, TaskState.RETURNED),
                             (TaskAction.FILE_FEEDBACK, TaskState.FEEDBACK_FILED),
                             (TaskAction.REVIEW, TaskState.REVIEWED)]:
        state = check_transition("RW1", state, action)
        assert state == expected
    assert not state.is_open


def test_reasons_are_required() -> None:
    with pytest.raises(TaskError) as err:
        require_reason(TaskAction.RETURN, "   ")
    assert err.value.code == Refusal.NO_REASON
    assert require_reason(TaskAction.CANCEL, " 重复下发 ") == "重复下发"


def _watch(task_id: int, due: datetime) -> WatchedClock:
    return WatchedClock(task_id, f"RW{task_id}", RunningClock(ClockKind.FEEDBACK, due))


def test_alerts_fire_once_per_level_with_a_controlled_clock() -> None:
    tracker = AlertTracker()
    due = datetime(2026, 3, 15, 12, 0)
    clocks = [_watch(1, due)]
    assert tracker.update(clocks, datetime(2026, 3, 15, 11, 49)) == []
    first = tracker.update(clocks, datetime(2026, 3, 15, 11, 50))
    assert [(a.task_id, a.level) for a in first] == [(1, ClockLevel.EXPIRING)]
    assert tracker.update(clocks, datetime(2026, 3, 15, 11, 55)) == []
    assert tracker.update(clocks, datetime(2026, 3, 15, 12, 0)) == []
    late = tracker.update(clocks, datetime(2026, 3, 15, 12, 0, 1))
    assert [(a.task_id, a.level) for a in late] == [(1, ClockLevel.OVERDUE)]
    assert tracker.update(clocks, datetime(2026, 3, 15, 13, 0)) == []


def test_a_new_deadline_rearms_alerts_and_overdue_comes_first() -> None:
    tracker = AlertTracker(warn=timedelta(minutes=5))
    now = datetime(2026, 3, 15, 12, 0)
    clocks = [_watch(1, now + timedelta(minutes=3)), _watch(2, now - timedelta(minutes=1))]
    alerts = tracker.update(clocks, now)
    assert [(a.task_id, a.level) for a in alerts] == [(2, ClockLevel.OVERDUE), (1, ClockLevel.EXPIRING)]
    # Task 2 was returned: its clock restarted, so it may warn again later.
    restarted = now + timedelta(hours=3)
    assert tracker.update([_watch(2, restarted)], now) == []
    again = tracker.update([_watch(2, restarted)], restarted - timedelta(minutes=4))
    assert [(a.task_id, a.level) for a in again] == [(2, ClockLevel.EXPIRING)]


FORM = [
    {"key": "way", "label": "方式", "type": "pick_one", "options": ["上门", "电话"]},
    {"key": "measures", "label": "措施", "type": "pick_many", "options": ["宣传", "调解", "移交"]},
    {"key": "met", "label": "是否见面", "type": "yes_no"},
    {"key": "persons", "label": "人数", "type": "number", "min": 1, "max": 50},
    {"key": "at", "label": "时间", "type": "datetime"},
    {"key": "place", "label": "地点", "type": "short_text", "required": False},
    {"key": "note", "label": "说明", "type": "long_text", "required": False},
]


def test_valid_answers_are_cleaned_for_each_field_type() -> None:
    fields = parse_form_schema(FORM)
    assert [f.type for f in fields] == list(FieldType)
    cleaned, problems = validate_answers(fields, {
        "way": "电话", "measures": ["移交", "宣传"], "met": "是", "persons": "3",
        "at": "2026-03-15T09:05", "place": " 3幢 ", "note": "第一行\n第二行",
    })
    assert problems == []
    assert cleaned == {"way": "电话", "measures": ["宣传", "移交"], "met": True, "persons": 3,
                       "at": "2026-03-15 09:05", "place": "3幢", "note": "第一行\n第二行"}


@pytest.mark.parametrize(("key", "value", "code"), [
    ("way", "短信", "not_an_option"),
    ("measures", ["宣传", "拘留"], "not_an_option"),
    ("met", "maybe", "not_yes_no"),
    ("persons", "three", "not_a_number"),
    ("persons", 0, "too_small"),
    ("persons", 51, "too_large"),
    ("at", "15/03/2026", "not_a_datetime"),
    ("place", "a\nb", "multiline"),
    ("place", "长" * 101, "too_long"),
    ("note", "长" * 2001, "too_long"),
])
def test_each_field_type_rejects_bad_answers(key: str, value: object, code: str) -> None:
    fields = parse_form_schema(FORM)
    good = {"way": "上门", "measures": ["宣传"], "met": False, "persons": 2, "at": "2026-03-15 09:00"}
    _cleaned, problems = validate_answers(fields, {**good, key: value})
    assert [(p.key, p.code) for p in problems] == [(key, code)]
    assert problems[0].label in problems[0].message


def test_required_fields_and_unknown_keys_are_reported() -> None:
    fields = parse_form_schema(FORM)
    _cleaned, problems = validate_answers(fields, {"measures": [], "extra": "x"})
    assert {(p.key, p.code) for p in problems} == {
        ("extra", "unknown_field"), ("way", "required"), ("measures", "required"),
        ("met", "required"), ("persons", "required"), ("at", "required"),
    }


@pytest.mark.parametrize(("schema", "words"), [
    ([], "non-empty"),
    ([{"key": "a", "label": "A", "type": "colour"}], "unknown type"),
    ([{"key": "a", "label": "A", "type": "pick_one", "options": ["x"]}], "two options"),
    ([{"key": "a", "label": "A", "type": "pick_many", "options": ["x", "x"]}], "different"),
    ([{"key": "a", "label": "A", "type": "yes_no", "options": ["x", "y"]}], "only pick_one"),
    ([{"key": "a", "label": "A", "type": "number"}, {"key": "a", "label": "B", "type": "number"}], "twice"),
    ([{"key": "a", "label": "", "type": "number"}], "'label' are required"),
    ([{"key": "a", "label": "A", "type": "short_text", "min": 1}], "number fields only"),
    ([{"key": "a", "label": "A", "type": "number", "required": "yes"}], "true or false"),
])
def test_bad_schemas_are_refused_with_the_field_named(schema: list[dict[str, object]], words: str) -> None:
    with pytest.raises(SchemaError, match=words):
        parse_form_schema(schema, where="template X")


def test_median_minutes() -> None:
    assert median_minutes([]) is None
    assert median_minutes([timedelta(minutes=m) for m in (5, 1, 30)]) == 5.0
    assert median_minutes([timedelta(minutes=m) for m in (4, 10)]) == 7.0
